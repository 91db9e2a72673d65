import type { DataSource } from 'typeorm';
import type { Config } from './config.ts';
import type { Locale } from './i18n/index.ts';
import type { AuditJobs } from './services/audit/auditJobs.ts';
import type { ImportJobs } from './services/import/importJobs.ts';
import type { Renderer } from './services/notices/rendering.ts';
import type { ViewEngine } from './views.ts';

/** What every route handler is given besides the request: built once by createApp (app.ts). */
export interface AppContext {
  dataSource: DataSource;
  views: ViewEngine;
  imports: ImportJobs;
  audits: AuditJobs;
  /** The database URL, so an import can run in a worker with its own connection. */
  databaseUrl: string | null;
  /** Chromium renders (notice PDFs, tree PNGs): one browser, a bounded queue. */
  renderer: Renderer;
  /** This process's settings (server/config.ts), or a test's own. */
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
