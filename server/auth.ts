import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { NextFunction, Request, Response } from 'express';
import type { DataSource } from 'typeorm';
import { HttpError } from './errors.ts';
import { findSession, type Principal } from './services/accounts/accounts.ts';

declare module 'express-serve-static-core' {
  interface Request {
    /** The signed-in user, when there is one. */
    principal: Principal | null;
    /** The token this request's forms must send back (session token, or the login form's). */
    csrfToken: string | null;
    /** The session cookie's token, for sign-out. */
    sessionToken: string | null;
    /**
     * A multipart form whose token is its first field: the route checks it with csrfFieldMatches before reading any
     * file.
     */
    csrfInMultipartBody: boolean;
  }
}

export const SESSION_COOKIE = 'sid';
export const LOGIN_CSRF_COOKIE = 'login_csrf';

/** Paths anyone may reach without signing in. */
const PUBLIC = [/^\/login$/, /^\/static\//, /^\/verify(\/[^/]+)?$/];

/**
 * A cookie's value, null when the request has none. A value that is not valid percent-encoding
 * was not set by this server (its values are base64url tokens and locale names): it counts as
 * absent, so a forged `sid=%` is a visitor without a session, not a server error.
 */
export function readCookie(req: Pick<IncomingMessage, 'headers'>, name: string): string | null {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const [key, ...value] = part.trim().split('=');
    if (key !== name) continue;
    try {
      return decodeURIComponent(value.join('='));
    } catch (error) {
      if (error instanceof URIError) return null;
      throw error;
    }
  }
  return null;
}

/** HttpOnly, SameSite=Lax, and Secure whenever the request came over TLS (see TRUST_PROXY). */
export function cookieOptions(req: Request, maxAgeMs?: number) {
  return {
    httpOnly: true,
    sameSite: 'lax' as const,
    secure: req.secure,
    path: '/',
    ...(maxAgeMs ? { maxAge: maxAgeMs } : {}),
  };
}

/** Loads the session named by the cookie, if any. */
export function loadSession(dataSource: DataSource) {
  return async (req: Request, _res: Response, next: NextFunction) => {
    req.principal = null;
    req.csrfToken = null;
    req.sessionToken = readCookie(req, SESSION_COOKIE);
    if (req.sessionToken) {
      const session = await findSession(dataSource, req.sessionToken);
      if (session) {
        req.principal = session.principal;
        req.csrfToken = session.csrfToken;
      }
    }
    next();
  };
}

/** Everything but the login page and static files needs a signed-in user. */
export function requireSignIn(req: Request, res: Response, next: NextFunction): void {
  if (req.principal || PUBLIC.some((pattern) => pattern.test(req.path))) {
    next();
    return;
  }
  if (req.method === 'GET' && req.accepts(['html', 'json']) === 'html') {
    res.redirect(303, `/login?next=${encodeURIComponent(req.originalUrl)}`);
    return;
  }
  next(new HttpError(401, 'auth.sign_in_required'));
}

/**
 * The login form's token, echoed in a cookie: the double-submit pattern, as there is no session
 * yet. An existing one is kept, so another tab (or the browser's own favicon request) that
 * passes by /login does not invalidate a form already on screen.
 */
export function issueLoginCsrf(req: Request, res: Response): string {
  const existing = readCookie(req, LOGIN_CSRF_COOKIE);
  const token = existing && /^[A-Za-z0-9_-]{43}$/.test(existing) ? existing : randomBytes(32).toString('base64url');
  res.cookie(LOGIN_CSRF_COOKIE, token, cookieOptions(req, 30 * 60_000));
  return token;
}

function sameToken(a: string | null | undefined, b: string | null | undefined): boolean {
  if (!a || !b) return false;
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

/** Forms posted as multipart/form-data, whose body is streamed to disk by the route rather than parsed here. */
const MULTIPART_FORMS = new Set(['/imports']);

/**
 * Every request that changes something must carry the session's CSRF token: in the form
 * (`_csrf`) or in the `X-CSRF-Token` header, never in the address, which browsers keep in
 * history and logs and send on in Referer. A multipart upload carries it as the form's first
 * field, checked by its route as the body streams in (csrfFieldMatches). The login form
 * carries the token of its own cookie.
 */
export function checkCsrf(req: Request, _res: Response, next: NextFunction): void {
  req.csrfInMultipartBody = false;
  if (['GET', 'HEAD', 'OPTIONS'].includes(req.method)) {
    next();
    return;
  }
  const sent = (req.body as Record<string, unknown> | undefined)?._csrf ?? req.get('x-csrf-token');
  const expected = req.principal ? req.csrfToken : req.path === '/login' ? readCookie(req, LOGIN_CSRF_COOKIE) : null;
  if (sameToken(typeof sent === 'string' ? sent : null, expected)) {
    next();
    return;
  }
  if (sent === undefined && req.principal && MULTIPART_FORMS.has(req.path) && req.is('multipart/form-data')) {
    req.csrfInMultipartBody = true;
    next();
    return;
  }
  next(new HttpError(403, 'auth.csrf_failed'));
}

/** Whether a multipart form's `_csrf` field is the session's token. */
export function csrfFieldMatches(req: Request, value: string): boolean {
  return sameToken(value, req.csrfToken);
}

/** Only a local path may follow sign-in: never another site. */
export function safeNext(next: unknown): string {
  return typeof next === 'string' && next.startsWith('/') && !next.startsWith('//') && !next.startsWith('/\\')
    ? next
    : '/';
}
