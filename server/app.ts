import path from 'node:path';
import express, { type NextFunction, type Request, type Response } from 'express';
import helmet from 'helmet';
import type { DataSource } from 'typeorm';
import { projectRoot } from '../ormconfig.ts';
import { config, type Config } from './config.ts';
import { checkCsrf, cookieOptions, loadSession, readCookie, requireSignIn } from './auth.ts';
import { DEFAULT_LOCALE, isLocale, t, type Locale } from './i18n/index.ts';
import { AuditJobs } from './services/auditJobs.ts';
import { ImportJobs } from './services/importJobs.ts';
import { RenderBusy, sharedRenderer, type Renderer } from './services/rendering.ts';
import { ViewEngine } from './views.ts';
import { registerRoutes } from './routes/index.ts';

export interface AppContext {
  dataSource: DataSource;
  views: ViewEngine;
  imports: ImportJobs;
  audits: AuditJobs;
  /** The database URL, so an import can run in a worker with its own connection. */
  databaseUrl: string | null;
  /** Chromium renders (notice PDFs, tree PNGs): one browser, a bounded queue. */
  renderer: Renderer;
  config: Config;
}

declare module 'express-serve-static-core' {
  interface Request {
    locale: Locale;
  }
  interface Response {
    /** Renders `views/<page>.hbs` inside the layout with the locale and navigation filled in. */
    page(page: string, model: Record<string, unknown>, status?: number): void;
  }
}

/** A request the user can correct: shown as a message, never as a stack trace. */
export class HttpError extends Error {
  constructor(readonly status: number, readonly messageKey: string, readonly params: Record<string, string | number> = {}) {
    super(messageKey);
  }
}

/** The security headers of every response (the lookup lane sends the same, see lookupLane.ts). */
export const securityHeaders = helmet({
  contentSecurityPolicy: {
    useDefaults: false,
    directives: {
      defaultSrc: ["'self'"], scriptSrc: ["'self'"], styleSrc: ["'self'"], imgSrc: ["'self'", 'data:'], fontSrc: ["'self'"],
      formAction: ["'self'"], frameAncestors: ["'none'"], baseUri: ["'none'"], objectSrc: ["'none'"],
    },
  },
});

/**
 * Builds the web app; never listens (server/index.ts does). Its settings are this process's
 * (server/config.ts) unless `options.config` gives others.
 */
export function createApp(
  dataSource: DataSource, options: { databaseUrl?: string | null; renderer?: Renderer; config?: Config } = {},
): express.Express {
  const settings = options.config ?? config();
  const context: AppContext = {
    dataSource,
    views: new ViewEngine(),
    imports: new ImportJobs(),
    audits: new AuditJobs(),
    databaseUrl: options.databaseUrl ?? null,
    renderer: options.renderer ?? sharedRenderer(settings.render),
    config: settings,
  };
  const app = express();
  app.disable('x-powered-by');
  // Behind a TLS-terminating proxy set TRUST_PROXY to its address (e.g. "loopback") so that
  // req.secure and req.ip are the client's: session cookies are then marked Secure.
  if (settings.trustProxy) app.set('trust proxy', settings.trustProxy);
  app.use(securityHeaders);
  app.use('/static', express.static(path.join(projectRoot, 'public'), { maxAge: '1h' }));
  app.get('/favicon.ico', (_req, res) => { res.status(204).end(); });
  app.use(chooseLocale);
  // Installed before anything that can fail, so the error handler can always render a page.
  app.use((req, res, next) => {
    res.page = (page, model, status = 200) => {
      const html = context.views.render(page, {
        ...model,
        locale: req.locale,
        htmlLang: req.locale,
        otherLocale: req.locale === 'en' ? 'zh-CN' : 'en',
        currentPath: req.path,
        langSwitchUrl: switchUrl(req, req.locale === 'en' ? 'zh-CN' : 'en'),
        user: req.principal ? { name: req.principal.name, role: t(req.locale, `role.${req.principal.role}`), isAdmin: req.principal.role === 'admin' } : null,
        csrfToken: req.csrfToken,
      }, typeof model.layout === 'string' ? model.layout : 'main');
      res.status(status).type('html').send(html);
    };
    next();
  });
  app.use(express.urlencoded({ extended: false, limit: '100kb' }));
  app.use(loadSession(dataSource));
  app.use(requireSignIn);
  app.use(checkCsrf);
  registerRoutes(app, context);
  app.use((req, _res, next) => next(new HttpError(404, 'error.not_found')));
  app.use((error: unknown, req: Request, res: Response, _next: NextFunction) => {
    // Errors express itself raises carry their status (413 for a body over the limit, 400 for a malformed one).
    const expressStatus = (error as { status?: unknown })?.status;
    // A full render queue is load, not a fault: 503, and when to try again.
    const busy = error instanceof RenderBusy;
    if (busy) res.set('Retry-After', String(error.retryAfterSeconds));
    const status = error instanceof HttpError ? error.status : busy ? 503 : typeof expressStatus === 'number' && expressStatus >= 400 && expressStatus < 500 ? expressStatus : 500;
    if (status === 500) console.error(error);
    const message = error instanceof HttpError
      ? t(req.locale ?? DEFAULT_LOCALE, error.messageKey, error.params)
      : busy ? t(req.locale ?? DEFAULT_LOCALE, 'error.render_busy', { seconds: error.retryAfterSeconds })
      : t(req.locale ?? DEFAULT_LOCALE, status === 500 ? 'error.internal' : 'error.bad_request');
    if (req.accepts(['html', 'json']) === 'json') {
      res.status(status).json({ error: message });
      return;
    }
    res.page('error', { title: t(req.locale, 'error.title'), status, message }, status);
  });
  return app;
}

/** `?lang=en` switches the language and remembers it in a cookie; zh-CN otherwise. */
function chooseLocale(req: Request, res: Response, next: NextFunction): void {
  const asked = req.query.lang;
  if (isLocale(asked)) {
    res.cookie('lang', asked, cookieOptions(req, 365 * 24 * 3600 * 1000));
    req.locale = asked;
  } else {
    const cookie = readCookie(req, 'lang');
    req.locale = isLocale(cookie) ? cookie : DEFAULT_LOCALE;
  }
  next();
}

function switchUrl(req: Request, locale: Locale): string {
  const params = new URLSearchParams(req.query as Record<string, string>);
  params.set('lang', locale);
  return `${req.path}?${params.toString()}`;
}
