import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { expect } from 'chai';
import { projectRoot } from '../ormconfig.ts';

/** Runs `script` (an ES module body) in a fresh node with tsx and only `env`, from the project root. */
async function node(script: string, env: Record<string, string>) {
  const run = promisify(execFile)(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
    cwd: projectRoot, env: { PATH: process.env.PATH ?? '', ...env },
  });
  return run.then(({ stdout, stderr }) => ({ code: 0, stdout, stderr }), (error: { code: number; stdout: string; stderr: string }) => error);
}

describe('ormconfig.ts', () => {
  it('does no work when imported: no database opened or created, no setting read, whatever the environment says', async () => {
    const directory = await mkdtemp(path.join(os.tmpdir(), 'sms106-ormconfig-'));
    const sqlite = path.join(directory, 'not-yet', 'store.sqlite');
    for (const DATABASE_URL of ['nonsense://x', `sqlite:${sqlite}`, 'mysql://auditor:pw@127.0.0.1:1/sms106']) {
      const imported = await node("const m = await import('./ormconfig.ts'); console.log(Object.keys(m).sort().join(' '));", {
        DATABASE_URL, PORT: 'not a port', TRUST_PROXY: '1',
      });
      expect(imported, DATABASE_URL).to.deep.equal({
        code: 0,
        stdout: 'DatabaseOpenError DatabaseUrlError SQLITE_BUSY_TIMEOUT_MS createDataSource dataSourceOptions defaultDatabaseUrl '
          + 'openDatabase projectRoot redactDatabaseUrl\n',
        stderr: '',
      });
    }
    expect(existsSync(path.dirname(sqlite)), 'the SQLite directory').to.equal(false);
  });

  it('reads DATABASE_URL only when a data source is asked for without a URL', async () => {
    const asked = await node("const { createDataSource } = await import('./ormconfig.ts'); createDataSource();", { DATABASE_URL: 'nonsense://x' });
    expect(asked.code).to.equal(1);
    expect(asked.stderr).to.include('unsupported database URL "nonsense://x"');
  });
});
