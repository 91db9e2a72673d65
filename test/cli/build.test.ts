import { cp, mkdir, mkdtemp, utimes, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { expect } from 'chai';
import { BUILT_MARKER, chooseEntry } from '../../bin/entry.js';
import { runCommand, startServer, stopServer } from '../support/processes.ts';

const root = path.join(import.meta.dirname, '..', '..');
const bin = path.join(root, 'bin', 'sms106.js');

describe('which code sms106 runs (bin/entry.js)', () => {
  /** A project folder with one source file and, optionally, a build marker, with chosen modification times. */
  async function project(options: { built?: number; source: number }): Promise<string> {
    const folder = await mkdtemp(path.join(os.tmpdir(), 'sms106-entry-'));
    await mkdir(path.join(folder, 'server', 'routes'), { recursive: true });
    await mkdir(path.join(folder, 'dist'));
    await writeFile(path.join(folder, 'ormconfig.ts'), '');
    await utimes(path.join(folder, 'ormconfig.ts'), 1_000, 1_000);
    await writeFile(path.join(folder, 'server', 'routes', 'page.ts'), '');
    await utimes(path.join(folder, 'server', 'routes', 'page.ts'), options.source, options.source);
    if (options.built !== undefined) {
      await writeFile(path.join(folder, BUILT_MARKER), '');
      await utimes(path.join(folder, BUILT_MARKER), options.built, options.built);
    }
    return folder;
  }

  it('runs the build when it is newer than every source file', async () => {
    expect(chooseEntry(await project({ built: 3_000, source: 2_000 }))).to.deep.equal({
      kind: 'dist',
      reason: 'built',
    });
  });

  it('runs the sources when there is no build, a source changed after it, or SMS106_FROM_SOURCE asks', async () => {
    expect(chooseEntry(await project({ source: 2_000 })).kind).to.equal('source');
    const stale = chooseEntry(await project({ built: 2_000, source: 3_000 }));
    expect(stale).to.deep.equal({
      kind: 'source',
      reason: `${path.join('server', 'routes', 'page.ts')} changed after the build`,
    });
    expect(chooseEntry(await project({ built: 3_000, source: 2_000 }), { fromSource: true }).kind).to.equal('source');
  });
});

describe('the compiled build (npm run build)', function () {
  this.timeout(300_000);

  before(async () => {
    const build = await runCommand('npm', ['run', 'build'], { cwd: root });
    expect(build.code, build.output).to.equal(0);
  });

  /** The environment of a user's shell: no SMS106_FROM_SOURCE, which the suite sets for itself. */
  function userEnv(): NodeJS.ProcessEnv {
    const env = { ...process.env };
    delete env.SMS106_FROM_SOURCE;
    return env;
  }

  it('is what sms106 runs once built, and answers --help', async () => {
    expect(chooseEntry(root).kind).to.equal('dist');
    const help = await runCommand(process.execPath, [bin, '--help'], { cwd: os.tmpdir(), env: userEnv() });
    expect(help.code).to.equal(0);
    expect(help.output).to.include('sms106');
  });

  it('serves the demo from the compiled code: views, catalogue and seeds are found from dist/', async () => {
    const url = `sqlite:${path.join(await mkdtemp(path.join(os.tmpdir(), 'sms106-built-')), 'store.sqlite')}`;
    const server = await startServer(url, { SMS106_FROM_SOURCE: undefined, LANG: undefined });
    try {
      expect(server.log()).to.match(/^稽核完成：\d+ 条风险线索$/m);
      const login = await fetch(`${server.baseUrl}/login`);
      expect(login.status).to.equal(200);
      expect(await login.text()).to.include('登录');
    } finally {
      await stopServer(server.child);
    }
  });

  it('imports in a worker thread from the compiled code, without tsx', async () => {
    const folder = await mkdtemp(path.join(os.tmpdir(), 'sms106-built-worker-'));
    const upload = path.join(folder, 'upload');
    await cp(path.join(root, 'seeds', 'demo'), upload, { recursive: true });
    const url = `sqlite:${path.join(folder, 'store.sqlite')}`;
    // What the web app does with an upload, run by plain node on dist/ (no tsx loader registered).
    const script = `
      const { openDatabase } = await import(${JSON.stringify(pathToFileURL(path.join(root, 'dist', 'ormconfig.js')).href)});
      const { ImportJobs } = await import(${JSON.stringify(pathToFileURL(path.join(root, 'dist', 'server', 'services', 'import', 'importJobs.js')).href)});
      const { workerTsconfig } = await import(${JSON.stringify(pathToFileURL(path.join(root, 'dist', 'server', 'util', 'projectRoot.js')).href)});
      if (workerTsconfig !== null) throw new Error('compiled code would register tsx in its workers');
      const dataSource = await openDatabase(${JSON.stringify(url)});
      const jobs = new ImportJobs();
      const runId = await jobs.start(dataSource, ${JSON.stringify(url)}, { location: ${JSON.stringify(upload)}, source: 'upload', actor: 'test', carrier: null });
      while (!jobs.state(runId)?.done) await new Promise((resolve) => setTimeout(resolve, 50));
      const [run] = await dataSource.query('SELECT status FROM import_runs WHERE id = ?', [runId]);
      console.log('run', run.status);
      await dataSource.destroy();
    `;
    // A file, not --eval: the worker thread inherits node's flags, and --input-type would stop it.
    await writeFile(path.join(folder, 'upload.mjs'), script);
    const result = await runCommand(process.execPath, [path.join(folder, 'upload.mjs')], {
      cwd: os.tmpdir(),
      env: userEnv(),
    });
    expect(result.output.trim().split('\n').at(-1), result.output).to.equal('run succeeded');
    expect(result.code).to.equal(0);
  });
});
