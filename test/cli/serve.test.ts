import { spawn } from 'node:child_process';
import { mkdtemp } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import { openDatabase } from '../../ormconfig.ts';
import { runningProcess, startServer as start, stopServer as stop, stoppedProcessId } from '../support/processes.ts';
import { networkAddress } from '../support/network.ts';

const bin = path.join(import.meta.dirname, '..', '..', 'bin', 'sms106.js');

describe('sms106 serve --demo-if-empty (npm start)', function () {
  this.timeout(180_000);

  it('creates and loads a new embedded database once, serves it, never reloads the demo over it, and ends only the imports whose process stopped', async () => {
    const url = `sqlite:${path.join(await mkdtemp(path.join(os.tmpdir(), 'sms106-start-')), 'data', 'sms106.sqlite')}`;
    const first = await start(url);
    try {
      expect(first.log()).to.include('loading the demo dataset');
      const dashboard = await fetch(`${first.baseUrl}/`, { redirect: 'manual' });
      expect([dashboard.status, dashboard.headers.get('location')]).to.deep.equal([303, '/login?next=%2F']);
      expect((await fetch(`${first.baseUrl}/login`)).status).to.equal(200);
      expect(first.log()).to.include('demo users admin, regulator, cmcc created without passwords');
    } finally {
      expect(await stop(first.child)).to.equal(0);
    }
    // Two imports left running: one by a process that has stopped, one by `sms106 import` still at it.
    const stopped = await stoppedProcessId();
    const importing = runningProcess();
    const before = await openDatabase(url);
    try {
      for (const [source, pid] of [
        ['stopped', stopped],
        ['importing', importing.pid],
      ]) {
        await before.query(
          "INSERT INTO import_runs (source, status, started_at, rows_read, error_count, owner) VALUES (?, 'running', '2026-01-01 00:00:00', 0, 0, ?)",
          [source, `pid:${pid}@${os.hostname()}`],
        );
      }
    } finally {
      await before.destroy();
    }
    const second = await start(url);
    try {
      expect(second.log()).not.to.include('loading the demo dataset');
    } finally {
      await stop(second.child);
      await importing.stop();
    }
    const dataSource = await openDatabase(url);
    try {
      const left = await dataSource.query(
        "SELECT source, status FROM import_runs WHERE source IN ('stopped', 'importing') ORDER BY source",
      );
      expect(left).to.deep.equal([
        { source: 'importing', status: 'running' },
        { source: 'stopped', status: 'failed' },
      ]);
      const runs = await dataSource.query("SELECT COUNT(*) AS n FROM import_runs WHERE status = 'succeeded'");
      expect(Number(runs[0].n)).to.equal(1);
      const carriers = await dataSource.query('SELECT code FROM carriers ORDER BY code');
      expect(carriers.map((c: { code: string }) => c.code)).to.deep.equal(['CBN', 'CMCC', 'CTCC', 'CUCC']);
    } finally {
      await dataSource.destroy();
    }
  });

  it('listens on this machine only unless HOST says otherwise, and says which at start', async () => {
    const url = `sqlite:${path.join(await mkdtemp(path.join(os.tmpdir(), 'sms106-host-')), 'sms106.sqlite')}`;
    const elsewhere = (baseUrl: string) => baseUrl.replace('localhost', networkAddress());
    const local = await start(url);
    try {
      expect(local.log()).to.include('this machine only');
      expect((await fetch(`${local.baseUrl}/login`)).status).to.equal(200);
      const refused = await fetch(`${elsewhere(local.baseUrl)}/login`).then(
        () => 'answered',
        (error: Error) => (error.cause as { code?: string })?.code,
      );
      expect(refused).to.equal('ECONNREFUSED');
    } finally {
      expect(await stop(local.child)).to.equal(0);
    }
    const everywhere = await start(url, { HOST: '0.0.0.0' });
    try {
      expect(everywhere.log()).to.include('bound to 0.0.0.0');
      expect((await fetch(`${elsewhere(everywhere.baseUrl)}/login`)).status).to.equal(200);
    } finally {
      expect(await stop(everywhere.child)).to.equal(0);
    }
  });

  it("does not start with a TRUST_PROXY that would trust any client's X-Forwarded-For", async () => {
    const url = `sqlite:${path.join(await mkdtemp(path.join(os.tmpdir(), 'sms106-proxy-')), 'sms106.sqlite')}`;
    const child = spawn(process.execPath, [bin, 'serve', '--port', '0', '--db', url], {
      cwd: os.tmpdir(),
      env: { ...process.env, TRUST_PROXY: '1' },
    });
    let stderr = '';
    child.stderr!.on('data', (chunk) => {
      stderr += chunk;
    });
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    expect(code).to.equal(2);
    expect(stderr.trim().split('\n')).to.have.length(1);
    expect(stderr).to.include('TRUST_PROXY="1"');
  });
});
