import { z } from 'zod';
import { t, type Locale } from '../i18n/index.ts';
import { formatShanghai } from '../numbering/time.ts';
import { normaliseUscc } from '../numbering/uscc.ts';
import { param } from './query.ts';
import type { AllocationRow, PartyRef } from '../services/browse.ts';

// View-model pieces every page that shows parties and allocations uses.

/** A row id in a page address (`/findings/12`): up to 2⁵³, as a TiDB store's BIGINT ids go (docs/scaling.md). */
export const idParam = z.coerce.number().int().min(1).max(Number.MAX_SAFE_INTEGER);

/** `?q=…&page=…` of a searchable list. */
export const listQuery = z.object({
  q: param.text(100),
  page: param.page(),
});

/** The page of a carrier, agent or using entity. */
export function partyUrl(party: Pick<PartyRef, 'kind' | 'key'>): string {
  const base = party.kind === 'carrier' ? '/carriers' : party.kind === 'agent' ? '/agents' : '/entities';
  return `${base}/${encodeURIComponent(party.key)}`;
}

export function partyView(party: PartyRef, locale: Locale) {
  return { name: party.name, key: party.key, url: partyUrl(party), kind: t(locale, `kind.${party.kind}`) };
}

/** "2021-01-01 至 2023-06-30", or "2021-01-01 起长期有效" for an open-ended allocation. */
export function validityText(row: Pick<AllocationRow, 'validFrom' | 'validTo'>, locale: Locale): string {
  return row.validTo === null
    ? t(locale, 'browse.valid_open', { from: row.validFrom })
    : t(locale, 'browse.valid_range', { from: row.validFrom, to: row.validTo });
}

export function allocationView(row: AllocationRow, locale: Locale) {
  return {
    prefix: row.prefix,
    lookupUrl: `/lookup?number=${encodeURIComponent(row.prefix)}`,
    holder: partyView(row.holder, locale),
    lessee: partyView(row.lessee, locale),
    validity: validityText(row, locale),
    miitFilingNo: row.miitFilingNo,
    declared: row.declared,
    level: row.level,
  };
}

/** The USCC in a page address, tidied as a user might have typed it; null when it cannot be one. */
export function usccParam(raw: string): string | null {
  const uscc = normaliseUscc(raw);
  return uscc.length === 18 ? uscc : null;
}

/** An instant as people in China read it: Beijing wall-clock time, `2022-03-14 09:30:00`. */
export function beijingTime(instant: Date): string {
  return formatShanghai(instant).slice(0, 19).replace('T', ' ');
}
