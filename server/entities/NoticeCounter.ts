import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * The last serial used per issuer and year; incremented inside the issuing transaction (services/notices/notices.ts).
 */
@Entity('notice_counters')
export class NoticeCounter {
  @PrimaryColumn('int', { name: 'issuer_id' })
  issuerId!: number;

  @PrimaryColumn('int')
  year!: number;

  @Column('int', { name: 'last_serial', default: 0 })
  lastSerial!: number;
}
