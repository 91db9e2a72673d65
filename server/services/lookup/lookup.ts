import type { DataSource, EntityManager } from 'typeorm';
import { AllocationIndexBuilder, chainAt, type AllocationIndex, type Party } from '../../chain/allocationIndex.ts';
import { Agent, Carrier, UsingEntity } from '../../entities/index.ts';
import { coversCarrier, EVERYTHING, type Scope } from '../accounts/scope.ts';
import { dialectOf } from '../import/upsert.ts';
import { logger } from '../../log.ts';
import {
  addAllocations,
  ALLOCATION_COLUMNS,
  lookupOnce,
  readLookupInput,
  type AllocationRecord,
  type LookupResult,
  type Parties,
} from './chainOnce.ts';

export { LookupInputError, lookupJson, type LookupResult } from './chainOnce.ts';

/**
 * Rows read at a time while loading the index. A page's rows are objects until the builder has
 * taken them; at 50,000 a page the server's heap grew to hold them and kept the room (RSS with a
 * million allocations 305–311 MB, peak 494 MB; at 10,000: 271–287 MB, peak ≈ 300 MB, and the load
 * no slower).
 */
const PAGE_ROWS = 10_000;

/** The parties allocations name: all of them. */
async function loadParties(manager: EntityManager): Promise<Parties> {
  const carriers = new Map<number, Party>();
  const agents = new Map<number, Party>();
  const entities = new Map<number, Party>();
  for (const c of await manager.getRepository(Carrier).find())
    carriers.set(c.id, { kind: 'carrier', id: c.id, key: c.code, name: c.name });
  const select = { id: true, uscc: true, name: true } as const;
  for (const a of await manager.getRepository(Agent).find({ select }))
    agents.set(a.id, { kind: 'agent', id: a.id, key: a.uscc, name: a.name });
  for (const e of await manager.getRepository(UsingEntity).find({ select }))
    entities.set(e.id, { kind: 'entity', id: e.id, key: e.uscc, name: e.name });
  return { carriers, agents, entities };
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
  const { number, at } = readLookupInput(rawNumber, rawAt);
  const chain = options.once
    ? (await lookupOnce((sql, parameters) => dataSource.manager.query(sql, parameters), number, at)).chain
    : chainAt(await allocationIndexFor(dataSource), number, at);
  const visible = chain !== null && coversCarrier(scope, chain.links[0].holder.id);
  return { number, at, chain: visible ? chain : null };
}
