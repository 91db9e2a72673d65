import { expect } from 'chai';
import type { DataSource, EntityManager, ObjectLiteral } from 'typeorm';
import { openDatabase } from '../../ormconfig.ts';
import { Carrier, Message, ProtectedSender } from '../../server/entities/index.ts';
import {
  LOAD_ROWS,
  loadDataIsTransactional,
  LoadDataWriter,
  rowsOfText,
} from '../../server/services/import/loadData.ts';
import { Upserter } from '../../server/services/import/upsert.ts';
import { clearAllData, mariadbUrl } from '../support/databases.ts';

/**
 * Rows through a LoadDataWriter in one transaction, in chunks as the importer's batcher takes
 * them. Returns how many chunks went the upserts' way instead (the server did not take them
 * whole and cleanly), so a test can tell the LOAD DATA text from the fallback that repairs it.
 */
async function load<T extends ObjectLiteral>(
  dataSource: DataSource,
  upserter: (manager: EntityManager) => Upserter<T>,
  rows: Array<Partial<T>>,
): Promise<number> {
  let fallbacks = 0;
  await dataSource.transaction(async (manager) => {
    const target = upserter(manager);
    const writePrepared = target.writePrepared.bind(target);
    target.writePrepared = (prepared) => {
      fallbacks++;
      return writePrepared(prepared);
    };
    const writer = new LoadDataWriter(target);
    for (const row of rows) if (writer.add(row)) await writer.write(writer.take());
    await writer.write(writer.take());
  });
  return fallbacks;
}

const messageUpserter = (manager: EntityManager) =>
  new Upserter(manager, Message, ['natural_key'], ['external_id', 'sender', 'sent_at', 'content', 'recipient']);

/** Texts that LOAD DATA's format has to escape, and ones that only look like its escapes. */
const AWKWARD_MESSAGES: Array<Partial<Message>> = [
  {
    externalId: 'tab',
    naturalKey: 'id:tab',
    sender: '10690001',
    sentAt: new Date('2024-03-01T08:09:10.123Z'),
    content: 'a\tb',
    recipient: null,
  },
  {
    externalId: 'lines',
    naturalKey: 'id:lines',
    sender: '10690001',
    sentAt: new Date('2024-03-01T23:59:59Z'),
    content: '第一行\n第二行\r\n第三行',
    recipient: '+8613800138000',
  },
  {
    externalId: null,
    naturalKey: 'h:slashes',
    sender: '10690002',
    sentAt: new Date('2020-01-01T00:00:00Z'),
    content: 'C:\\path\\N \\t \\\\ \\',
    recipient: null,
  },
  {
    externalId: 'null-text',
    naturalKey: 'id:null-text',
    sender: '10690002',
    sentAt: new Date('2021-06-30T12:00:00Z'),
    content: '\\N',
    recipient: null,
  },
  {
    externalId: 'nul',
    naturalKey: 'id:nul',
    sender: '10690003',
    sentAt: new Date('2022-02-02T02:02:02Z'),
    content: 'x\0y 【某市公安局交通管理局】😀',
    recipient: '',
  },
];

describe('LoadDataWriter [MariaDB]', function () {
  let dataSource: DataSource;
  before(async () => {
    dataSource = await openDatabase(mariadbUrl);
  });
  after(async () => {
    await dataSource?.destroy();
  });
  beforeEach(async () => {
    await clearAllData(dataSource);
  });

  const storedMessages = async () =>
    (await dataSource.getRepository(Message).find({ order: { naturalKey: 'ASC' } })).map(
      ({ id: _id, ...message }) => message,
    );

  it('stores exactly what the upsert stores: escapes, NULL, an empty text, dates, emoji', async () => {
    await dataSource.transaction((manager) => messageUpserter(manager).write(AWKWARD_MESSAGES));
    const upserted = await storedMessages();
    await clearAllData(dataSource);
    expect(await load(dataSource, messageUpserter, AWKWARD_MESSAGES), 'chunks the LOAD did not take cleanly').to.equal(
      0,
    );
    expect(await storedMessages()).to.deep.equal(upserted);
    expect(upserted.find((m) => m.naturalKey === 'id:null-text')!.content).to.equal('\\N');
    expect(upserted.find((m) => m.naturalKey === 'id:nul')!.recipient).to.equal('');
  });

  it('updates in place the rows whose natural key is already stored, and adds the others', async () => {
    await load(dataSource, messageUpserter, AWKWARD_MESSAGES.slice(0, 2));
    const ids = new Map((await dataSource.getRepository(Message).find()).map((m) => [m.naturalKey, m.id]));
    expect(
      await load(
        dataSource,
        messageUpserter,
        AWKWARD_MESSAGES.map((m) => ({ ...m, content: `${m.content} (2)` })),
      ),
      'chunks upserted',
    ).to.equal(1);
    const stored = await dataSource.getRepository(Message).find();
    expect(stored.map((m) => m.content).sort()).to.deep.equal(AWKWARD_MESSAGES.map((m) => `${m.content} (2)`).sort());
    for (const [key, id] of ids) expect(stored.find((m) => m.naturalKey === key)!.id, key).to.equal(id);
  });

  it('refuses, as an INSERT does, a value the column cannot hold, and keeps nothing', async () => {
    const upserter = (manager: EntityManager) => new Upserter(manager, Carrier, ['code'], ['name']);
    let failure: unknown;
    try {
      await load(dataSource, upserter, [
        { code: 'OK', name: 'fine' },
        { code: 'X'.repeat(17), name: 'code too long' },
      ]);
    } catch (error) {
      failure = error;
    }
    expect(String(failure)).to.match(/Data too long for column 'code'/);
    expect(await dataSource.getRepository(Carrier).count()).to.equal(0);
  });

  it('numbers the rows of several full statements without gaps in the ids', async () => {
    const rows = Array.from({ length: 2 * LOAD_ROWS + 3 }, (_, i) => ({ code: `C${i}`, name: `carrier ${i}` }));
    expect(await load(dataSource, (manager) => new Upserter(manager, Carrier, ['code'], ['name']), rows)).to.equal(0);
    const [{ first, last, count }] = await dataSource.query(
      'SELECT MIN(id) AS first, MAX(id) AS last, COUNT(*) AS count FROM carriers',
    );
    expect(Number(count)).to.equal(rows.length);
    expect(Number(last) - Number(first) + 1).to.equal(rows.length);
  });

  it('numbers rows without gaps also when long texts cut the statements short', async () => {
    const rows = Array.from({ length: 1100 }, (_, i) => ({
      ...AWKWARD_MESSAGES[0],
      naturalKey: `id:${i}`,
      externalId: String(i),
      content: '冒'.repeat(5000),
    }));
    expect(await load(dataSource, messageUpserter, rows)).to.equal(0);
    const [{ first, last, count }] = await dataSource.query(
      'SELECT MIN(id) AS first, MAX(id) AS last, COUNT(*) AS count FROM messages',
    );
    expect(Number(count)).to.equal(rows.length);
    expect(Number(last) - Number(first) + 1).to.equal(rows.length);
  });

  it('writes the rows as upserts when the server refuses LOAD DATA LOCAL', async () => {
    const [{ enabled }] = await dataSource.query('SELECT @@GLOBAL.local_infile AS enabled');
    await dataSource.query('SET GLOBAL local_infile = 0');
    try {
      expect(await load(dataSource, messageUpserter, AWKWARD_MESSAGES), 'chunks upserted').to.equal(1);
    } finally {
      await dataSource.query(`SET GLOBAL local_infile = ${Number(enabled)}`);
    }
    expect((await storedMessages()).map((m) => m.content).sort()).to.deep.equal(
      AWKWARD_MESSAGES.map((m) => m.content).sort(),
    );
  });

  it('stores JSON columns as the upsert does', async () => {
    const upserter = (manager: EntityManager) => new Upserter(manager, ProtectedSender, ['name'], ['uscc', 'aliases']);
    expect(
      await load(dataSource, upserter, [
        { name: '某市公安局交通管理局', uscc: null, aliases: ['交警', '车管所\t"引号"'] },
      ]),
    ).to.equal(0);
    const stored = await dataSource.getRepository(ProtectedSender).findOneByOrFail({ name: '某市公安局交通管理局' });
    expect([stored.aliases, stored.version, stored.uscc]).to.deep.equal([['交警', '车管所\t"引号"'], 1, null]);
  });
});

describe('rowsOfText', () => {
  it('reads LOAD DATA text back: tabs between fields, \\N as NULL, backslash escapes undone', () => {
    expect(rowsOfText('a\t\\N\tb\\tc\\nd\\\\N\n\\\\\t\t\\0\n')).to.deep.equal([
      ['a', null, 'b\tc\nd\\N'],
      ['\\', '', '\0'],
    ]);
  });
});

describe('loadDataIsTransactional', () => {
  it('trusts MySQL and MariaDB, and TiDB from 7.6 on, whose ROLLBACK undoes a LOAD DATA', () => {
    const versions = [
      '10.11.19-MariaDB-0+deb12u1',
      '8.0.40',
      '8.0.11-TiDB-v7.6.0',
      '8.0.11-TiDB-v8.5.1',
      '5.7.25-TiDB-v7.5.2',
      '5.7.25-TiDB-v6.5.0',
      '5.7.25-TiDB-None',
    ];
    expect(versions.map(loadDataIsTransactional)).to.deep.equal([true, true, true, true, false, false, false]);
  });
});
