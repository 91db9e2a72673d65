import type { ObjectLiteral, SelectQueryBuilder } from 'typeorm';
import type { CarrierTotals } from '../../entities/AuditRun.ts';
import type { Principal } from './accounts.ts';

/**
 * What a signed-in user may see. A carrier's staff see only the allocations whose chain starts at
 * their carrier, and the agents, entities and numbers in those chains; regulators and
 * administrators see everything. Every query that reads allocation data takes one, so the rule
 * holds whatever page, API or link leads there.
 *
 * This module is the only place that reads a scope's carrier (test/suite/scopeHelper.test.ts):
 * services and routes confine a query with `scoped`, a find with `scopedWhere`, and a row already
 * read with `coversCarrier`, so no caller writes the condition by hand.
 */
export interface Scope {
  /** null: every carrier. */
  readonly carrierId: number | null;
}

export const EVERYTHING: Scope = { carrierId: null };

/** A carrier user bound to no carrier: the account layer never creates one, so the data is broken. */
export class CarrierlessUserError extends Error {
  constructor(readonly userName: string) {
    super(`carrier user "${userName}" is bound to no carrier; its scope cannot be decided`);
    this.name = 'CarrierlessUserError';
  }
}

export function scopeOf(principal: Principal | null): Scope {
  if (principal?.role !== 'carrier') return EVERYTHING;
  if (principal.carrierId === null) throw new CarrierlessUserError(principal.name);
  return { carrierId: principal.carrierId };
}

/** Regulators and administrators: no carrier confines what they see. */
export function seesEveryCarrier(scope: Scope): boolean {
  return scope.carrierId === null;
}

/** Whether a row belonging to `carrierId` (null: to no carrier) is visible in `scope`. */
export function coversCarrier(scope: Scope, carrierId: number | null): boolean {
  return scope.carrierId === null || carrierId === scope.carrierId;
}

/** Whether `scope` is confined to exactly `carrierId`: a carrier's own issuers, not everyone's. */
export function confinedTo(scope: Scope, carrierId: number | null): boolean {
  return scope.carrierId !== null && carrierId === scope.carrierId;
}

/** The carriers whose findings count in `scope`: null for all of them. */
export function carrierIdsOf(scope: Scope): number[] | null {
  return scope.carrierId === null ? null : [scope.carrierId];
}

/**
 * An audit run's findings counted for `scope`: null when it sees every carrier (the run's own
 * totals apply), undefined when the run kept no per-carrier totals, else the carrier's own.
 */
export function carrierTotalsIn(scope: Scope, totals: CarrierTotals | null): [number, number] | null | undefined {
  if (scope.carrierId === null) return null;
  return totals === null ? undefined : (totals[scope.carrierId] ?? [0, 0]);
}

/** Adds `condition` on the scope's carrier (parameter :scopeCarrier) to a query, unless it sees everything. */
function confine<T extends ObjectLiteral>(
  query: SelectQueryBuilder<T>,
  scope: Scope,
  condition: string,
): SelectQueryBuilder<T> {
  return scope.carrierId === null ? query : query.andWhere(condition, { scopeCarrier: scope.carrierId });
}

/**
 * Confines a query (on its main alias) to the rows of the scope's carrier. Each is named for the
 * table it reads; the query's main entity must be that table.
 */
export const scoped = {
  /** Findings of chains rooted at the carrier (findings.root_carrier_id). */
  findings: <T extends ObjectLiteral>(query: SelectQueryBuilder<T>, scope: Scope) =>
    confine(query, scope, `${query.alias}.rootCarrierId = :scopeCarrier`),
  /** Allocations in the carrier's chains (allocations.root_carrier_id). */
  allocations: <T extends ObjectLiteral>(query: SelectQueryBuilder<T>, scope: Scope) =>
    confine(query, scope, `${query.alias}.rootCarrierId = :scopeCarrier`),
  /** Messages or complaints attributed to the carrier (their root_carrier_id). */
  traffic: <T extends ObjectLiteral>(query: SelectQueryBuilder<T>, scope: Scope) =>
    confine(query, scope, `${query.alias}.rootCarrierId = :scopeCarrier`),
  /** Notices sent for the carrier (notices.carrier_id). */
  notices: <T extends ObjectLiteral>(query: SelectQueryBuilder<T>, scope: Scope) =>
    confine(query, scope, `${query.alias}.carrierId = :scopeCarrier`),
  /** Agents that grant or hold anything in a chain of the carrier. */
  agents: <T extends ObjectLiteral>(query: SelectQueryBuilder<T>, scope: Scope) =>
    confine(
      query,
      scope,
      'EXISTS (SELECT 1 FROM allocations s WHERE s.root_carrier_id = :scopeCarrier' +
        ` AND (s.holder_agent_id = ${query.alias}.id OR s.lessee_agent_id = ${query.alias}.id))`,
    ),
  /** Using entities that hold a number in a chain of the carrier. */
  entities: <T extends ObjectLiteral>(query: SelectQueryBuilder<T>, scope: Scope) =>
    confine(
      query,
      scope,
      'EXISTS (SELECT 1 FROM allocations s WHERE s.root_carrier_id = :scopeCarrier' +
        ` AND s.lessee_entity_id = ${query.alias}.id)`,
    ),
};

/** The same confinement as a find-where, spread into the rest of the where. */
export const scopedWhere = {
  findings: (scope: Scope): { rootCarrierId?: number } =>
    scope.carrierId === null ? {} : { rootCarrierId: scope.carrierId },
  /** Messages or complaints. */
  traffic: (scope: Scope): { rootCarrierId?: number } =>
    scope.carrierId === null ? {} : { rootCarrierId: scope.carrierId },
  notices: (scope: Scope): { carrierId?: number } => (scope.carrierId === null ? {} : { carrierId: scope.carrierId }),
  /** Import runs a carrier's staff started (import_runs.carrier_id). */
  importRuns: (scope: Scope): { carrierId?: number } =>
    scope.carrierId === null ? {} : { carrierId: scope.carrierId },
};
