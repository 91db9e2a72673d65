import type { DataSource, EntityManager, EntityTarget, ObjectLiteral } from 'typeorm';
import { Issuer, LegalInstrument, Notice, ProtectedSender, UrlListEntry } from '../../entities/index.ts';
import { recordAudit, type Actor } from '../accounts/audit.ts';
import { UserError, type MessageParams } from '../../errors.ts';

/**
 * The reference data administrators keep by hand (issue "Accounts…": protected senders, URL
 * lists, legal instruments; and the issuers notices are signed by). Every change is audited with the row before and
 * after, and an edit
 * or deletion names the version it was made from: if someone changed the row since, it is refused
 * (StaleEditError) instead of silently overwriting their change.
 */
export const REFERENCE_TABLES = ['protected-senders', 'url-lists', 'legal-instruments', 'issuers'] as const;
export type ReferenceTable = (typeof REFERENCE_TABLES)[number];

export interface ProtectedSenderValues {
  name: string;
  uscc: string | null;
  aliases: string[];
}
export interface UrlListValues {
  domain: string;
  list: 'allow' | 'block';
  note: string | null;
}
export interface LegalInstrumentValues {
  title: string;
  articles: string | null;
  position: number;
}
export interface IssuerValues {
  code: string;
  name: string;
  carrierId: number | null;
  signatory: string;
  copyTo: string | null;
  printedBy: string;
}
export interface ReferenceValues {
  'protected-senders': ProtectedSenderValues;
  'url-lists': UrlListValues;
  'legal-instruments': LegalInstrumentValues;
  issuers: IssuerValues;
}

export type ReferenceRow<T extends ReferenceTable> = ReferenceValues[T] & { id: number; version: number };

interface TableSpec {
  entity: EntityTarget<ObjectLiteral>;
  /** The natural key: unique in the database; what the audit log names the row by. */
  key: string;
  fields: readonly string[];
  order: Record<string, 'ASC' | 'DESC'>;
}

const SPECS: Record<ReferenceTable, TableSpec> = {
  'protected-senders': {
    entity: ProtectedSender,
    key: 'name',
    fields: ['name', 'uscc', 'aliases'],
    order: { name: 'ASC' },
  },
  'url-lists': {
    entity: UrlListEntry,
    key: 'domain',
    fields: ['domain', 'list', 'note'],
    order: { list: 'ASC', domain: 'ASC' },
  },
  'legal-instruments': {
    entity: LegalInstrument,
    key: 'title',
    fields: ['title', 'articles', 'position'],
    order: { position: 'ASC', id: 'ASC' },
  },
  issuers: {
    entity: Issuer,
    key: 'code',
    fields: ['code', 'name', 'carrierId', 'signatory', 'copyTo', 'printedBy'],
    order: { code: 'ASC' },
  },
};

/** Why a reference change was refused; `code` is an i18n key. */
export class ReferenceError extends UserError {
  constructor(
    readonly code: string,
    params: MessageParams = {},
  ) {
    super(409, code, params);
  }
}

/** The row changed (or went) since the form was made from it; `current` is what is there now. */
export class StaleEditError<T extends ReferenceTable = ReferenceTable> extends UserError {
  constructor(readonly current: ReferenceRow<T> | null) {
    super(409, current ? 'reference.stale' : 'reference.gone', current ? { version: current.version } : {}, {
      message: 'stale edit',
    });
  }
}

function plain<T extends ReferenceTable>(table: T, row: ObjectLiteral): ReferenceRow<T> {
  const result: Record<string, unknown> = { id: row.id, version: row.version };
  for (const field of SPECS[table].fields) result[field] = row[field];
  return result as unknown as ReferenceRow<T>;
}

/** A row as the audit log keeps it. */
const stateOf = (row: object) => ({ ...row }) as Record<string, unknown>;

const subject = (table: ReferenceTable, row: object) => `${table}:${String((row as ObjectLiteral)[SPECS[table].key])}`;

export async function listReference<T extends ReferenceTable>(
  dataSource: DataSource,
  table: T,
): Promise<Array<ReferenceRow<T>>> {
  const rows = await dataSource.getRepository(SPECS[table].entity).find({ order: SPECS[table].order });
  return rows.map((row) => plain(table, row));
}

export async function getReference<T extends ReferenceTable>(
  dataSource: DataSource,
  table: T,
  id: number,
): Promise<ReferenceRow<T> | null> {
  const row = await dataSource.getRepository(SPECS[table].entity).findOneBy({ id });
  return row ? plain(table, row) : null;
}

async function refuseTakenKey(
  manager: EntityManager,
  table: ReferenceTable,
  values: Record<string, unknown>,
  exceptId: number | null,
): Promise<void> {
  const { entity, key } = SPECS[table];
  const other = await manager.getRepository(entity).findOneBy({ [key]: values[key] });
  if (other && other.id !== exceptId) throw new ReferenceError('reference.key_taken', { value: String(values[key]) });
}

export async function createReference<T extends ReferenceTable>(
  dataSource: DataSource,
  table: T,
  values: ReferenceValues[T],
  actor: Actor,
): Promise<ReferenceRow<T>> {
  return dataSource.transaction(async (manager) => {
    await refuseTakenKey(manager, table, values as unknown as Record<string, unknown>, null);
    const repository = manager.getRepository(SPECS[table].entity);
    const saved = plain(table, await repository.save(repository.create(values as ObjectLiteral)));
    await recordAudit(manager, {
      actor,
      action: 'reference.created',
      subject: subject(table, saved),
      after: stateOf(saved),
    });
    return saved;
  });
}

/** Applies an edit made from `version`; refused with StaleEditError when the row moved on. */
export async function updateReference<T extends ReferenceTable>(
  dataSource: DataSource,
  table: T,
  id: number,
  version: number,
  values: ReferenceValues[T],
  actor: Actor,
): Promise<ReferenceRow<T>> {
  return dataSource.transaction(async (manager) => {
    const { entity } = SPECS[table];
    const before = await manager.getRepository(entity).findOneBy({ id });
    if (!before || before.version !== version) throw new StaleEditError<T>(before ? plain(table, before) : null);
    await refuseTakenKey(manager, table, values as unknown as Record<string, unknown>, id);
    // The version test is repeated in the UPDATE itself, so two saves racing past the read above
    // cannot both succeed.
    const result = await manager
      .createQueryBuilder()
      .update(entity)
      .set({ ...(values as ObjectLiteral), version: () => 'version + 1' })
      .where('id = :id AND version = :version', { id, version })
      .execute();
    const after = await manager.getRepository(entity).findOneBy({ id });
    if (result.affected === 0 || !after) throw new StaleEditError<T>(after ? plain(table, after) : null);
    const saved = plain(table, after);
    await recordAudit(manager, {
      actor,
      action: 'reference.updated',
      subject: subject(table, saved),
      before: stateOf(plain(table, before)),
      after: stateOf(saved),
    });
    return saved;
  });
}

export async function deleteReference(
  dataSource: DataSource,
  table: ReferenceTable,
  id: number,
  version: number,
  actor: Actor,
): Promise<void> {
  await dataSource.transaction(async (manager) => {
    const { entity } = SPECS[table];
    const before = await manager.getRepository(entity).findOneBy({ id });
    if (!before || before.version !== version) throw new StaleEditError(before ? plain(table, before) : null);
    // An issuer that has issued notices stays: the notices name it, and issued notices never change.
    if (table === 'issuers') {
      const notices = await manager.countBy(Notice, { issuerId: id });
      if (notices > 0) throw new ReferenceError('reference.issuers.in_use', { notices });
    }
    const result = await manager
      .createQueryBuilder()
      .delete()
      .from(entity)
      .where('id = :id AND version = :version', { id, version })
      .execute();
    if (result.affected === 0) throw new StaleEditError(null);
    await recordAudit(manager, {
      actor,
      action: 'reference.deleted',
      subject: subject(table, before),
      before: stateOf(plain(table, before)),
    });
  });
}
