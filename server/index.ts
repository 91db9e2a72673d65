import { createServer, type Server } from 'node:http';
import type { DataSource } from 'typeorm';
import { createApp } from './app.ts';
import type { Config } from './config.ts';
import { withLookupLane } from './lookupLane.ts';
import { demoDatasetDir } from './demo.ts';
import { openDataset } from './dataset/readers.ts';
import { Carrier, ImportRun } from './entities/index.ts';
import { createDemoIssuers, createDemoUsers } from './services/accounts/demoUsers.ts';
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
  log?: (text: string) => void;
}

/** Starts the web server; resolves once it has stopped (SIGINT/SIGTERM) and the database is closed. */
export async function serve(dataSource: DataSource, options: ServeOptions): Promise<void> {
  const log = options.log ?? ((text: string) => process.stderr.write(text));
  // An import whose process stopped never committed: say so. Others' running imports go on.
  try {
    await endInterruptedRuns(dataSource, { atStart: true });
  } catch (error) {
    if (!isStoreBusy(error)) throw error;
    log(
      'another process is writing to the database (an import?): import runs left running by stopped processes are ended at the next start\n',
    );
  }
  if (options.demoIfEmpty && (await isPristine(dataSource))) {
    log('empty database: loading the demo dataset (seeds/demo)…\n');
    const outcome = await runImport(dataSource, await openDataset(demoDatasetDir), { source: 'seeds/demo' });
    if (outcome.status !== 'succeeded')
      throw new Error(
        `the demo dataset was refused (${outcome.refused.issueCount} problems); run "sms106 seed" to see them`,
      );
    const users = await createDemoUsers(dataSource, 'system');
    await createDemoIssuers(dataSource);
    log(`demo users ${users.join(', ')} created without passwords; set one with: npx sms106 user passwd NAME\n`);
    const audit = await runAudit(dataSource, { actor: 'system' });
    log(`demo audit: ${audit.findings.length} findings\n`);
  }
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
  log(
    host === LOOPBACK
      ? `sms106 is listening on http://localhost:${port} (this machine only; set HOST=0.0.0.0 to serve other machines)\n`
      : `sms106 is listening on http://localhost:${port} (bound to ${host}: other machines can reach it)\n`,
  );
  await new Promise<void>((resolve) => {
    const stop = () => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      log('shutting down…\n');
      server.close(() => resolve());
      server.closeAllConnections();
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
  await closeSharedRenderer();
  await dataSource.destroy();
}

/** Nothing was ever imported here: no carrier and no successful import. */
async function isPristine(dataSource: DataSource): Promise<boolean> {
  return (
    (await dataSource.getRepository(Carrier).count()) === 0 &&
    (await dataSource.getRepository(ImportRun).countBy({ status: 'succeeded' })) === 0
  );
}
