/**
 * The result of parsing user or file input: the normalised value, or a stable error code that
 * doubles as the i18n key of the message shown to the user (docs/dataset-format.md: the import
 * report names the reason for every bad cell). Parsers return this instead of throwing.
 */
export type Parsed<T> = { ok: true; value: T } | { ok: false; code: string };

export function accepted<T>(value: T): Parsed<T> {
  return { ok: true, value };
}

export function rejected(code: string): { ok: false; code: string } {
  return { ok: false, code };
}
