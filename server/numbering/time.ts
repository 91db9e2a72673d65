/**
 * Dates and timestamps of the interchange format (docs/dataset-format.md#values): dates are
 * `YYYY-MM-DD`, timestamps ISO 8601, and a timestamp without a zone is Asia/Shanghai. China has
 * kept one offset (+08:00, no daylight saving) since 1992, so a fixed offset is exact for this
 * data. Years are limited to 0000..9999, the four digits the format can write.
 */
import { accepted, rejected, type Parsed } from './parsed.ts';

const MS_PER_MINUTE = 60_000;
const MS_PER_DAY = 86_400_000;
const SHANGHAI_OFFSET_MINUTES = 8 * 60;

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
// date, then optionally [T or space] HH:MM[:SS[.fraction]] [Z | ±HH:MM | ±HHMM]
const TIMESTAMP =
  /^(\d{4})-(\d{2})-(\d{2})(?:[Tt ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(?:([Zz])|([+-])(\d{2}):?(\d{2}))?)?$/;

/** Days since 1970-01-01 of a calendar date, or null when there is no such date. */
function civilDayNumber(year: number, month: number, day: number): number | null {
  // setUTCFullYear, unlike Date.UTC, does not read years 0..99 as 1900..1999.
  const date = new Date(0);
  date.setUTCFullYear(year, month - 1, day);
  if (date.getUTCFullYear() !== year || date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) return null;
  return date.getTime() / MS_PER_DAY;
}

const FIRST_DAY = civilDayNumber(0, 1, 1)!;
const LAST_DAY = civilDayNumber(9999, 12, 31)!;

function dayNumberOfMatch(match: RegExpExecArray): number | null {
  return civilDayNumber(Number(match[1]), Number(match[2]), Number(match[3]));
}

const pad = (value: number, width = 2) => String(value).padStart(width, '0');

/** A strict `YYYY-MM-DD` that names a real calendar day. */
export function parseDate(raw: string): Parsed<string> {
  const date = raw.trim();
  const match = DATE.exec(date);
  if (!match || dayNumberOfMatch(match) === null) return rejected('date.invalid');
  return accepted(date);
}

/**
 * An ISO 8601 timestamp (`T` or a space between date and time, seconds and fraction optional,
 * zone `Z`/`±HH:MM`/`±HHMM` optional and +08:00 when absent) or a bare date (midnight in
 * Shanghai). Fractions below a millisecond are dropped, as `Date` cannot hold them.
 */
export function parseTimestamp(raw: string): Parsed<Date> {
  const match = TIMESTAMP.exec(raw.trim());
  const day = match ? dayNumberOfMatch(match) : null;
  if (!match || day === null) return rejected('timestamp.invalid');
  const [hour, minute, second] = [match[4], match[5], match[6]].map((part) => Number(part ?? 0));
  const millisecond = Number((match[7] ?? '').padEnd(3, '0').slice(0, 3));
  const [offsetHours, offsetMinutes] = [Number(match[10] ?? 0), Number(match[11] ?? 0)];
  if (hour > 23 || minute > 59 || second > 59 || offsetHours > 23 || offsetMinutes > 59)
    return rejected('timestamp.invalid');

  const offset = match[8]
    ? 0
    : match[9]
      ? (match[9] === '-' ? -1 : 1) * (offsetHours * 60 + offsetMinutes)
      : SHANGHAI_OFFSET_MINUTES;
  const epoch = day * MS_PER_DAY + ((hour * 60 + minute) * 60 + second) * 1000 + millisecond - offset * MS_PER_MINUTE;
  // Only instants that formatShanghai can write back, so that every import can be exported.
  const shanghaiDay = Math.floor((epoch + SHANGHAI_OFFSET_MINUTES * MS_PER_MINUTE) / MS_PER_DAY);
  if (shanghaiDay < FIRST_DAY || shanghaiDay > LAST_DAY) return rejected('timestamp.invalid');
  return accepted(new Date(epoch));
}

/** Milliseconds since the epoch on the Shanghai wall clock; throws on an invalid Date. */
function shanghaiWallClock(instant: Date): number {
  const time = instant.getTime();
  if (Number.isNaN(time)) throw new RangeError('invalid Date');
  return time + SHANGHAI_OFFSET_MINUTES * MS_PER_MINUTE;
}

/** The calendar day (YYYY-MM-DD) an instant falls on in Asia/Shanghai. */
export function shanghaiDate(instant: Date): string {
  return dateOfDayNumber(Math.floor(shanghaiWallClock(instant) / MS_PER_DAY));
}

/** `YYYY-MM-DDTHH:MM:SS+08:00`, whole seconds (truncated), as export writes timestamps. */
export function formatShanghai(instant: Date): string {
  const wallClock = shanghaiWallClock(instant);
  const day = Math.floor(wallClock / MS_PER_DAY);
  const secondOfDay = Math.floor((wallClock - day * MS_PER_DAY) / 1000);
  const [hour, minute, second] = [Math.floor(secondOfDay / 3600), Math.floor(secondOfDay / 60) % 60, secondOfDay % 60];
  return `${dateOfDayNumber(day)}T${pad(hour)}:${pad(minute)}:${pad(second)}+08:00`;
}

/** Days since 1970-01-01 of a `YYYY-MM-DD` date; throws RangeError on anything parseDate rejects. */
export function dayNumber(date: string): number {
  const match = DATE.exec(date.trim());
  const day = match ? dayNumberOfMatch(match) : null;
  if (day === null) throw new RangeError(`not a YYYY-MM-DD date: ${JSON.stringify(date)}`);
  return day;
}

/** The `YYYY-MM-DD` date that is `n` days after 1970-01-01 (the inverse of dayNumber). */
export function dateOfDayNumber(n: number): string {
  if (!Number.isInteger(n) || n < FIRST_DAY || n > LAST_DAY)
    throw new RangeError(`no YYYY-MM-DD date is day number ${n}`);
  const date = new Date(n * MS_PER_DAY);
  return `${pad(date.getUTCFullYear(), 4)}-${pad(date.getUTCMonth() + 1)}-${pad(date.getUTCDate())}`;
}

/**
 * The instants a range of Beijing calendar days covers: from the start of `from` (inclusive) to
 * the start of the day after `to` (exclusive), for filters on timestamp columns. Either end may
 * be absent.
 */
export function shanghaiDayRange(from?: string, to?: string): { from?: Date; to?: Date } {
  return {
    from: from ? shanghaiDayStart(from) : undefined,
    to: to ? new Date(shanghaiDayStart(to).getTime() + MS_PER_DAY) : undefined,
  };
}

/** The instant a Beijing calendar day (`YYYY-MM-DD`) begins. */
export function shanghaiDayStart(date: string): Date {
  return new Date(`${date}T00:00:00+08:00`);
}
