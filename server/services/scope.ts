import type { Principal } from './accounts.ts';

/**
 * What a signed-in user may see. A carrier's staff see only the allocations whose chain starts at
 * their carrier, and the agents, entities and numbers in those chains; regulators and
 * administrators see everything. Every query that reads allocation data takes one, so the rule
 * holds whatever page, API or link leads there.
 */
export interface Scope {
  /** null: every carrier. */
  carrierId: number | null;
}

export const EVERYTHING: Scope = { carrierId: null };

export function scopeOf(principal: Principal | null): Scope {
  return principal?.role === 'carrier' ? { carrierId: principal.carrierId ?? -1 } : EVERYTHING;
}
