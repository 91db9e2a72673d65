import {
  AllocationIndexBuilder,
  chainAt,
  type AllocationIndex,
  type Chain,
  type Party,
} from '../../chain/allocationIndex.ts';
import { UserError } from '../../errors.ts';
import { t, type Locale } from '../../i18n/index.ts';
import { parse106 } from '../../numbering/number106.ts';
import { parseTimestamp } from '../../numbering/time.ts';

/**
 * One lookup asked once (`sms106 lookup`, docs/cli.md#lookup): the rows of one number's chain,
 * read with plain SQL through whatever runs it (TypeORM's manager, or the bare driver the command
 * line opens, server/db/plainStore.ts), so that this module loads no TypeORM. The input's checks
 * and the JSON answer are here too, shared by every lookup (services/lookup/lookup.ts).
 */

/** Runs one SQL statement with `?` parameters and gives its rows. */
export type Query = (sql: string, parameters: unknown[]) => Promise<Array<Record<string, unknown>>>;

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
 * The number (normalised) and the moment (a timestamp as docs/dataset-format.md#values accepts;
 * default now) of a lookup; LookupInputError when either cannot be read.
 */
export function readLookupInput(rawNumber: string, rawAt?: string | null): { number: string; at: Date } {
  const number = parse106(rawNumber, 'number');
  if (!number.ok) throw new LookupInputError('number', number.code, rawNumber);
  let at = new Date();
  if (rawAt && rawAt.trim() !== '') {
    const parsed = parseTimestamp(rawAt);
    if (!parsed.ok) throw new LookupInputError('at', parsed.code, rawAt);
    at = parsed.value;
  }
  return { number: number.value, at };
}

/** An allocation's columns as the index reads them. */
export interface AllocationRecord {
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

export const ALLOCATION_COLUMNS =
  'id, prefix, parent_id, level, holder_carrier_id, holder_agent_id, lessee_agent_id, lessee_entity_id,' +
  ' valid_from, valid_to, declared, miit_filing_no';

export interface Parties {
  carriers: Map<number, Party>;
  agents: Map<number, Party>;
  entities: Map<number, Party>;
}

/** Puts allocation rows into the index being built, each with its holder and lessee. */
export function addAllocations(
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
 * An index of only the allocations that can be in `number`'s chain: a link's prefix always begins
 * the number (a re-lease narrows its parent's range), so those are the rows whose prefix is one
 * of the number's leading digits, found through the prefix-first unique index; and only the
 * parties those rows name. For one question asked once this reads a handful of rows where the
 * whole index reads them all.
 */
export async function chainIndexFor(query: Query, number: string): Promise<AllocationIndex> {
  const prefixes = Array.from({ length: number.length }, (_, i) => number.slice(0, i + 1));
  const rows = (await query(
    `SELECT ${ALLOCATION_COLUMNS} FROM allocations WHERE prefix IN (${prefixes.map(() => '?').join(', ')}) ORDER BY id`,
    prefixes,
  )) as unknown as AllocationRecord[];
  const ids = (...picks: Array<(row: AllocationRecord) => number | null>) => [
    ...new Set(
      rows
        .flatMap((row) => picks.map((pick) => pick(row)))
        .filter((id) => id !== null)
        .map(Number),
    ),
  ];
  const named = async (table: 'agents' | 'entities', kind: 'agent' | 'entity', wanted: number[]) => {
    const parties = new Map<number, Party>();
    if (wanted.length === 0) return parties;
    const found = await query(
      `SELECT id, uscc, name FROM ${table} WHERE id IN (${wanted.map(() => '?').join(', ')})`,
      wanted,
    );
    for (const p of found) {
      const id = Number(p.id);
      parties.set(id, { kind, id, key: String(p.uscc), name: String(p.name) });
    }
    return parties;
  };
  const carriers = new Map<number, Party>();
  for (const c of await query('SELECT id, code, name FROM carriers', [])) {
    const id = Number(c.id);
    carriers.set(id, { kind: 'carrier', id, key: String(c.code), name: String(c.name) });
  }
  const parties: Parties = {
    carriers,
    agents: await named(
      'agents',
      'agent',
      ids(
        (row) => row.holder_agent_id,
        (row) => row.lessee_agent_id,
      ),
    ),
    entities: await named(
      'entities',
      'entity',
      ids((row) => row.lessee_entity_id),
    ),
  };
  const builder = new AllocationIndexBuilder(rows.length);
  addAllocations(builder, rows, parties);
  const index = builder.build();
  await index.buildFreed;
  return index;
}

/** Who held `number` at `at`, reading only that number's rows through `query`. */
export async function lookupOnce(query: Query, number: string, at: Date): Promise<LookupResult> {
  return { number, at, chain: chainAt(await chainIndexFor(query, number), number, at) };
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
