import type { Request, Response } from 'express';
import { z } from 'zod';
import type { AppContext } from '../context.ts';
import { HttpError } from '../errors.ts';
import { Carrier } from '../entities/index.ts';
import { t, type Locale } from '../i18n/index.ts';
import { normaliseDomain } from '../numbering/domain.ts';
import { isUsccShaped, normaliseUscc } from '../numbering/uscc.ts';
import {
  createReference,
  deleteReference,
  getReference,
  listReference,
  REFERENCE_TABLES,
  ReferenceError,
  StaleEditError,
  updateReference,
  type ReferenceRow,
  type ReferenceTable,
  type ReferenceValues,
} from '../services/reference/referenceData.ts';
import { idParam } from './shared.ts';
import { param, readQuery } from './query.ts';

/** One input of a reference form, as the generic templates draw it. */
interface FieldSpec {
  name: string;
  kind: 'text' | 'textarea' | 'select' | 'number';
  maxLength?: number;
  required?: boolean;
  options?: readonly string[];
  /** How a stored value shows in the form (aliases are one per line). */
  show?: (value: unknown) => string;
  /** A select whose choices are the carriers (value: carrier id), with an empty choice. */
  carrierChoice?: boolean;
}

const FIELDS: Record<ReferenceTable, FieldSpec[]> = {
  'protected-senders': [
    { name: 'name', kind: 'text', maxLength: 100, required: true },
    { name: 'uscc', kind: 'text', maxLength: 18 },
    { name: 'aliases', kind: 'textarea', maxLength: 5000, show: (v) => (v as string[]).join('\n') },
  ],
  'url-lists': [
    { name: 'domain', kind: 'text', maxLength: 253, required: true },
    { name: 'list', kind: 'select', options: ['allow', 'block'], required: true },
    { name: 'note', kind: 'text', maxLength: 500 },
  ],
  'legal-instruments': [
    { name: 'title', kind: 'text', maxLength: 200, required: true },
    { name: 'articles', kind: 'textarea', maxLength: 20_000 },
    { name: 'position', kind: 'number', required: true },
  ],
  issuers: [
    { name: 'code', kind: 'text', maxLength: 20, required: true },
    { name: 'name', kind: 'text', maxLength: 200, required: true },
    { name: 'carrierId', kind: 'select', carrierChoice: true },
    { name: 'signatory', kind: 'text', maxLength: 200, required: true },
    { name: 'copyTo', kind: 'text', maxLength: 500 },
    { name: 'printedBy', kind: 'text', maxLength: 200, required: true },
  ],
};

const optionalText = (max: number) =>
  z
    .string()
    .trim()
    .max(max)
    .transform((v) => (v === '' ? null : v));

/** The forms' zod schemas: strings from the browser in, the service's values out. */
const SCHEMAS: { [T in ReferenceTable]: z.ZodType<ReferenceValues[T]> } = {
  'protected-senders': z.object({
    name: z.string().trim().min(1).max(100),
    uscc: z
      .string()
      .transform(normaliseUscc)
      .refine((v) => v === '' || isUsccShaped(v), { message: 'uscc' })
      .transform((v) => (v === '' ? null : v)),
    aliases: z
      .string()
      .max(5000)
      .transform((v) => [
        ...new Set(
          v
            .split(/[\n|]/)
            .map((a) => a.trim())
            .filter((a) => a !== ''),
        ),
      ])
      .refine((list) => list.every((a) => [...a].length <= 100), { message: 'alias' }),
  }),
  'url-lists': z.object({
    domain: z
      .string()
      .max(253)
      .transform((v, ctx) => {
        const domain = normaliseDomain(v);
        if (domain === null) ctx.addIssue({ code: 'custom', message: 'domain' });
        return domain ?? '';
      }),
    list: z.enum(['allow', 'block']),
    note: optionalText(500),
  }),
  'legal-instruments': z.object({
    title: z.string().trim().min(1).max(200),
    articles: optionalText(20_000),
    position: z.coerce.number().int().min(0).max(9999),
  }),
  issuers: z.object({
    // 代字: printed before 〔YYYY〕; Chinese characters, letters and digits, no brackets or spaces.
    code: z
      .string()
      .trim()
      .min(1)
      .max(20)
      .regex(/^[\p{Script=Han}A-Za-z0-9]+$/u),
    name: z.string().trim().min(1).max(200),
    carrierId: z
      .string()
      .transform((v) => (v === '' ? null : Number(v)))
      .refine((v) => v === null || (Number.isInteger(v) && v > 0)),
    signatory: z.string().trim().min(1).max(200),
    copyTo: optionalText(500),
    printedBy: z.string().trim().min(1).max(200),
  }),
};

const tableParam = z.enum(REFERENCE_TABLES);
/** `?done=…`: what the redirect after a saved form says it did. */
const listQuery = z.object({ done: param.choice(['created', 'updated', 'deleted']) });
const versionField = z.object({
  version: z.coerce
    .number()
    .int()
    .min(0)
    .max(2 ** 31 - 1),
});

function tableOf(req: Request): ReferenceTable {
  const table = tableParam.safeParse(req.params.table);
  if (!table.success) throw new HttpError(404, 'error.not_found');
  return table.data;
}

type CarrierChoices = Array<{ id: number; label: string }>;

async function carrierChoices(context: AppContext): Promise<CarrierChoices> {
  const carriers = await context.dataSource.getRepository(Carrier).find({ order: { code: 'ASC' } });
  return carriers.map((c) => ({ id: c.id, label: `${c.name}（${c.code}）` }));
}

function fieldsView(
  table: ReferenceTable,
  values: Record<string, unknown>,
  locale: Locale,
  carriers: CarrierChoices,
  errors: Set<string> = new Set(),
) {
  return FIELDS[table].map((field) => {
    const raw = values[field.name];
    const value = raw == null ? '' : field.show && typeof raw !== 'string' ? field.show(raw) : String(raw);
    const options = field.carrierChoice
      ? [
          { value: '', label: t(locale, 'reference.issuers.regulator_office'), selected: value === '' },
          ...carriers.map((c) => ({ value: String(c.id), label: c.label, selected: String(c.id) === value })),
        ]
      : field.options?.map((option) => ({
          value: option,
          label: t(locale, `reference.${table}.${field.name}.${option}`),
          selected: option === value,
        }));
    return {
      ...field,
      label: t(locale, `reference.${table}.field.${field.name}`),
      value,
      invalid: errors.has(field.name),
      options,
    };
  });
}

function rowView(table: ReferenceTable, row: ReferenceRow<ReferenceTable>, locale: Locale, carriers: CarrierChoices) {
  const cells = FIELDS[table].map((field) => {
    const value = (row as unknown as Record<string, unknown>)[field.name];
    if (field.carrierChoice)
      return value == null
        ? t(locale, 'reference.issuers.regulator_office')
        : (carriers.find((c) => c.id === value)?.label ?? String(value));
    if (value == null) return '';
    if (field.options) return t(locale, `reference.${table}.${field.name}.${String(value)}`);
    return field.show ? field.show(value).replaceAll('\n', ' | ') : String(value);
  });
  return { id: row.id, cells, editUrl: `/admin/reference/${table}/${row.id}` };
}

function tabsView(current: ReferenceTable, locale: Locale) {
  return REFERENCE_TABLES.map((table) => ({
    url: `/admin/reference/${table}`,
    label: t(locale, `reference.${table}.title`),
    current: table === current,
  }));
}

async function renderList(
  req: Request,
  res: Response,
  context: AppContext,
  table: ReferenceTable,
  form: { values: Record<string, unknown>; errors?: Set<string>; message?: string } | null,
  status = 200,
): Promise<void> {
  const { done } = readQuery(req, listQuery);
  const rows = await listReference(context.dataSource, table);
  const carriers = await carrierChoices(context);
  res.page(
    'admin/reference',
    {
      title: t(req.locale, `reference.${table}.title`),
      section: 'reference',
      table,
      tabs: tabsView(table, req.locale),
      help: t(req.locale, `reference.${table}.help`),
      headers: FIELDS[table].map((f) => t(req.locale, `reference.${table}.field.${f.name}`)),
      rows: rows.map((row) => rowView(table, row, req.locale, carriers)),
      fields: fieldsView(table, form?.values ?? {}, req.locale, carriers, form?.errors),
      error: form?.message ?? null,
      flash: done ? t(req.locale, `reference.done.${done}`) : null,
    },
    status,
  );
}

/** The fields a form failed on, and one message naming them. */
function formErrors(
  table: ReferenceTable,
  error: z.ZodError,
  locale: Locale,
): { errors: Set<string>; message: string } {
  const errors = new Set(error.issues.map((issue) => String(issue.path[0])));
  const names = [...errors].map((field) => t(locale, `reference.${table}.field.${field}`)).join('、');
  return { errors, message: t(locale, 'reference.invalid_fields', { fields: names }) };
}

/** GET /admin/reference/:table — the rows and a form to add one (administrators only). */
export async function getReferenceList(req: Request, res: Response, context: AppContext): Promise<void> {
  await renderList(req, res, context, tableOf(req), null);
}

/** POST /admin/reference/:table — add a row. */
export async function postReference(req: Request, res: Response, context: AppContext): Promise<void> {
  const table = tableOf(req);
  const submitted = (req.body ?? {}) as Record<string, unknown>;
  const parsed = SCHEMAS[table].safeParse(submitted);
  if (!parsed.success) {
    await renderList(
      req,
      res,
      context,
      table,
      { values: submitted, ...formErrors(table, parsed.error, req.locale) },
      400,
    );
    return;
  }
  try {
    await createReference(context.dataSource, table, parsed.data, req.principal!.name);
  } catch (error) {
    if (!(error instanceof ReferenceError)) throw error;
    await renderList(
      req,
      res,
      context,
      table,
      { values: submitted, message: t(req.locale, error.code, error.params) },
      409,
    );
    return;
  }
  res.redirect(303, `/admin/reference/${table}?done=created`);
}

async function renderEdit(
  req: Request,
  res: Response,
  context: AppContext,
  table: ReferenceTable,
  row: ReferenceRow<ReferenceTable>,
  form: { values: Record<string, unknown>; errors?: Set<string>; message?: string } | null,
  status = 200,
): Promise<void> {
  const carriers = await carrierChoices(context);
  res.page(
    'admin/reference-edit',
    {
      title: t(req.locale, `reference.${table}.edit_title`),
      section: 'reference',
      table,
      listUrl: `/admin/reference/${table}`,
      listTitle: t(req.locale, `reference.${table}.title`),
      id: row.id,
      version: row.version,
      fields: fieldsView(
        table,
        form?.values ?? (row as unknown as Record<string, unknown>),
        req.locale,
        carriers,
        form?.errors,
      ),
      error: form?.message ?? null,
    },
    status,
  );
}

async function rowOf(req: Request, context: AppContext, table: ReferenceTable): Promise<ReferenceRow<ReferenceTable>> {
  const id = idParam.safeParse(req.params.id);
  const row = id.success ? await getReference(context.dataSource, table, id.data) : null;
  if (!row) throw new HttpError(404, 'error.not_found');
  return row;
}

/** GET /admin/reference/:table/:id — the edit form, carrying the version it was made from. */
export async function getReferenceEdit(req: Request, res: Response, context: AppContext): Promise<void> {
  const table = tableOf(req);
  await renderEdit(req, res, context, table, await rowOf(req, context, table), null);
}

/** A stale form: show what is there now, with the user's input kept, and say why it was refused. */
async function refuseStale(
  req: Request,
  res: Response,
  context: AppContext,
  table: ReferenceTable,
  error: StaleEditError,
  submitted?: Record<string, unknown>,
): Promise<void> {
  if (!error.current) throw new HttpError(409, 'reference.gone');
  await renderEdit(
    req,
    res,
    context,
    table,
    error.current,
    {
      values: submitted ?? (error.current as unknown as Record<string, unknown>),
      message: t(req.locale, 'reference.stale', { version: error.current.version }),
    },
    409,
  );
}

/** POST /admin/reference/:table/:id — save an edit made from `version`. */
export async function postReferenceEdit(req: Request, res: Response, context: AppContext): Promise<void> {
  const table = tableOf(req);
  const row = await rowOf(req, context, table);
  const submitted = (req.body ?? {}) as Record<string, unknown>;
  const version = versionField.safeParse(submitted);
  if (!version.success) throw new HttpError(400, 'reference.no_version');
  const parsed = SCHEMAS[table].safeParse(submitted);
  if (!parsed.success) {
    await renderEdit(
      req,
      res,
      context,
      table,
      { ...row, version: version.data.version },
      { values: submitted, ...formErrors(table, parsed.error, req.locale) },
      400,
    );
    return;
  }
  try {
    await updateReference(context.dataSource, table, row.id, version.data.version, parsed.data, req.principal!.name);
  } catch (error) {
    if (error instanceof StaleEditError) return refuseStale(req, res, context, table, error, submitted);
    if (!(error instanceof ReferenceError)) throw error;
    await renderEdit(
      req,
      res,
      context,
      table,
      { ...row, version: version.data.version },
      { values: submitted, message: t(req.locale, error.code, error.params) },
      409,
    );
    return;
  }
  res.redirect(303, `/admin/reference/${table}?done=updated`);
}

/** POST /admin/reference/:table/:id/delete — remove a row, if it is still the version shown. */
export async function postReferenceDelete(req: Request, res: Response, context: AppContext): Promise<void> {
  const table = tableOf(req);
  const row = await rowOf(req, context, table);
  const version = versionField.safeParse(req.body ?? {});
  if (!version.success) throw new HttpError(400, 'reference.no_version');
  try {
    await deleteReference(context.dataSource, table, row.id, version.data.version, req.principal!.name);
  } catch (error) {
    if (error instanceof StaleEditError) return refuseStale(req, res, context, table, error);
    if (!(error instanceof ReferenceError)) throw error;
    await renderEdit(
      req,
      res,
      context,
      table,
      row,
      { values: row as unknown as Record<string, unknown>, message: t(req.locale, error.code, error.params) },
      409,
    );
    return;
  }
  res.redirect(303, `/admin/reference/${table}?done=deleted`);
}
