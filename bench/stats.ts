/** The bench's summaries of repeated measurements. */

/** The middle measurement (of an even count, the upper of the two middle ones): always one that was taken. */
export function median(values: readonly number[]): number {
  return [...values].sort((a, b) => a - b)[values.length >> 1];
}

/** Rates from repeated trials: the median, with the slowest and the fastest beside it. */
export function trialRates(rates: readonly number[]): { perSecond: number; slowest: number; fastest: number } {
  return { perSecond: median(rates), slowest: Math.min(...rates), fastest: Math.max(...rates) };
}
