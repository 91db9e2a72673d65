import type { Parsed } from './parsed.ts';

/**
 * FORMATS.md: dates are YYYY-MM-DD; timestamps ISO 8601, and without a zone they are
 * Asia/Shanghai. China has kept UTC+8 without daylight saving since 1991, so a fixed offset is exact.
 */
const SHANGHAI_OFFSET_MINUTES = 8 * 60;
const MS_PER_DAY = 86_400_000;
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const TIMESTAMP = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?)?\s*(Z|[+-]\d{2}:?\d{2})?$/i;

function isRealDate(year: number, month: number, day: number): boolean {
  if (month < 1 || month > 12 || day < 1) return false;
  return day <= new Date(Date.UTC(year, month, 0)).getUTCDate();
}

export function parseDate(raw: string): Parsed<string> {
  const text = String(raw).trim();
  const match = DATE.exec(text);
  if (!match || !isRealDate(Number(match[1]), Number(match[2]), Number(match[3]))) return { ok: false, code: 'date.invalid' };
  return { ok: true, value: text };
}

export function parseTimestamp(raw: string): Parsed<Date> {
  const match = TIMESTAMP.exec(String(raw).trim());
  if (!match) return { ok: false, code: 'timestamp.invalid' };
  const [, y, mo, d, h = '0', mi = '0', s = '0', fraction = '', zone] = match;
  const [year, month, day, hour, minute, second] = [y, mo, d, h, mi, s].map(Number);
  if (!isRealDate(year, month, day) || hour > 23 || minute > 59 || second > 59) return { ok: false, code: 'timestamp.invalid' };
  let offsetMinutes = SHANGHAI_OFFSET_MINUTES;
  if (zone && zone.toUpperCase() === 'Z') offsetMinutes = 0;
  else if (zone) {
    const digits = zone.replace(':', '');
    const zoneHours = Number(digits.slice(1, 3));
    const zoneMinutes = Number(digits.slice(3, 5));
    if (zoneHours > 14 || zoneMinutes > 59) return { ok: false, code: 'timestamp.invalid' };
    offsetMinutes = (digits[0] === '-' ? -1 : 1) * (zoneHours * 60 + zoneMinutes);
  }
  const millis = Number((fraction + '000').slice(0, 3));
  const utc = Date.UTC(year, month - 1, day, hour, minute, second, millis) - offsetMinutes * 60_000;
  const value = new Date(utc);
  return Number.isNaN(value.getTime()) ? { ok: false, code: 'timestamp.invalid' } : { ok: true, value };
}

/** The calendar day of an instant in Asia/Shanghai. */
export function shanghaiDate(instant: Date): string {
  return new Date(instant.getTime() + SHANGHAI_OFFSET_MINUTES * 60_000).toISOString().slice(0, 10);
}

/** `2022-03-14T09:30:00+08:00`: whole seconds, Beijing time (what export writes). */
export function formatShanghai(instant: Date): string {
  return `${new Date(instant.getTime() + SHANGHAI_OFFSET_MINUTES * 60_000).toISOString().slice(0, 19)}+08:00`;
}

/** Days since 1970-01-01 of a YYYY-MM-DD date. */
export function dayNumber(date: string): number {
  return Math.floor(Date.parse(`${date}T00:00:00Z`) / MS_PER_DAY);
}

export function dateOfDayNumber(day: number): string {
  return new Date(day * MS_PER_DAY).toISOString().slice(0, 10);
}
