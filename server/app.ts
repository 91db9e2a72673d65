import path from 'node:path';
import express, { type NextFunction, type Request, type Response } from 'express';
import type { Logger } from 'pino';
import type { DataSource } from 'typeorm';
import { projectRoot } from '../ormconfig.ts';
import { config, type Config } from './config.ts';
import { checkCsrf, cookieOptions, loadSession, readCookie, requireSignIn } from './auth.ts';
import type { AppContext } from './context.ts';
import { answerFor, HttpError } from './errors.ts';
import { DEFAULT_LOCALE, isLocale, LOCALES, t, type Locale } from './i18n/index.ts';
import { requestLogger } from './log.ts';
import { z } from 'zod';
import { AuditJobs } from './services/audit/auditJobs.ts';
import { ImportJobs } from './services/import/importJobs.ts';
import { sharedRenderer, type Renderer } from './services/notices/rendering.ts';
import { ViewEngine } from './views.ts';
import { registerRoutes } from './routes/index.ts';
import { securityHeaders } from './securityHeaders.ts';
import { param, parseQuery } from './routes/query.ts';

/**
 * Builds the web app; never listens (server/index.ts does). Its settings are this process's
 * (server/config.ts) unless `options.config` gives others.
 */
export function createApp(
  dataSource: DataSource,
  options: {
    databaseUrl?: string | null;
    renderer?: Renderer;
    imports?: ImportJobs;
    logger?: Logger;
    config?: Config;
  } = {},
): express.Express {
  const settings = options.config ?? config();
  const context: AppContext = {
    dataSource,
    views: new ViewEngine(),
    imports: options.imports ?? new ImportJobs(),
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
  app.use(requestLogger(options.logger));
  app.use(securityHeaders);
  app.use('/static', express.static(path.join(projectRoot, 'public'), { maxAge: '1h' }));
  app.get('/favicon.ico', (_req, res) => {
    res.status(204).end();
  });
  // Installed before anything that can fail, so the error handler can always render a page.
  app.use((req, res, next) => {
    res.page = (page, model, status = 200) => {
      const html = context.views.render(
        page,
        {
          ...model,
          locale: req.locale,
          htmlLang: req.locale,
          otherLocale: req.locale === 'en' ? 'zh-CN' : 'en',
          currentPath: req.path,
          langSwitchUrl: switchUrl(req, req.locale === 'en' ? 'zh-CN' : 'en'),
          user: req.principal
            ? {
                name: req.principal.name,
                role: t(req.locale, `role.${req.principal.role}`),
                isAdmin: req.principal.role === 'admin',
              }
            : null,
          csrfToken: req.csrfToken,
        },
        typeof model.layout === 'string' ? model.layout : 'main',
      );
      res.status(status).type('html').send(html);
    };
    next();
  });
  app.use(chooseLocale);
  app.use(express.urlencoded({ extended: false, limit: '100kb' }));
  app.use(loadSession(dataSource));
  app.use(requireSignIn);
  app.use(checkCsrf);
  registerRoutes(app, context);
  app.use((req, _res, next) => next(new HttpError(404, 'error.not_found')));
  // The one place an error becomes an answer (errors.ts): routes throw, this renders.
  app.use((error: unknown, req: Request, res: Response, _next: NextFunction) => {
    const answer = answerFor(error, req.locale ?? DEFAULT_LOCALE);
    // The request's log line (log.ts) carries it, with the request id.
    if (answer.internal) res.err = error as Error;
    res.set(answer.headers);
    if (req.accepts(['html', 'json']) === 'json') {
      res.status(answer.status).json({ error: answer.message });
      return;
    }
    res.page(
      'error',
      { title: t(req.locale, 'error.title'), status: answer.status, message: answer.message },
      answer.status,
    );
  });
  return app;
}

const localeQuery = z.object({ lang: param.choice(LOCALES) });

/** `?lang=en` switches the language and remembers it in a cookie; zh-CN otherwise. */
function chooseLocale(req: Request, res: Response, next: NextFunction): void {
  const cookie = readCookie(req, 'lang');
  req.locale = isLocale(cookie) ? cookie : DEFAULT_LOCALE;
  const query = parseQuery(req, localeQuery);
  if (!query.ok) {
    next(query.error);
    return;
  }
  if (query.value.lang) {
    res.cookie('lang', query.value.lang, cookieOptions(req, 365 * 24 * 3600 * 1000));
    req.locale = query.value.lang;
  }
  next();
}

function switchUrl(req: Request, locale: Locale): string {
  const params = new URLSearchParams(req.query as Record<string, string>);
  params.set('lang', locale);
  return `${req.path}?${params.toString()}`;
}
