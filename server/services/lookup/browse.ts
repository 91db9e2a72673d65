import { Brackets, In, type DataSource, type ObjectLiteral, type SelectQueryBuilder } from 'typeorm';
import type { Party } from '../../chain/allocationIndex.ts';
import { Agent, Allocation, Carrier, Complaint, Message, Signature, UsingEntity } from '../../entities/index.ts';
import { shanghaiDayRange } from '../../numbering/time.ts';
import { isValidUscc, normaliseUscc, usccKind, type EntityKind } from '../../numbering/uscc.ts';
import { pushTo } from '../../util/pushTo.ts';
import { carrierStats } from './dashboard.ts';
import { coversCarrier, scoped, type Scope } from '../accounts/scope.ts';
import { likeEscape } from '../../util/like.ts';

/** A carrier, agent or using entity named on a page, with the key (code or USCC) its page is found by. */
export type PartyRef = Omit<Party, 'id'>;

/** One page of a longer list; `page` is the page actually read (a page past the end reads the last). */
export interface PageOf<T> {
  rows: T[];
  total: number;
  page: number;
}

export interface Paging {
  page: number;
  perPage: number;
}

export interface AllocationRow {
  id: number;
  prefix: string;
  holder: PartyRef;
  lessee: PartyRef;
  validFrom: string;
  validTo: string | null;
  miitFilingNo: string | null;
  declared: boolean;
  level: number;
}

export interface CarrierSummary {
  code: string;
  name: string;
  /** Root allocations: the carrier's grants to first-level agents. */
  segments: number;
  /** Every allocation in the trees under those roots, the roots included. */
  allocations: number;
}

export interface AgentSummary {
  uscc: string;
  name: string;
  licenceNo: string | null;
  /** Allocations where the agent is the lessee. */
  held: number;
  /** The highest level among those; null when it holds nothing. */
  topLevel: number | null;
}

export interface AgentDetails {
  id: number;
  uscc: string;
  usccValid: boolean;
  name: string;
  licenceNo: string | null;
  contact: string | null;
  address: string | null;
  /** The distinct levels at which the agent is a lessee, lowest first. */
  levels: number[];
}

export interface EntitySummary {
  uscc: string;
  name: string;
  /** The staff override when there is one, else the class the USCC implies. */
  kind: EntityKind;
  signatures: string[];
}

export interface EntityDetails extends EntitySummary {
  id: number;
  usccValid: boolean;
  /** The class the USCC's first characters imply, whatever the override says. */
  usccKind: EntityKind;
  /** True when staff set a class different from the one the USCC implies. */
  kindOverridden: boolean;
}

/** SQLite and MariaDB both honour an explicit ESCAPE character; `!` needs no quoting in either. */
/** Reads one page of `query` after counting it; the page asked for is pulled into range. */
async function readPage<T extends object>(query: SelectQueryBuilder<T>, paging: Paging): Promise<PageOf<T>> {
  const total = await query.getCount();
  const pages = Math.max(1, Math.ceil(total / paging.perPage));
  const page = Math.min(Math.max(1, Math.floor(paging.page)), pages);
  const rows =
    total === 0
      ? []
      : await query
          .offset((page - 1) * paging.perPage)
          .limit(paging.perPage)
          .getMany();
  return { rows, total, page };
}

// ---------------------------------------------------------------- allocations

/** Allocations with both parties joined, so each row can name its holder and lessee. */
function allocationsWithParties(dataSource: DataSource): SelectQueryBuilder<Allocation> {
  return dataSource
    .getRepository(Allocation)
    .createQueryBuilder('a')
    .leftJoinAndSelect('a.holderCarrier', 'holderCarrier')
    .leftJoinAndSelect('a.holderAgent', 'holderAgent')
    .leftJoinAndSelect('a.lesseeAgent', 'lesseeAgent')
    .leftJoinAndSelect('a.lesseeEntity', 'lesseeEntity')
    .orderBy('a.prefix', 'ASC')
    .addOrderBy('a.validFrom', 'ASC')
    .addOrderBy('a.id', 'ASC');
}

function allocationRow(a: Allocation): AllocationRow {
  const holder: PartyRef = a.holderCarrier
    ? { kind: 'carrier', key: a.holderCarrier.code, name: a.holderCarrier.name }
    : { kind: 'agent', key: a.holderAgent!.uscc, name: a.holderAgent!.name };
  const lessee: PartyRef = a.lesseeAgent
    ? { kind: 'agent', key: a.lesseeAgent.uscc, name: a.lesseeAgent.name }
    : { kind: 'entity', key: a.lesseeEntity!.uscc, name: a.lesseeEntity!.name };
  return {
    id: a.id,
    prefix: a.prefix,
    holder,
    lessee,
    validFrom: a.validFrom,
    validTo: a.validTo,
    miitFilingNo: a.miitFilingNo,
    // SQLite hands booleans back as 0/1.
    declared: Boolean(a.declared),
    level: a.level,
  };
}

async function allocationPage(query: SelectQueryBuilder<Allocation>, paging: Paging): Promise<PageOf<AllocationRow>> {
  const result = await readPage(query, paging);
  return { ...result, rows: result.rows.map(allocationRow) };
}

// ---------------------------------------------------------------- carriers

/** Every carrier in scope with its segment count and the size of the allocation trees under them. */
export async function carrierSummaries(dataSource: DataSource, scope: Scope): Promise<CarrierSummary[]> {
  return (await carrierStats(dataSource, scope)).map((c) => ({
    code: c.code,
    name: c.name,
    segments: c.segments,
    allocations: c.allocations,
  }));
}

/** The carrier, when it exists and is in scope. */
export async function findCarrier(
  dataSource: DataSource,
  code: string,
  scope: Scope,
): Promise<{ id: number; code: string; name: string } | null> {
  const carrier = await dataSource.getRepository(Carrier).findOneBy({ code });
  if (!carrier || !coversCarrier(scope, carrier.id)) return null;
  return { id: carrier.id, code: carrier.code, name: carrier.name };
}

/**
 * The carrier's root segments (a root's holder is its root carrier: idx_allocations_root_carrier_holder), by prefix.
 */
export function carrierSegments(
  dataSource: DataSource,
  carrierId: number,
  paging: Paging,
): Promise<PageOf<AllocationRow>> {
  return allocationPage(
    allocationsWithParties(dataSource).where('a.rootCarrierId = :carrierId AND a.holderCarrierId = :carrierId', {
      carrierId,
    }),
    paging,
  );
}

/** Rows whose name contains `q` or whose USCC starts with it; every row for an empty `q`. */
function matchNameOrUscc(query: SelectQueryBuilder<ObjectLiteral>, alias: string, q: string): void {
  const text = q.trim();
  if (text === '') return;
  query.where(
    new Brackets((match) =>
      match
        .where(`${alias}.name LIKE :name ESCAPE '!'`, { name: `%${likeEscape(text)}%` })
        .orWhere(`${alias}.uscc LIKE :uscc ESCAPE '!'`, { uscc: `${likeEscape(normaliseUscc(text))}%` }),
    ),
  );
}

// ---------------------------------------------------------------- agents

/** Agents whose name contains `q` or whose USCC starts with it (all agents for an empty `q`), by name. */
export async function searchAgents(
  dataSource: DataSource,
  q: string,
  paging: Paging,
  scope: Scope,
): Promise<PageOf<AgentSummary>> {
  const query = dataSource
    .getRepository(Agent)
    .createQueryBuilder('agent')
    .orderBy('agent.name', 'ASC')
    .addOrderBy('agent.id', 'ASC');
  matchNameOrUscc(query, 'agent', q);
  scoped.agents(query, scope);
  const result = await readPage(query, paging);
  const ids = result.rows.map((a) => a.id);
  const stats =
    ids.length === 0
      ? []
      : await scoped
          .allocations(
            dataSource
              .getRepository(Allocation)
              .createQueryBuilder('a')
              .select('a.lesseeAgentId', 'agentId')
              .addSelect('COUNT(a.id)', 'held')
              .addSelect('MAX(a.level)', 'topLevel')
              .where('a.lesseeAgentId IN (:...ids)', { ids }),
            scope,
          )
          .groupBy('a.lesseeAgentId')
          .getRawMany<{ agentId: number; held: number | string; topLevel: number | string }>();
  const statsOf = new Map(
    stats.map((s) => [Number(s.agentId), { held: Number(s.held), topLevel: Number(s.topLevel) }]),
  );
  return {
    ...result,
    rows: result.rows.map((a) => ({
      uscc: a.uscc,
      name: a.name,
      licenceNo: a.licenceNo,
      held: statsOf.get(a.id)?.held ?? 0,
      topLevel: statsOf.get(a.id)?.topLevel ?? null,
    })),
  };
}

/** The agent, when it exists and takes part in a chain in scope. */
export async function findAgent(dataSource: DataSource, uscc: string, scope: Scope): Promise<AgentDetails | null> {
  const query = dataSource.getRepository(Agent).createQueryBuilder('agent').where('agent.uscc = :uscc', { uscc });
  const agent = await scoped.agents(query, scope).getOne();
  if (!agent) return null;
  const levels = await scoped
    .allocations(
      dataSource
        .getRepository(Allocation)
        .createQueryBuilder('a')
        .select('DISTINCT a.level', 'level')
        .where('a.lesseeAgentId = :id', { id: agent.id }),
      scope,
    )
    .getRawMany<{ level: number | string }>();
  return {
    id: agent.id,
    uscc: agent.uscc,
    usccValid: isValidUscc(agent.uscc),
    name: agent.name,
    licenceNo: agent.licenceNo,
    contact: agent.contact,
    address: agent.address,
    levels: levels.map((l) => Number(l.level)).sort((x, y) => x - y),
  };
}

/** What the agent holds, and from whom: allocations where it is the lessee. */
export function agentHoldings(
  dataSource: DataSource,
  agentId: number,
  paging: Paging,
  scope: Scope,
): Promise<PageOf<AllocationRow>> {
  return allocationPage(
    scoped.allocations(allocationsWithParties(dataSource).where('a.lesseeAgentId = :agentId', { agentId }), scope),
    paging,
  );
}

/** What the agent grants, and to whom: allocations where it is the holder. */
export function agentGrants(
  dataSource: DataSource,
  agentId: number,
  paging: Paging,
  scope: Scope,
): Promise<PageOf<AllocationRow>> {
  return allocationPage(
    scoped.allocations(allocationsWithParties(dataSource).where('a.holderAgentId = :agentId', { agentId }), scope),
    paging,
  );
}

/** A span of Beijing days (`to` inclusive; null: open-ended). */
export interface Period {
  from: string;
  to: string | null;
}

/**
 * The days the agent held anything in scope: its holdings' validity periods, overlapping or
 * adjoining ones merged, earliest first.
 */
export async function agentHeldPeriods(dataSource: DataSource, agentId: number, scope: Scope): Promise<Period[]> {
  const rows = await scoped
    .allocations(
      dataSource
        .getRepository(Allocation)
        .createQueryBuilder('a')
        .select(['a.id', 'a.validFrom', 'a.validTo'])
        .where('a.lesseeAgentId = :agentId', { agentId }),
      scope,
    )
    .orderBy('a.validFrom', 'ASC')
    .getMany();
  const periods: Period[] = [];
  for (const row of rows) {
    const last = periods[periods.length - 1];
    if (last && (last.to === null || dayAfter(last.to) >= row.validFrom)) {
      if (last.to !== null && (row.validTo === null || row.validTo > last.to)) last.to = row.validTo;
    } else periods.push({ from: row.validFrom, to: row.validTo });
  }
  return periods;
}

function dayAfter(day: string): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
}

// ---------------------------------------------------------------- using entities

function entityKindOf(entity: UsingEntity): EntityKind {
  return (entity.kind as EntityKind | null) ?? usccKind(entity.uscc);
}

async function signaturesOf(dataSource: DataSource, entityIds: number[]): Promise<Map<number, string[]>> {
  const byEntity = new Map<number, string[]>();
  if (entityIds.length === 0) return byEntity;
  const signatures = await dataSource
    .getRepository(Signature)
    .find({ where: { entityId: In(entityIds) }, order: { id: 'ASC' } });
  for (const s of signatures) pushTo(byEntity, s.entityId, s.text);
  return byEntity;
}

/** Entities whose name contains `q` or whose USCC starts with it (all for an empty `q`), by name. */
export async function searchEntities(
  dataSource: DataSource,
  q: string,
  paging: Paging,
  scope: Scope,
): Promise<PageOf<EntitySummary>> {
  const query = dataSource
    .getRepository(UsingEntity)
    .createQueryBuilder('entity')
    .orderBy('entity.name', 'ASC')
    .addOrderBy('entity.id', 'ASC');
  matchNameOrUscc(query, 'entity', q);
  scoped.entities(query, scope);
  const result = await readPage(query, paging);
  const signatures = await signaturesOf(
    dataSource,
    result.rows.map((e) => e.id),
  );
  return {
    ...result,
    rows: result.rows.map((e) => ({
      uscc: e.uscc,
      name: e.name,
      kind: entityKindOf(e),
      signatures: signatures.get(e.id) ?? [],
    })),
  };
}

/** The entity, when it exists and holds a number in a chain in scope. */
export async function findEntity(dataSource: DataSource, uscc: string, scope: Scope): Promise<EntityDetails | null> {
  const query = dataSource
    .getRepository(UsingEntity)
    .createQueryBuilder('entity')
    .where('entity.uscc = :uscc', { uscc });
  const entity = await scoped.entities(query, scope).getOne();
  if (!entity) return null;
  const signatures = await signaturesOf(dataSource, [entity.id]);
  const implied = usccKind(entity.uscc);
  const kind = entityKindOf(entity);
  return {
    id: entity.id,
    uscc: entity.uscc,
    usccValid: isValidUscc(entity.uscc),
    name: entity.name,
    kind,
    usccKind: implied,
    kindOverridden: kind !== implied,
    signatures: signatures.get(entity.id) ?? [],
  };
}

/** The numbers granted to the entity: allocations where it is the lessee. */
export function entityAllocations(
  dataSource: DataSource,
  entityId: number,
  paging: Paging,
  scope: Scope,
): Promise<PageOf<AllocationRow>> {
  return allocationPage(
    scoped.allocations(allocationsWithParties(dataSource).where('a.lesseeEntityId = :entityId', { entityId }), scope),
    paging,
  );
}

/** How many of an entity's allocations its traffic is matched against; an entity rarely holds more. */
export const ENTITY_TRAFFIC_ALLOCATIONS = 500;

/**
 * The traffic sent from the entity's numbers while it held them (docs/domain.md#validity-over-time): a
 * message or complaint whose sender starts with a prefix the entity held, at a time inside that
 * allocation's validity. Newest first, a page at a time, within scope.
 */
async function entityTraffic<T extends Message | Complaint>(
  dataSource: DataSource,
  target: typeof Message | typeof Complaint,
  timeColumn: 'sent_at' | 'reported_at',
  entityId: number,
  paging: Paging,
  scope: Scope,
): Promise<PageOf<T>> {
  const held = await scoped
    .allocations(
      dataSource
        .getRepository(Allocation)
        .createQueryBuilder('a')
        .select(['a.id', 'a.prefix', 'a.validFrom', 'a.validTo'])
        .where('a.lesseeEntityId = :entityId', { entityId }),
      scope,
    )
    .orderBy('a.id', 'ASC')
    .limit(ENTITY_TRAFFIC_ALLOCATIONS)
    .getMany();
  if (held.length === 0) return { rows: [], total: 0, page: 1 };
  const query = scoped.traffic(
    dataSource.getRepository(target).createQueryBuilder('t'),
    scope,
  ) as SelectQueryBuilder<T>;
  query.andWhere(
    new Brackets((any) => {
      held.forEach((allocation, i) => {
        const during = shanghaiDayRange(allocation.validFrom, allocation.validTo ?? undefined);
        const condition =
          `(t.sender LIKE :prefix${i} ESCAPE '!' AND t.${timeColumn} >= :from${i}` +
          (during.to ? ` AND t.${timeColumn} < :to${i})` : ')');
        any.orWhere(condition, {
          [`prefix${i}`]: `${likeEscape(allocation.prefix)}%`,
          [`from${i}`]: during.from,
          ...(during.to ? { [`to${i}`]: during.to } : {}),
        });
      });
    }),
  );
  query.orderBy(`t.${timeColumn}`, 'DESC').addOrderBy('t.id', 'DESC');
  return readPage(query, paging);
}

/** The messages sent from the entity's numbers while it held them, newest first. */
export function entityMessages(
  dataSource: DataSource,
  entityId: number,
  paging: Paging,
  scope: Scope,
): Promise<PageOf<Message>> {
  return entityTraffic<Message>(dataSource, Message, 'sent_at', entityId, paging, scope);
}

/** The complaints about the entity's numbers while it held them, newest first. */
export function entityComplaints(
  dataSource: DataSource,
  entityId: number,
  paging: Paging,
  scope: Scope,
): Promise<PageOf<Complaint>> {
  return entityTraffic<Complaint>(dataSource, Complaint, 'reported_at', entityId, paging, scope);
}
