import { In, type DataSource, type EntityManager } from 'typeorm';
import {
  AllocationIndexBuilder,
  chainAt,
  type AllocationIndex,
  type Chain,
  type Party,
} from '../../chain/allocationIndex.ts';
import { Agent, Carrier, UsingEntity } from '../../entities/index.ts';
import { parse106 } from '../../numbering/number106.ts';
import { parseTimestamp } from '../../numbering/time.ts';
import { coversCarrier, EVERYTHING, type Scope } from '../accounts/scope.ts';
import { dialectOf } from '../import/upsert.ts';
import { UserError } from '../../errors.ts';
import { t, type Locale } from '../../i18n/index.ts';
import { logger } from '../../log.ts';

/**
 * Rows read at a time while loading the index. A page's rows are objects until the builder has
 * taken them; at 50,000 a page the server's heap grew to hold them and kept the room (RSS with a
 * million allocations 305–311 MB, peak 494 MB; at 10,000: 271–287 MB, peak ≈ 300 MB, and the load
 * no slower).
 */
const PAGE_ROWS = 10_000;

interface AllocationRecord {
  id: number;
  prefix: string;
  parent_id: number | null;
  level: number;
  holder_carrier_id: number | null;
  holder_agent_id: number | null;
  lessee_agent_id: number | null;
  lessee_entity_id: number | null;
  valid_from: string;
  valid_to: string | null;
  declared: number | boolean;
  miit_filing_no: string | null;
}

const ALLOCATION_COLUMNS =
  'id, prefix, parent_id, level, holder_carrier_id, holder_agent_id, lessee_agent_id, lessee_entity_id,' +
  ' valid_from, valid_to, declared, miit_filing_no';

interface Parties {
  carriers: Map<number, Party>;
  agents: Map<number, Party>;
  entities: Map<number, Party>;
}

/** The parties allocations name: all of them, or only those of the ids given (one lookup's rows). */
async function loadParties(manager: EntityManager, only?: { agents: number[]; entities: number[] }): Promise<Parties> {
  const carriers = new Map<number, Party>();
  const agents = new Map<number, Party>();
  const entities = new Map<number, Party>();
  for (const c of await manager.getRepository(Carrier).find())
    carriers.set(c.id, { kind: 'carrier', id: c.id, key: c.code, name: c.name });
  const select = { id: true, uscc: true, name: true } as const;
  const agentRows = only
    ? only.agents.length
      ? await manager.getRepository(Agent).find({ select, where: { id: In(only.agents) } })
      : []
    : await manager.getRepository(Agent).find({ select });
  for (const a of agentRows) agents.set(a.id, { kind: 'agent', id: a.id, key: a.uscc, name: a.name });
  const entityRows = only
    ? only.entities.length
      ? await manager.getRepository(UsingEntity).find({ select, where: { id: In(only.entities) } })
      : []
    : await manager.getRepository(UsingEntity).find({ select });
  for (const e of entityRows) entities.set(e.id, { kind: 'entity', id: e.id, key: e.uscc, name: e.name });
  return { carriers, agents, entities };
}

function addAllocations(
  builder: AllocationIndexBuilder,
  rows: readonly AllocationRecord[],
  { carriers, agents, entities }: Parties,
): void {
  for (const a of rows) {
    builder.add({
      id: Number(a.id),
      prefix: a.prefix,
      parentId: a.parent_id === null ? null : Number(a.parent_id),
      level: Number(a.level),
      holder: (a.holder_carrier_id !== null
        ? carriers.get(Number(a.holder_carrier_id))
        : agents.get(Number(a.holder_agent_id)))!,
      lessee: (a.lessee_agent_id !== null
        ? agents.get(Number(a.lessee_agent_id))
        : entities.get(Number(a.lessee_entity_id)))!,
      validFrom: String(a.valid_from),
      validTo: a.valid_to === null ? null : String(a.valid_to),
      declared: Boolean(Number(a.declared)),
      miitFilingNo: a.miit_filing_no,
    });
  }
}

/**
 * Reads every allocation into an index, a page at a time: each page's rows go straight into the
 * index's records (plain SQL, no entity objects), so a million rows never sit in memory as objects.
 */
export async function loadAllocationIndex(dataSource: DataSource | EntityManager): Promise<AllocationIndex> {
  const manager = 'manager' in dataSource ? dataSource.manager : dataSource;
  const parties = await loadParties(manager);
  const [{ rows }] = await manager.query('SELECT COUNT(*) AS `rows` FROM allocations');
  const builder = new AllocationIndexBuilder(Number(rows));
  let afterId = 0;
  for (;;) {
    const page: AllocationRecord[] = await manager.query(
      `SELECT ${ALLOCATION_COLUMNS} FROM allocations WHERE id > ? ORDER BY id LIMIT ${PAGE_ROWS}`,
      [afterId],
    );
    addAllocations(builder, page, parties);
    if (page.length < PAGE_ROWS) break;
    afterId = Number(page[page.length - 1].id);
  }
  const index = builder.build();
  await index.buildFreed;
  return index;
}

/**
 * An index of only the allocations that can be in `number`'s chain: a link's prefix always begins
 * the number (a re-lease narrows its parent's range), so those are the rows whose prefix is one
 * of the number's leading digits, found through the prefix-first unique index. For one question
 * asked once (`sms106 lookup`) this reads a handful of rows where the whole index reads them all.
 */
async function loadIndexFor(manager: EntityManager, number: string): Promise<AllocationIndex> {
  const prefixes = Array.from({ length: number.length }, (_, i) => number.slice(0, i + 1));
  const rows: AllocationRecord[] = await manager.query(
    `SELECT ${ALLOCATION_COLUMNS} FROM allocations WHERE prefix IN (${prefixes.map(() => '?').join(', ')}) ORDER BY id`,
    prefixes,
  );
  const ids = (pick: (row: AllocationRecord) => number | null) => [
    ...new Set(
      rows
        .map(pick)
        .filter((id) => id !== null)
        .map(Number),
    ),
  ];
  const parties = await loadParties(manager, {
    agents: ids((row) => row.holder_agent_id).concat(ids((row) => row.lessee_agent_id)),
    entities: ids((row) => row.lessee_entity_id),
  });
  const builder = new AllocationIndexBuilder(rows.length);
  addAllocations(builder, rows, parties);
  const index = builder.build();
  await index.buildFreed;
  return index;
}

/**
 * How often a server asks the store whether an import has ended since its index was built: an
 * import by another process (`sms106 import`, another server behind the same load balancer)
 * reaches this one's lookups within this time and the rebuild's (docs/scaling.md).
 */
export const indexRecheck = { intervalMs: 5_000 };

interface Built {
  index: AllocationIndex;
  /** importMark when the index was read. */
  mark: string;
}

interface CachedIndex {
  built: Promise<Built>;
  checkedAt: number;
  /** A check (and the rebuild it found needed) under way. */
  checking: Promise<void> | null;
  /** Dropped from the cache (invalidateAllocationIndex): a check under way builds nothing more for it. */
  dropped: boolean;
}

const cache = new WeakMap<DataSource, CachedIndex>();

/**
 * What changes whenever an import ends, however it ended: how many runs have ended, how many of
 * them succeeded, and the latest end. Not the runs' ids: a run may end after a later one (two
 * processes importing at once), and TiDB's AUTO_RANDOM ids do not grow with time. A refused or
 * failed import changed nothing, but counting it costs one needless rebuild, where missing one
 * would keep old data.
 */
async function importMark(manager: EntityManager): Promise<string> {
  const [row] = (await manager.query(
    "SELECT COUNT(*) AS ended, SUM(CASE WHEN status = 'succeeded' THEN 1 ELSE 0 END) AS succeeded, MAX(finished_at) AS latest FROM import_runs WHERE status <> 'running'",
  )) as Array<{ ended: number | string; succeeded: number | string | null; latest: Date | string | null }>;
  const latest = row.latest instanceof Date ? row.latest.toISOString() : String(row.latest);
  return `${Number(row.ended)}|${Number(row.succeeded ?? 0)}|${latest}`;
}

/**
 * Reads the mark, then the index. On MySQL both come from one transaction's snapshot, so an
 * import committing meanwhile is either wholly in the index or shows as a newer mark at the next
 * check. SQLite's one connection carries every query of the process, so there the two are read
 * without one: an import by another process committing mid-read still shows as a newer mark.
 */
async function build(dataSource: DataSource): Promise<Built> {
  const read = async (manager: EntityManager): Promise<Built> => {
    const mark = await importMark(manager);
    return { mark, index: await loadAllocationIndex(manager) };
  };
  if (dialectOf(dataSource.manager) === 'sqlite') return read(dataSource.manager);
  return dataSource.transaction('REPEATABLE READ', read);
}

/**
 * The index for this database, built once and rebuilt after the data changes: at once after an
 * import by this process (invalidateAllocationIndex), and, for one by another process, when a
 * check of import_runs (at most every indexRecheck.intervalMs) finds that one has ended. Until
 * that rebuild is done the old index answers, and a failed check or rebuild is logged and tried
 * again at the next. `fresh` waits for a check begun after the call, and its rebuild, and fails
 * with them (an audit, which must see what the store holds now).
 */
export async function allocationIndexFor(
  dataSource: DataSource,
  options: { fresh?: boolean } = {},
): Promise<AllocationIndex> {
  const entry = cache.get(dataSource);
  if (!entry) {
    const created: CachedIndex = { built: build(dataSource), checkedAt: Date.now(), checking: null, dropped: false };
    created.built.catch(() => {
      if (cache.get(dataSource) === created) cache.delete(dataSource);
    });
    cache.set(dataSource, created);
    return (await created.built).index;
  }
  if (options.fresh) {
    // A check begun before this call may have read the mark before an import this caller knows
    // of: let it end (its failure is logged where it began), then check again.
    if (entry.checking) await entry.checking.catch(() => undefined);
    entry.checking ??= recheck(dataSource, entry);
    await entry.checking;
  } else if (entry.checking === null && Date.now() - entry.checkedAt >= indexRecheck.intervalMs) {
    entry.checking = recheck(dataSource, entry);
    entry.checking.catch((error: unknown) =>
      logger().error(
        { err: error },
        'allocation index: looking for imports by other processes failed; the index in use stays until the next check',
      ),
    );
  }
  return (await entry.built).index;
}

async function recheck(dataSource: DataSource, entry: CachedIndex): Promise<void> {
  try {
    const { mark } = await entry.built;
    if (entry.dropped || (await importMark(dataSource.manager)) === mark) return;
    const next = await build(dataSource);
    if (!entry.dropped) entry.built = Promise.resolve(next);
  } finally {
    entry.checkedAt = Date.now();
    entry.checking = null;
  }
}

/** Call after anything that changes allocations, carriers, agents or entities. */
export function invalidateAllocationIndex(dataSource: DataSource): void {
  const entry = cache.get(dataSource);
  if (entry) entry.dropped = true;
  cache.delete(dataSource);
}

/** The number or the time a user gave could not be understood. */
export class LookupInputError extends UserError {
  constructor(
    readonly field: 'number' | 'at',
    readonly code: string,
    readonly value: string,
  ) {
    super(400, `lookup.${field}.invalid`, {}, { message: `${field}: ${code} (${value})` });
  }

  /** Which field, and why in the words of the issue catalogue. */
  override text(locale: Locale): string {
    return t(locale, this.messageKey, { reason: t(locale, `issue.${this.code}`) });
  }
}

export interface LookupResult {
  /** The number as normalised. */
  number: string;
  at: Date;
  chain: Chain | null;
}

/**
 * Who held `rawNumber` at `rawAt` (a timestamp as docs/dataset-format.md#values accepts; default
 * now). A chain that starts at a carrier outside `scope` is not shown: to that user the number is
 * simply not covered. `once`: the only question this process asks (the command line): read just
 * the rows of this number's chain rather than build (and keep) the index of every allocation.
 */
export async function lookupNumber(
  dataSource: DataSource,
  rawNumber: string,
  rawAt?: string | null,
  scope: Scope = EVERYTHING,
  options: { once?: boolean } = {},
): Promise<LookupResult> {
  const number = parse106(rawNumber, 'number');
  if (!number.ok) throw new LookupInputError('number', number.code, rawNumber);
  let at = new Date();
  if (rawAt && rawAt.trim() !== '') {
    const parsed = parseTimestamp(rawAt);
    if (!parsed.ok) throw new LookupInputError('at', parsed.code, rawAt);
    at = parsed.value;
  }
  const index = options.once
    ? await loadIndexFor(dataSource.manager, number.value)
    : await allocationIndexFor(dataSource);
  const chain = chainAt(index, number.value, at);
  const visible = chain !== null && coversCarrier(scope, chain.links[0].holder.id);
  return { number: number.value, at, chain: visible ? chain : null };
}

/** `lookup --json` (docs/cli.md#lookup). */
export function lookupJson(result: LookupResult, formatAt: (at: Date) => string): object {
  return {
    number: result.number,
    at: formatAt(result.at),
    chain: (result.chain?.links ?? []).map((link) => ({
      prefix: link.prefix,
      holder: link.holder.key,
      lessee: link.lessee.key,
      lessee_kind: link.lessee.kind,
      level: link.level,
    })),
    entity: result.chain?.entity ? { uscc: result.chain.entity.key, name: result.chain.entity.name } : null,
  };
}
