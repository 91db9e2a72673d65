import { formatShanghai } from '../numbering/time.ts';

/** An instant as people in China read it: Beijing wall-clock time, `2022-03-14 09:30:00`. */
export function beijingTime(instant: Date): string {
  return formatShanghai(instant).slice(0, 19).replace('T', ' ');
}
