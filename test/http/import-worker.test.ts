import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import type { DataSource } from 'typeorm';
import { openDatabase } from '../../ormconfig.ts';
import { createApp } from '../../server/app.ts';
import { ImportRun } from '../../server/entities/index.ts';
import { ImportJobs } from '../../server/services/import/importJobs.ts';
import { smallDataset } from '../support/fixtures.ts';
import { signIn, uploadDataset, waitForRun } from '../support/session.ts';

// The web server imports in a worker thread with its own connection: on an SQLite file the
// server's own connection must see the data only once the worker has committed it.
describe('web import into an SQLite file, in a worker thread', function () {
  this.timeout(60_000);
  let dataSource: DataSource;
  let url: string;

  before(async () => {
    url = `sqlite:${path.join(await mkdtemp(path.join(os.tmpdir(), 'sms106-worker-')), 'db.sqlite')}`;
    dataSource = await openDatabase(url);
  });
  after(async () => {
    await dataSource?.destroy();
  });

  it('imports the upload and the server then answers lookups from it', async () => {
    const client = await signIn(createApp(dataSource, { databaseUrl: url }), dataSource);
    const { page } = await uploadDataset(client, smallDataset());
    expect(page).to.include('导入完成');
    const lookup = await client
      .get('/api/lookup')
      .query({ number: '10690123450188', at: '2022-03-14T09:30' })
      .expect(200);
    expect(lookup.body.entity.name).to.equal('杭州某网店有限公司');
  });

  it('refuses a second upload while an import is running', async () => {
    const client = await signIn(createApp(dataSource, { databaseUrl: url }), dataSource);
    const files = smallDataset();
    const first = client.post('/imports').attach('files', Buffer.from(files['carriers.csv']), 'carriers.csv');
    const second = client.post('/imports').attach('files', Buffer.from(files['carriers.csv']), 'carriers.csv');
    const statuses = (await Promise.all([first, second])).map((r) => r.status).sort();
    expect(statuses).to.deep.equal([303, 409]);
  });

  it('shows its own import as going on until the job has settled, so the next upload is never refused once it looks over', async () => {
    const jobs = new ImportJobs(new URL('../support/lingeringImportWorker.js', import.meta.url));
    const client = await signIn(createApp(dataSource, { imports: jobs }), dataSource);
    // The import has written how it ended; its worker has not yet said so.
    const run = await dataSource.getRepository(ImportRun).save({
      source: 'upload',
      status: 'succeeded',
      startedAt: new Date(),
      finishedAt: new Date(),
      rowsRead: 0,
      carrierId: null,
      summary: null,
      errorCount: 0,
      owner: null,
      failure: null,
    });
    const upload = await mkdtemp(path.join(os.tmpdir(), 'sms106-lingering-'));
    await mkdir(path.join(upload, 'dataset'));
    await jobs.start(
      dataSource,
      url,
      { location: path.join(upload, 'dataset'), source: String(run.id), actor: 'test', carrier: null },
      upload,
    );
    const release = path.join(upload, 'dataset', 'release');
    try {
      const settling = (await client.get(`/imports/${run.id}`).expect(200)).text;
      expect(settling, 'the page keeps refreshing').to.include('http-equiv="refresh"');
      await client
        .post('/imports')
        .attach('files', Buffer.from(smallDataset()['carriers.csv']), 'carriers.csv')
        .expect(409);
    } finally {
      // Let the worker end whatever happened above, or it keeps the test process alive.
      await writeFile(release, '');
    }
    await waitForRun(client, `/imports/${run.id}`);
    const next = await client
      .post('/imports')
      .attach('files', Buffer.from(smallDataset()['carriers.csv']), 'carriers.csv')
      .expect(303);
    await waitForRun(client, next.headers.location);
  });
});
