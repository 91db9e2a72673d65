import { Table, TableForeignKey, TableIndex, type MigrationInterface, type QueryRunner } from 'typeorm';

/** message_labels: staff labels on messages (entities/MessageLabel.ts), exported as regression cases. */
export class MessageLabels1764160000000 implements MigrationInterface {
  name = 'MessageLabels1764160000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createTable(
      new Table({
        name: 'message_labels',
        columns: [
          { name: 'id', type: 'integer', isPrimary: true, isGenerated: true, generationStrategy: 'increment' },
          { name: 'message_id', type: 'integer', isNullable: true },
          { name: 'message_ref', type: 'varchar', length: '64', isNullable: true },
          { name: 'sender', type: 'varchar', length: '20' },
          { name: 'sent_at', type: 'datetime' },
          { name: 'content', type: 'text' },
          { name: 'root_carrier_id', type: 'integer', isNullable: true },
          { name: 'entity_uscc', type: 'varchar', length: '18', isNullable: true },
          { name: 'entity_name', type: 'varchar', length: '200', isNullable: true },
          { name: 'label', type: 'varchar', length: '8' },
          { name: 'reason', type: 'varchar', length: '1000' },
          { name: 'labelled_by', type: 'varchar', length: '100' },
          { name: 'labelled_at', type: 'datetime' },
          { name: 'version', type: 'integer', default: 1 },
        ],
        // message_id is a link, not a key, as findings.message_id: the label keeps its own copy of the message.
        foreignKeys: [
          new TableForeignKey({
            name: 'fk_message_labels_root_carrier',
            columnNames: ['root_carrier_id'],
            referencedTableName: 'carriers',
            referencedColumnNames: ['id'],
            onDelete: 'NO ACTION',
            onUpdate: 'NO ACTION',
          }),
        ],
        indices: [
          new TableIndex({ name: 'uq_message_labels_message', columnNames: ['message_id'], isUnique: true }),
          new TableIndex({ name: 'idx_message_labels_root_carrier', columnNames: ['root_carrier_id'] }),
        ],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('message_labels');
  }
}
