import type { Request } from 'express';
import { z } from 'zod';
import { HttpError } from '../errors.ts';
import { t, type Locale } from '../i18n/index.ts';
import { parseDate, parseTimestamp, shanghaiDate } from '../numbering/time.ts';
import { isUsccShaped, normaliseUscc } from '../numbering/uscc.ts';

// The one way a route reads its query string. Each parameter is declared with what it accepts,
// so a bad value is refused with 400 and a message naming the parameter and what it takes,
// instead of reaching a service that was promised clean arguments. A blank parameter counts as
// absent, as a form's empty field does.

/** The highest page number any list accepts: 50 million rows at 50 a page. */
export const MAX_PAGE = 1_000_000;
/** Days asked about lie in these years: 106 numbers are younger, and a date far out is a typo. */
export const FIRST_YEAR = 1990;
export const LAST_YEAR = 2100;

type Params = Record<string, string | number>;

/** What each declared parameter accepts, as the refusal says it (`param.expect.*`). */
const expectations = new WeakMap<z.ZodType, { key: string; params: Params }>();

function declare<T extends z.ZodType>(schema: T, expected: string, params: Params = {}) {
  const parameter = z.preprocess(
    (value) => (typeof value === 'string' && value.trim() === '' ? undefined : value),
    schema.optional(),
  );
  expectations.set(parameter, { key: `param.expect.${expected}`, params });
  return parameter;
}

const wholeNumber = (min: number, max: number) =>
  z
    .string()
    .regex(/^\d{1,16}$/)
    .transform(Number)
    .pipe(z.number().int().min(min).max(max));
const yearInRange = (day: string) => Number(day.slice(0, 4)) >= FIRST_YEAR && Number(day.slice(0, 4)) <= LAST_YEAR;
const CONTROL_CHARACTER = /\p{Cc}/u;
const years = { first: FIRST_YEAR, last: LAST_YEAR };

export const param = {
  /** A page of a list: 1..MAX_PAGE. */
  page: () => declare(wholeNumber(1, MAX_PAGE), 'whole_number', { min: 1, max: MAX_PAGE }),
  /** A whole number in a small range (the tree's depth). */
  wholeNumber: (min: number, max: number) => declare(wholeNumber(min, max), 'whole_number', { min, max }),
  /** A row id: positive, and safe as a JavaScript number (TiDB's BIGINT ids go that far, docs/scaling.md). */
  id: () => declare(wholeNumber(1, Number.MAX_SAFE_INTEGER), 'id', { max: Number.MAX_SAFE_INTEGER }),
  /** A Beijing calendar day `YYYY-MM-DD` between FIRST_YEAR and LAST_YEAR. */
  day: () =>
    declare(
      z
        .string()
        .trim()
        .refine((value) => parseDate(value).ok && yearInRange(value)),
      'day',
      years,
    ),
  /**
   * A moment as the lookup takes it (a day, or a day and time; Beijing time unless a zone is given), in the same years.
   */
  moment: () =>
    declare(
      z
        .string()
        .trim()
        .max(40)
        .refine((value) => {
          const parsed = parseTimestamp(value);
          return parsed.ok && yearInRange(shanghaiDate(parsed.value));
        }),
      'moment',
      years,
    ),
  /** One of a fixed list. */
  choice: <const T extends readonly [string, ...string[]]>(values: T) =>
    declare(z.enum(values), 'choice', { values: values.join(', ') }),
  /** Free text up to `max` characters; control characters are no one's search. */
  text: (max: number) =>
    declare(
      z
        .string()
        .max(max)
        .refine((value) => !CONTROL_CHARACTER.test(value)),
      'text',
      { max },
    ),
  /** Digits only, up to `max` of them (a sender number searched by prefix). */
  digits: (max: number) => declare(z.string().trim().regex(/^\d+$/).max(max), 'digits', { max }),
  /** A USCC as a user might type it, tidied (full-width, spaces, lower case). */
  uscc: () => declare(z.string().max(40).transform(normaliseUscc).refine(isUsccShaped), 'uscc'),
  /** Row ids, comma-separated (the tree's open/shut toggles). */
  idList: (maxLength: number) =>
    declare(
      z
        .string()
        .trim()
        .max(maxLength)
        .regex(/^\d{1,16}(,\d{1,16})*$/),
      'id_list',
      { max: maxLength },
    ),
};

/** The refusal of one query parameter, in the request's language. */
export function badParameter(locale: Locale, name: string, expected: string, params: Params = {}): HttpError {
  return new HttpError(400, 'param.invalid', { name, expected: t(locale, `param.expect.${expected}`, params) });
}

type QueryRequest = Pick<Request, 'query' | 'locale'>;
type Parsed<T> = { ok: true; value: T } | { ok: false; error: HttpError; parameter: string };

/** The query checked against its declared schema; a refusal names the first parameter that failed. */
export function parseQuery<S extends z.ZodObject>(req: QueryRequest, schema: S): Parsed<z.output<S>> {
  const parsed = schema.safeParse(req.query);
  if (parsed.success) return { ok: true, value: parsed.data };
  const name = String(parsed.error.issues[0]?.path[0] ?? '');
  if (Array.isArray((req.query as Record<string, unknown>)[name])) {
    return { ok: false, parameter: name, error: new HttpError(400, 'param.repeated', { name }) };
  }
  const expected = expectations.get(schema.shape[name] as z.ZodType);
  // Every field of a query schema is built by `param`; one that is not is a programming error.
  if (!expected) throw new Error(`query parameter "${name}" is not declared with param.*`);
  return {
    ok: false,
    parameter: name,
    error: new HttpError(400, 'param.invalid', { name, expected: t(req.locale, expected.key, expected.params) }),
  };
}

/** The query checked against its declared schema; throws the 400 that names the bad parameter. */
export function readQuery<S extends z.ZodObject>(req: QueryRequest, schema: S): z.output<S> {
  const parsed = parseQuery(req, schema);
  if (!parsed.ok) throw parsed.error;
  return parsed.value;
}
