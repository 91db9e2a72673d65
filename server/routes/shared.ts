import { z } from 'zod';
import { normaliseUscc } from '../numbering/uscc.ts';
import { param } from './query.ts';

// What page addresses and list queries may hold, read the same way by every route.

/** A row id in a page address (`/findings/12`): up to 2⁵³, as a TiDB store's BIGINT ids go (docs/scaling.md). */
export const idParam = z.coerce.number().int().min(1).max(Number.MAX_SAFE_INTEGER);

/** `?q=…&page=…` of a searchable list. */
export const listQuery = z.object({
  q: param.text(100),
  page: param.page(),
});

/** The USCC in a page address, tidied as a user might have typed it; null when it cannot be one. */
export function usccParam(raw: string): string | null {
  const uscc = normaliseUscc(raw);
  return uscc.length === 18 ? uscc : null;
}
