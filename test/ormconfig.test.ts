import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { expect } from 'chai';
import { projectRoot } from '../ormconfig.ts';

interface Outcome {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs `script` (an ES module body) in a fresh node with tsx and only `env`, from the project root. */
async function node(script: string, env: Record<string, string>): Promise<Outcome> {
  const run = promisify(execFile)(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
    cwd: projectRoot,
    env: { PATH: process.env.PATH ?? '', ...env },
  });
  return run.then(
    ({ stdout, stderr }) => ({ code: 0, stdout, stderr }),
    (error: Outcome) => error,
  );
}

const EXPORTS = [
  'DatabaseOpenError',
  'DatabaseUrlError',
  'SQLITE_BUSY_TIMEOUT_MS',
  'createDataSource',
  'dataSourceOptions',
  'defaultDatabaseUrl',
  'openDatabase',
  'projectRoot',
  'redactDatabaseUrl',
];

describe('ormconfig.ts', () => {
  it('does no work when imported: opens or creates no database and reads no setting, whatever they say', async () => {
    const directory = await mkdtemp(path.join(os.tmpdir(), 'sms106-ormconfig-'));
    const sqlite = path.join(directory, 'not-yet', 'store.sqlite');
    for (const DATABASE_URL of ['nonsense://x', `sqlite:${sqlite}`, 'mysql://auditor:pw@127.0.0.1:1/sms106']) {
      const script = "const m = await import('./ormconfig.ts'); console.log(Object.keys(m).sort().join(' '));";
      const imported = await node(script, { DATABASE_URL, PORT: 'not a port', TRUST_PROXY: '1' });
      expect(imported, DATABASE_URL).to.deep.equal({ code: 0, stdout: `${EXPORTS.join(' ')}\n`, stderr: '' });
    }
    expect(existsSync(path.dirname(sqlite)), 'the SQLite directory').to.equal(false);
  });

  it('reads DATABASE_URL only when a data source is asked for without a URL', async () => {
    const script = "const { createDataSource } = await import('./ormconfig.ts'); createDataSource();";
    const asked = await node(script, { DATABASE_URL: 'nonsense://x' });
    expect(asked.code).to.equal(1);
    expect(asked.stderr).to.include('unsupported database URL "nonsense://x"');
  });
});
