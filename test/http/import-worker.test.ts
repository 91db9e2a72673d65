import { mkdtemp } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import type { DataSource } from 'typeorm';
import { openDatabase } from '../../ormconfig.ts';
import { createApp } from '../../server/app.ts';
import { smallDataset } from '../support/fixtures.ts';
import { signIn, uploadDataset } from '../support/session.ts';

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
  after(async () => { await dataSource?.destroy(); });

  it('imports the upload and the server then answers lookups from it', async () => {
    const client = await signIn(createApp(dataSource, { databaseUrl: url }), dataSource);
    const { page } = await uploadDataset(client, smallDataset());
    expect(page).to.include('导入完成');
    const lookup = await client.get('/api/lookup').query({ number: '10690123450188', at: '2022-03-14T09:30' }).expect(200);
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
});
