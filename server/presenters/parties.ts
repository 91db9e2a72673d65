import { t, type Locale } from '../i18n/index.ts';
import type { AllocationRow, PartyRef } from '../services/lookup/browse.ts';

// View-model pieces every page that shows parties and allocations uses.

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
