import { readdirSync, readFileSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { expect } from 'chai';
import { openDatabase, projectRoot } from '../../ormconfig.ts';
import {
  discardConnection,
  mysqlConnectionOf,
  TYPEORM_SQLITE_BEGIN,
  valueConversion,
  type MysqlConnection,
} from '../../server/db/typeormAdapter.ts';
import { AuditEvent } from '../../server/entities/index.ts';
import { describeEachDatabase } from '../support/databases.ts';

/** A statement on a mysql2 callback connection, as the adapter hands it over. */
function callbackQuery<R>(connection: MysqlConnection, sql: string): Promise<R> {
  return new Promise((resolve, reject) => {
    connection.query<R>({ sql }, (error, result) => (error ? reject(error) : resolve(result)));
  });
}

const PROCESS_COUNT = 'SELECT COUNT(*) AS open FROM information_schema.PROCESSLIST WHERE ID = ?';

describeEachDatabase('the TypeORM adapter (server/db/typeormAdapter.ts)', (ctx) => {
  const mysql = () => ctx.database.name === 'MariaDB';
  const event = {
    at: new Date('2026-01-02T03:04:05.000Z'),
    actor: 'tester',
    action: 'adapter.test',
    subject: 'x',
    before: null,
    after: { ids: [1, 2], name: '京通管' },
  };

  it('valueConversion: values it prepares store what TypeORM stores, and read back as TypeORM reads them', async () => {
    const conversion = valueConversion(ctx.dataSource);
    const columns = ctx.dataSource.getMetadata(AuditEvent).columns.filter((column) => !column.isPrimary);
    const names = columns.map((column) => column.databaseName).join(', ');
    const values = columns.map((column) => event[column.propertyName as keyof typeof event]);
    await ctx.dataSource.query(
      `INSERT INTO audit_events (${names}) VALUES (${columns.map(() => '?').join(', ')})`,
      columns.map((column, c) => conversion.preparePersistentValue(values[c], column)),
    );
    const stored = await ctx.dataSource.getRepository(AuditEvent).findOneByOrFail({ action: 'adapter.test' });
    expect({ ...stored, id: undefined }).to.deep.equal({ ...event, id: undefined });
    const [raw] = await ctx.dataSource.query(`SELECT ${names} FROM audit_events`);
    const hydrated = columns.map((column) => conversion.prepareHydratedValue(raw[column.databaseName], column));
    expect(hydrated).to.deep.equal(values);
  });

  it("mysqlConnectionOf: on MySQL the query runner's own session; refused on SQLite", async () => {
    const runner = ctx.dataSource.createQueryRunner();
    try {
      if (!mysql()) {
        await mysqlConnectionOf(runner).then(
          () => expect.fail('SQLite has no MySQL connection'),
          (error: Error) => {
            expect(error.message).to.equal('no MySQL connection on a better-sqlite3 store');
          },
        );
        return;
      }
      const connection = await mysqlConnectionOf(runner);
      const [own] = await callbackQuery<Array<{ id: number }>>(connection, 'SELECT CONNECTION_ID() AS id');
      const [runners] = await runner.query('SELECT CONNECTION_ID() AS id');
      expect(Number(own.id)).to.equal(Number(runners.id));
      expect(await mysqlConnectionOf(runner), 'asked again: the same connection').to.equal(connection);
    } finally {
      await runner.release();
    }
  });

  it("discardConnection: ends a MySQL runner's session rather than pooling it; leaves SQLite's open", async () => {
    const unused = ctx.dataSource.createQueryRunner();
    discardConnection(unused);
    await unused.release();
    const runner = ctx.dataSource.createQueryRunner();
    const [{ id }] = await runner.query(mysql() ? 'SELECT CONNECTION_ID() AS id' : 'SELECT 1 AS id');
    discardConnection(runner);
    if (mysql()) {
      const answered = await runner.query('SELECT 1').then(
        () => 'answered',
        (error: Error) => error.message,
      );
      expect(answered, 'the discarded connection').to.match(/closed state/);
    }
    await runner.release();
    if (mysql()) {
      // The server sees the session end a moment later.
      let open = 1;
      for (let tries = 0; open > 0 && tries < 50; tries++) {
        if (tries > 0) await new Promise((resolve) => setTimeout(resolve, 100));
        [{ open }] = await ctx.dataSource.query(PROCESS_COUNT, [id]);
      }
      expect(Number(open), `session ${id}`).to.equal(0);
    }
    const [{ answer }] = await ctx.dataSource.query('SELECT 2 AS answer');
    expect(Number(answer)).to.equal(2);
  });
});

describe("the TypeORM adapter's SQLite connections (prepareSqliteConnection)", () => {
  it('turns on foreign keys and WAL, and every transaction TypeORM begins takes the write lock at once', async () => {
    const file = path.join(await mkdtemp(path.join(os.tmpdir(), 'sms106-adapter-')), 'store.sqlite');
    const dataSource = await openDatabase(`sqlite:${file}`);
    const other = new Database(file, { timeout: 0 });
    try {
      const [{ foreign_keys: foreignKeys }] = await dataSource.query('PRAGMA foreign_keys');
      const [{ journal_mode: journalMode }] = await dataSource.query('PRAGMA journal_mode');
      expect([foreignKeys, journalMode]).to.deep.equal([1, 'wal']);
      const runner = dataSource.createQueryRunner();
      // Nothing read or written yet: a DEFERRED transaction would hold no lock (TYPEORM_SQLITE_BEGIN rewritten).
      await runner.startTransaction();
      try {
        const begin = () => other.exec('BEGIN IMMEDIATE');
        expect(begin, `TypeORM still begins with ${TYPEORM_SQLITE_BEGIN}`).to.throw(/database is locked/);
      } finally {
        await runner.rollbackTransaction();
        await runner.release();
      }
      other.exec('BEGIN IMMEDIATE');
      other.exec('ROLLBACK');
    } finally {
      other.close();
      await dataSource.destroy();
    }
  });
});

describe("TypeORM's internals", () => {
  it('are reached only through server/db/typeormAdapter.ts', () => {
    const internals = [
      /from ['"]typeorm\/[^'"]/,
      /\bdatabaseConnection\b/,
      /\.driver\.\w/,
      /\.connect\(\)\s*\)?\s*as\b/,
      /\bQueryRunner\)?\s*as\s*(any|unknown)\b/,
    ];
    const inFolder = (folder: string) =>
      readdirSync(path.join(projectRoot, folder), { recursive: true })
        .map(String)
        .filter((file) => /\.(ts|js)$/.test(file))
        .map((file) => path.join(folder, file));
    const files = [...['server', 'bench', 'scripts', 'seeds'].flatMap(inFolder), 'ormconfig.ts'];
    const reaching = files.filter((file) => {
      const source = readFileSync(path.join(projectRoot, file), 'utf8');
      return internals.some((pattern) => pattern.test(source));
    });
    expect(files).to.include(path.join('server', 'services', 'import', 'loadData.ts'));
    expect(reaching).to.deep.equal([path.join('server', 'db', 'typeormAdapter.ts')]);
  });
});
