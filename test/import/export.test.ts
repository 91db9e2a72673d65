import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { expect } from 'chai';
import { openDataset } from '../../server/dataset/readers.ts';
import { exportDataset } from '../../server/services/import/exporter.ts';
import { importDataset } from '../../server/services/import/importer.ts';
import { clearAllData, describeEachDatabase } from '../support/databases.ts';
import { smallDataset, snapshot, writeDataset } from '../support/fixtures.ts';

async function readAll(directory: string): Promise<Record<string, string>> {
  const files: Record<string, string> = {};
  for (const name of (await readdir(directory)).sort())
    files[name] = await readFile(path.join(directory, name), 'utf8');
  return files;
}

/** Every table's rows without their ids, which a fresh import is free to number differently. */
async function content(ctx: { dataSource: import('typeorm').DataSource }) {
  const tables = await snapshot(ctx.dataSource);
  const withoutIds = (rows: unknown[]) =>
    rows
      .map((row) => {
        const {
          id: _id,
          parent_id: _parent,
          entity_id: _entity,
          holder_agent_id: _ha,
          holder_carrier_id: _hc,
          lessee_agent_id: _la,
          lessee_entity_id: _le,
          root_carrier_id: _rc,
          carrier_id: _carrier,
          ...rest
        } = row as Record<string, unknown>;
        return JSON.stringify(rest);
      })
      .sort();
  return Object.fromEntries(Object.entries(tables).map(([table, rows]) => [table, withoutIds(rows)]));
}

describeEachDatabase('export', (ctx) => {
  it('pages through large tables in key order without losing or repeating a row', async () => {
    await importDataset(ctx.dataSource, await openDataset(await writeDataset(smallDataset())));
    const whole = await writeDataset({});
    const paged = await writeDataset({});
    await exportDataset(ctx.dataSource, whole);
    await exportDataset(ctx.dataSource, paged, { pageRows: 2 });
    expect(await readAll(paged)).to.deep.equal(await readAll(whole));
    const allocations = (await readAll(paged))['allocations.csv'].trim().split('\n').slice(1);
    expect(allocations).to.have.length(6);
    expect(allocations.map((line) => line.split(',')[0])).to.deep.equal(
      [...allocations.map((line) => line.split(',')[0])].sort(),
    );
  });

  it('writes every dataset file with the docs/dataset-format.md#files header', async () => {
    await importDataset(ctx.dataSource, await openDataset(await writeDataset(smallDataset())));
    const directory = await writeDataset({});
    await exportDataset(ctx.dataSource, directory);
    const files = await readAll(directory);
    expect(Object.keys(files)).to.deep.equal([
      'agents.csv',
      'allocations.csv',
      'carriers.csv',
      'complaints.csv',
      'entities.csv',
      'issuers.csv',
      'messages.csv',
      'protected_senders.csv',
      'url_lists.csv',
    ]);
    expect(files['issuers.csv']).to.equal('code,name,carrier,signatory,copy_to,printed_by\n');
    expect(files['allocations.csv'].split('\n')[0]).to.equal(
      'prefix,holder,lessee,valid_from,valid_to,miit_filing_no,declared',
    );
    expect(files['messages.csv']).to.include('"【某网店】您的订单已发货, 请注意查收"');
  });

  it('round-trips: importing the export into an empty store gives the same data and the same files', async () => {
    const issuers =
      'code,name,carrier,signatory,copy_to,printed_by\n' +
      '京通管,北京市通信管理局,,北京市通信管理局,,北京市通信管理局办公室\n' +
      '联通合规,中国联通,CUCC,中国联通合规部,"抄送：甲, 乙",中国联通合规部\n';
    await importDataset(
      ctx.dataSource,
      await openDataset(await writeDataset({ ...smallDataset(), 'issuers.csv': issuers })),
    );
    const original = await content(ctx);
    const first = await writeDataset({});
    await exportDataset(ctx.dataSource, first);

    await clearAllData(ctx.dataSource);
    await importDataset(ctx.dataSource, await openDataset(first));
    expect(await content(ctx)).to.deep.equal(original);

    const second = await writeDataset({});
    await exportDataset(ctx.dataSource, second);
    expect(await readAll(second)).to.deep.equal(await readAll(first));
    expect((await readAll(first))['issuers.csv']).to.equal(issuers);
  });
});
