import { createServer, type Server } from 'node:http';
import type { DataSource } from 'typeorm';
import { createApp } from './app.ts';
import type { Config } from './config.ts';
import { withLookupLane } from './lookupLane.ts';
import { demoDatasetDir } from './demo.ts';
import { openDataset } from './dataset/readers.ts';
import { Carrier, ImportRun } from './entities/index.ts';
import { DEFAULT_LOCALE, t, type Locale } from './i18n/index.ts';
import { createDemoIssuers, createDemoUsers, demoUsersText } from './services/accounts/demoUsers.ts';
import { runAudit } from './services/audit/auditRuns.ts';
import { endInterruptedRuns, isStoreBusy } from './services/import/importOwners.ts';
import { runImport } from './services/import/importRuns.ts';
import { allocationIndexFor } from './services/lookup/lookup.ts';
import { closeSharedRenderer } from './services/notices/rendering.ts';

/** Where the server listens unless HOST says otherwise: reachable from this machine only. */
export const LOOPBACK = '127.0.0.1';

export interface ServeOptions {
  port: number;
  /** The address to listen on (HOST); this machine only by default. */
  host?: string;
  /** Load the demo dataset when the store has never held any data (what `npm start` asks for). */
  demoIfEmpty?: boolean;
  databaseUrl?: string | null;
  /** The app's settings (server/config.ts); this process's when not given. */
  config?: Config;
  /** Where the progress lines and the ready line go (stderr by default), in `locale`. */
  log?: (text: string) => void;
  /** The command line's language, for what the server says while it starts and stops. */
  locale?: Locale;
}

/** Starts the web server; resolves once it has stopped (SIGINT/SIGTERM) and the database is closed. */
export async function serve(dataSource: DataSource, options: ServeOptions): Promise<void> {
  const write = options.log ?? ((text: string) => process.stderr.write(text));
  const locale = options.locale ?? DEFAULT_LOCALE;
  const say = (key: string, params: Record<string, string | number> = {}) => write(`${t(locale, key, params)}\n`);
  // An import whose process stopped never committed: say so. Others' running imports go on.
  try {
    await endInterruptedRuns(dataSource, { atStart: true });
  } catch (error) {
    if (!isStoreBusy(error)) throw error;
    say('cli.serve.store_busy');
  }
  if (options.demoIfEmpty && (await isPristine(dataSource))) await loadDemo(dataSource, locale, say, write);
  say('cli.serve.indexing');
  await allocationIndexFor(dataSource);
  const host = options.host ?? LOOPBACK;
  const app = createApp(dataSource, { databaseUrl: options.databaseUrl ?? null, config: options.config });
  const server = await new Promise<Server>((resolve, reject) => {
    const listening = createServer(withLookupLane(dataSource, app)).listen(options.port, host, () =>
      resolve(listening),
    );
    listening.on('error', reject);
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : options.port;
  const url = readyUrl(host, port);
  say(host === LOOPBACK ? 'cli.serve.ready_local' : 'cli.serve.ready_bound', { url, host });
  await new Promise<void>((resolve) => {
    const stop = () => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      say('cli.serve.stopping');
      server.close(() => resolve());
      server.closeAllConnections();
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
  await closeSharedRenderer();
  await dataSource.destroy();
}

/**
 * What `npm start` does to an empty store, saying each step: the demo dataset, its users (each
 * with a new password, printed here once) and issuers, then one audit so findings are there.
 */
async function loadDemo(
  dataSource: DataSource,
  locale: Locale,
  say: (key: string, params?: Record<string, string | number>) => void,
  write: (text: string) => void,
): Promise<void> {
  say('cli.serve.loading_demo', { dataset: 'seeds/demo' });
  const outcome = await runImport(dataSource, await openDataset(demoDatasetDir), { source: 'seeds/demo' });
  if (outcome.status !== 'succeeded')
    throw new Error(t(locale, 'cli.serve.demo_refused', { count: outcome.refused.issueCount }));
  const { files } = outcome.summary;
  say('cli.serve.demo_loaded', { rows: files.reduce((sum, file) => sum + file.rows, 0), files: files.length });
  const users = await createDemoUsers(dataSource, 'system');
  await createDemoIssuers(dataSource);
  write(demoUsersText(users, locale));
  say('cli.serve.auditing');
  const audit = await runAudit(dataSource, { actor: 'system' });
  say('cli.serve.audited', { count: audit.findings.length });
}

/**
 * The address to open in a browser: localhost when the server listens on the loopback address or
 * on every interface (which includes it), else the address it is bound to.
 */
export function readyUrl(host: string, port: number): string {
  if (['127.0.0.1', '0.0.0.0', '::', 'localhost'].includes(host)) return `http://localhost:${port}`;
  return `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
}

/** Nothing was ever imported here: no carrier and no successful import. */
async function isPristine(dataSource: DataSource): Promise<boolean> {
  return (
    (await dataSource.getRepository(Carrier).count()) === 0 &&
    (await dataSource.getRepository(ImportRun).countBy({ status: 'succeeded' })) === 0
  );
}
