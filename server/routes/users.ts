import type { Request, Response } from 'express';
import { z } from 'zod';
import type { AppContext } from '../context.ts';
import { HttpError } from '../errors.ts';
import { Carrier } from '../entities/index.ts';
import { ROLES } from '../entities/User.ts';
import { t, type Locale } from '../i18n/index.ts';
import {
  AccountError,
  createUser,
  getUser,
  listUsers,
  setPassword,
  StaleUserError,
  updateUser,
  type UserSummary,
} from '../services/accounts/accounts.ts';
import { MIN_PASSWORD_LENGTH } from '../services/accounts/passwords.ts';
import { beijingTime } from '../presenters/time.ts';
import { idParam } from './shared.ts';
import { param, readQuery } from './query.ts';

const carrierCode = z
  .string()
  .trim()
  .max(20)
  .transform((v) => (v === '' ? null : v));
const newUserForm = z.object({
  name: z.string().trim().min(1).max(64),
  role: z.enum(ROLES),
  carrier: carrierCode,
  password: z.string().max(200),
  password_again: z.string().max(200),
});
const editUserForm = z.object({
  role: z.enum(ROLES),
  carrier: carrierCode,
  disabled: z.literal('on').optional(),
  version: z.coerce
    .number()
    .int()
    .min(0)
    .max(2 ** 31 - 1),
});
const passwordForm = z.object({ password: z.string().max(200), password_again: z.string().max(200) });
/** `?done=…`: what the redirect after a saved form says it did. */
const listQuery = z.object({ done: param.choice(['created']) });
const editQuery = z.object({ done: param.choice(['updated', 'password']) });

type Values = Record<string, unknown>;

async function carrierOptions(context: AppContext, selected: unknown) {
  const carriers = await context.dataSource.getRepository(Carrier).find({ order: { code: 'ASC' } });
  return carriers.map((c) => ({ value: c.code, label: `${c.name}（${c.code}）`, selected: c.code === selected }));
}

function roleOptions(locale: Locale, selected: unknown) {
  return ROLES.map((role) => ({ value: role, label: t(locale, `role.${role}`), selected: role === selected }));
}

function userView(user: UserSummary, locale: Locale) {
  const now = new Date();
  const state = user.disabled
    ? 'disabled'
    : user.lockedUntil && user.lockedUntil > now
      ? 'locked'
      : !user.passwordSet
        ? 'no_password'
        : 'active';
  return {
    id: user.id,
    name: user.name,
    role: t(locale, `role.${user.role}`),
    carrier: user.carrierCode ?? '',
    state,
    stateText: t(locale, `users.state.${state}`),
    createdAt: beijingTime(user.createdAt),
    editUrl: `/admin/users/${user.id}`,
  };
}

async function renderList(
  req: Request,
  res: Response,
  context: AppContext,
  form: { values: Values; message: string } | null,
  status = 200,
): Promise<void> {
  const values = form?.values ?? { role: 'carrier' };
  const { done } = readQuery(req, listQuery);
  res.page(
    'admin/users',
    {
      title: t(req.locale, 'users.title'),
      section: 'users',
      users: (await listUsers(context.dataSource)).map((u) => userView(u, req.locale)),
      roles: roleOptions(req.locale, values.role),
      carriers: await carrierOptions(context, values.carrier),
      name: typeof values.name === 'string' ? values.name : '',
      minPassword: MIN_PASSWORD_LENGTH,
      error: form?.message ?? null,
      flash: done ? t(req.locale, `users.done.${done}`) : null,
    },
    status,
  );
}

/** GET /admin/users — every account and a form to add one (administrators only). */
export async function getUsers(req: Request, res: Response, context: AppContext): Promise<void> {
  await renderList(req, res, context, null);
}

/** POST /admin/users — add an account. */
export async function postUser(req: Request, res: Response, context: AppContext): Promise<void> {
  const submitted = (req.body ?? {}) as Values;
  const form = newUserForm.safeParse(submitted);
  if (!form.success)
    return renderList(req, res, context, { values: submitted, message: t(req.locale, 'users.invalid') }, 400);
  if (form.data.password !== form.data.password_again)
    return renderList(req, res, context, { values: submitted, message: t(req.locale, 'users.passwords_differ') }, 400);
  try {
    await createUser(
      context.dataSource,
      {
        name: form.data.name,
        role: form.data.role,
        carrierCode: form.data.role === 'carrier' ? form.data.carrier : null,
        password: form.data.password,
      },
      req.principal!.name,
    );
  } catch (error) {
    if (!(error instanceof AccountError)) throw error;
    return renderList(req, res, context, { values: submitted, message: t(req.locale, error.code, error.params) }, 400);
  }
  res.redirect(303, '/admin/users?done=created');
}

async function renderEdit(
  req: Request,
  res: Response,
  context: AppContext,
  user: UserSummary,
  form: { values: Values; message: string } | null,
  status = 200,
): Promise<void> {
  const values: Values = form?.values ?? storedValues(user);
  const { done } = readQuery(req, editQuery);
  res.page(
    'admin/user-edit',
    {
      title: t(req.locale, 'users.edit_title', { name: user.name }),
      section: 'users',
      user: userView(user, req.locale),
      version: user.version,
      roles: roleOptions(req.locale, values.role),
      carriers: await carrierOptions(context, values.carrier),
      disabled: values.disabled === 'on',
      isSelf: user.id === req.principal!.userId,
      minPassword: MIN_PASSWORD_LENGTH,
      error: form?.message ?? null,
      flash: done ? t(req.locale, `users.done.${done}`) : null,
    },
    status,
  );
}

/** The edit form's values as the account stands. */
function storedValues(user: UserSummary): Values {
  return { role: user.role, carrier: user.carrierCode ?? '', disabled: user.disabled ? 'on' : undefined };
}

async function userOf(req: Request, context: AppContext): Promise<UserSummary> {
  const id = idParam.safeParse(req.params.id);
  const user = id.success ? await getUser(context.dataSource, id.data) : null;
  if (!user) throw new HttpError(404, 'error.not_found');
  return user;
}

/** GET /admin/users/:id — role, carrier and on/off for one account; a password reset. */
export async function getUserEdit(req: Request, res: Response, context: AppContext): Promise<void> {
  await renderEdit(req, res, context, await userOf(req, context), null);
}

/** POST /admin/users/:id — save an edit made from `version`; a stale one is refused. */
export async function postUserEdit(req: Request, res: Response, context: AppContext): Promise<void> {
  const user = await userOf(req, context);
  const submitted = (req.body ?? {}) as Values;
  const form = editUserForm.safeParse(submitted);
  if (!form.success)
    return renderEdit(req, res, context, user, { values: submitted, message: t(req.locale, 'users.invalid') }, 400);
  try {
    await updateUser(
      context.dataSource,
      user.id,
      form.data.version,
      {
        role: form.data.role,
        carrierCode: form.data.role === 'carrier' ? form.data.carrier : null,
        disabled: form.data.disabled === 'on',
      },
      { userId: req.principal!.userId, name: req.principal!.name },
    );
  } catch (error) {
    if (error instanceof StaleUserError) {
      if (!error.current) throw new HttpError(404, 'error.not_found');
      return renderEdit(
        req,
        res,
        context,
        error.current,
        { values: submitted, message: t(req.locale, 'users.stale', { version: error.current.version }) },
        409,
      );
    }
    if (!(error instanceof AccountError)) throw error;
    return renderEdit(
      req,
      res,
      context,
      user,
      { values: submitted, message: t(req.locale, error.code, error.params) },
      400,
    );
  }
  res.redirect(303, `/admin/users/${user.id}?done=updated`);
}

/** POST /admin/users/:id/password — set a new password (typed twice). */
export async function postUserPassword(req: Request, res: Response, context: AppContext): Promise<void> {
  const user = await userOf(req, context);
  const form = passwordForm.safeParse(req.body ?? {});
  if (!form.success || form.data.password !== form.data.password_again) {
    return renderEdit(
      req,
      res,
      context,
      user,
      { values: storedValues(user), message: t(req.locale, 'users.passwords_differ') },
      400,
    );
  }
  try {
    // Setting one's own password keeps the session that did it; every other session of the user ends.
    const keep = user.id === req.principal!.userId ? (req.sessionToken ?? null) : null;
    await setPassword(context.dataSource, user.name, form.data.password, req.principal!.name, keep);
  } catch (error) {
    if (!(error instanceof AccountError)) throw error;
    return renderEdit(
      req,
      res,
      context,
      user,
      { values: storedValues(user), message: t(req.locale, error.code, error.params) },
      400,
    );
  }
  res.redirect(303, `/admin/users/${user.id}?done=password`);
}
