/** The result of reading user input: the normalised value, or a stable code saying why not (an i18n key under `issue.`). */
export type Parsed<T> = { ok: true; value: T } | { ok: false; code: string };
