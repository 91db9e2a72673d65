import type { Request, Response } from 'express';
import { z } from 'zod';
import type { AppContext } from '../context.ts';
import { cookieOptions, issueLoginCsrf, safeNext, SESSION_COOKIE } from '../auth.ts';
import { t } from '../i18n/index.ts';
import { param, readQuery } from './query.ts';
import { recordAudit } from '../services/accounts/audit.ts';
import { demoUsersAwaitingSignIn } from '../services/accounts/demoUsers.ts';
import { AccountError, authenticate, endSession, SESSION_DAYS, startSession } from '../services/accounts/accounts.ts';

const loginForm = z.object({
  name: z.string().trim().min(1).max(64),
  password: z.string().min(1).max(200),
  next: z.string().max(500).optional(),
});

/** `?next=…`: where to go once signed in (any address the app redirected from; safeNext keeps it local). */
const loginQuery = z.object({ next: param.text(4000) });

/**
 * Where a demo's passwords are, while none of its users has signed in: the console of the first
 * start printed them (services/accounts/demoUsers.ts). Names the accounts, never a password.
 */
async function demoHint(req: Request, context: AppContext): Promise<string | null> {
  const names = await demoUsersAwaitingSignIn(context.dataSource);
  return names.length ? t(req.locale, 'auth.demo_hint', { users: names.join(t(req.locale, 'auth.list')) }) : null;
}

/** GET /login */
export async function getLogin(req: Request, res: Response, context: AppContext): Promise<void> {
  const { next } = readQuery(req, loginQuery);
  if (req.principal) {
    res.redirect(303, safeNext(next));
    return;
  }
  res.page('auth/login', {
    title: t(req.locale, 'auth.title'),
    loginCsrf: issueLoginCsrf(req, res),
    next: safeNext(next),
    name: '',
    demoHint: await demoHint(req, context),
  });
}

/** POST /login — name and password; on success a new session and back to where the user was going. */
export async function postLogin(req: Request, res: Response, context: AppContext): Promise<void> {
  const form = loginForm.safeParse(req.body);
  const again = async (message: string, status: number) =>
    res.page(
      'auth/login',
      {
        title: t(req.locale, 'auth.title'),
        loginCsrf: issueLoginCsrf(req, res),
        next: safeNext(req.body?.next),
        name: form.success ? form.data.name : '',
        error: message,
        demoHint: await demoHint(req, context),
      },
      status,
    );
  if (!form.success) {
    await again(t(req.locale, 'auth.fill_both'), 400);
    return;
  }
  try {
    const principal = await authenticate(context.dataSource, form.data.name, form.data.password, req.ip ?? 'unknown');
    const { token } = await startSession(context.dataSource, principal.userId);
    res.cookie(SESSION_COOKIE, token, cookieOptions(req, SESSION_DAYS * 86_400_000));
    res.redirect(303, safeNext(form.data.next));
  } catch (error) {
    if (!(error instanceof AccountError)) throw error;
    await again(error.text(req.locale), error.status);
  }
}

/** POST /logout */
export async function postLogout(req: Request, res: Response, context: AppContext): Promise<void> {
  if (req.sessionToken) await endSession(context.dataSource, req.sessionToken);
  if (req.principal)
    await recordAudit(context.dataSource, {
      actor: req.principal.name,
      action: 'session.signed_out',
      subject: `user:${req.principal.name}`,
    });
  res.clearCookie(SESSION_COOKIE, cookieOptions(req));
  res.redirect(303, '/login');
}
