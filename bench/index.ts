/**
 * `npm run bench`: the measurements behind docs/performance.md, on data generated
 * deterministically (bench/largeDataset.ts) and put through the product's own code:
 *
 *   import   importDataset of an N-allocation CSV dataset into MariaDB (three times into emptied
 *            tables, the median counted), then the same rows as bare multi-row INSERTs into the
 *            same (emptied) table, with foreign-key checks and without (as the importer's bulk
 *            pass writes), and as bare LOAD DATA LOCAL statements (the importer's own way of
 *            writing on MySQL): rows/s of each and their ratios; the import into SQLite too.
 *   lookup   chainAt over the index loaded from MariaDB (five trials of L lookups, the median),
 *            against the hand-written SQL a lookup would otherwise be (a LIKE scan, and
 *            index-aware `prefix IN (…)`), same data, same run.
 *   cli      whole processes (bench/cli.ts): `node -e 0`, `sms106 --help`, and `sms106 lookup` on
 *            that store, from the compiled build, 15 interleaved runs (5 with --quick), the median.
 *   audit    AuditPass.message over M generated messages against that snapshot (the rules, pure),
 *            in one thread and split across one thread per core (three passes, the median),
 *            then the same messages stored in MariaDB: a bare SELECT of the pages runAudit reads,
 *            and runAudit itself (paging, rules, findings written; three runs, each into an
 *            emptied findings table, the median).
 *   http     the server (`sms106 serve`) in a child process: its resident memory once the index
 *            is loaded, and GET /api/lookup under autocannon at C connections on loopback, with
 *            the request log on (the default) and off (bench/http.ts).
 *   notice   `sms106 serve --demo-if-empty` on an empty SQLite store until the sign-in page
 *            answers, then the PDF of the demo's largest notice beside its print page's HTML
 *            (bench/notice.ts).
 *   tree     the hierarchy page over 10,000 allocations (bench/tree.ts).
 *
 * Each median comes with the slowest and the fastest trial (`…_slowest`, `…_fastest`).
 * Prints a table and writes bench/results.json. Flags (defaults for the full run):
 *   --allocations 1000000 --messages 1000000 --lookups 1000000 --connections 100 --http-seconds 15
 *   --db mysql://… (default TEST_DATABASE_URL, else mysql://root@127.0.0.1:3306/bench; its data
 *   is replaced)  --quick (100,000 allocations and messages, shorter runs and fewer of them, the
 *   hierarchy page over 5,000 messages instead of 20,000: about 50 s on a slow machine of this kind)
 *   --sections import,lookup,audit,http,notice,tree (all by default; the dataset is imported once
 *   whenever a section needs it, three times only for `import`).
 */
import { execFileSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import type { DataSource, QueryRunner } from 'typeorm';
import { Readable } from 'node:stream';
import { createConnection } from 'mysql2/promise';
import { dataSourceOptions, openDatabase } from '../ormconfig.ts';
import { mysqlConnectionOf } from '../server/db/typeormAdapter.ts';
import { chainAt, type AllocationIndex } from '../server/chain/allocationIndex.ts';
import { openDataset } from '../server/dataset/readers.ts';
import { SEEDED_LEGAL_INSTRUMENTS } from '../server/migrations/1764090000000-ReferenceDataAndScope.ts';
import { loadSnapshot, runAudit } from '../server/services/audit/auditRuns.ts';
import { importDataset } from '../server/services/import/importer.ts';
import { LOAD_ROWS, loadDataText } from '../server/services/import/loadData.ts';
import { invalidateAllocationIndex, loadAllocationIndex } from '../server/services/lookup/lookup.ts';
import { leafGrant, writeLargeDataset } from './largeDataset.ts';
import { measureAudit, measureSelect } from './audit.ts';
import { measureCli } from './cli.ts';
import { measureHttp } from './http.ts';
import { measureNotice } from './notice.ts';
import { median, trialRates } from './stats.ts';
import { generatedMessages, prng } from './traffic.ts';

const { values } = parseArgs({
  options: {
    allocations: { type: 'string' },
    messages: { type: 'string' },
    lookups: { type: 'string' },
    connections: { type: 'string' },
    'http-seconds': { type: 'string' },
    db: { type: 'string' },
    quick: { type: 'boolean', default: false },
    sections: { type: 'string' },
  },
});
const SECTIONS = ['import', 'lookup', 'cli', 'audit', 'http', 'notice', 'tree'] as const;
type Section = (typeof SECTIONS)[number];
const sections = new Set<Section>(
  (values.sections?.split(',') ?? SECTIONS).map((name) => {
    if (!(SECTIONS as readonly string[]).includes(name))
      throw new Error(`--sections takes some of ${SECTIONS.join(',')}, not "${name}"`);
    return name as Section;
  }),
);
const quick = values.quick;
const allocationCount = Number(values.allocations ?? (quick ? 100_000 : 1_000_000));
const messageCount = Number(values.messages ?? (quick ? 100_000 : 1_000_000));
const lookupCount = Number(values.lookups ?? (quick ? 300_000 : 1_000_000));
const connections = Number(values.connections ?? 100);
const httpSeconds = Number(values['http-seconds'] ?? (quick ? 3 : 15));
/** Load before each HTTP measurement, not counted (bench/http.ts). */
const HTTP_WARM_SECONDS = quick ? 1 : 3;
const sqlSeconds = quick ? 1 : 5;
/**
 * The product's own timings are taken several times in the run and the median reported, with
 * the slowest and the fastest: this machine's speed moves from one minute to the next
 * (docs/performance.md), and one trial alone measures the minute as much as the code.
 */
const LOOKUP_TRIALS = 5;
const IMPORT_TRIALS = 3;
/** runAudit over the stored messages, each run into an emptied findings table (a first audit). */
const AUDIT_RUN_TRIALS = 3;
/** PDFs of the notice after the first. */
const NOTICE_TRIALS = quick ? 3 : 7;
/** One split pass in a quick run: each starts threads of its own (a second and a half). */
const AUDIT_SPLIT_PASSES = quick ? 1 : 3;
const databaseUrl = values.db ?? process.env.TEST_DATABASE_URL ?? 'mysql://root@127.0.0.1:3306/bench';

const log = (text: string) => process.stderr.write(`[bench] ${text}\n`);
const seconds = (since: number) => (performance.now() - since) / 1000;
const round = (n: number, digits = 0) => Number(n.toFixed(digits));

/** The bench's MySQL database, made if the server does not have it yet (a fresh machine has only `test`). */
async function ensureDatabase(url: string): Promise<void> {
  const options = dataSourceOptions(url);
  if (options.type !== 'mysql') return;
  const connection = await createConnection({
    host: options.host,
    port: options.port,
    user: options.username,
    password: options.password,
  });
  try {
    await connection.query(`CREATE DATABASE IF NOT EXISTS \`${String(options.database).replaceAll('`', '``')}\``);
  } finally {
    await connection.end();
  }
}

/** Children first; the bench database is the bench's own. */
const TABLES = [
  'findings',
  'audit_runs',
  'audit_events',
  'user_sessions',
  'users',
  'import_run_errors',
  'import_runs',
  'url_list_entries',
  'protected_senders',
  'legal_instruments',
  'complaints',
  'messages',
  'allocations',
  'signatures',
  'entities',
  'agents',
  'carriers',
];

/** TRUNCATE rather than DELETE: a million deleted rows would keep InnoDB's purge busy through the measurements. */
async function emptyDatabase(dataSource: DataSource): Promise<void> {
  const runner = dataSource.createQueryRunner();
  try {
    await runner.query('SET FOREIGN_KEY_CHECKS = 0');
    for (const table of TABLES) await runner.query(`TRUNCATE TABLE ${table}`);
    await runner.query('SET FOREIGN_KEY_CHECKS = 1');
  } finally {
    await runner.release();
  }
  for (const [position, title] of SEEDED_LEGAL_INSTRUMENTS.entries()) {
    await dataSource.query(
      'INSERT INTO legal_instruments (title, articles, position, version) VALUES (?, NULL, ?, 1)',
      [title, position + 1],
    );
  }
  invalidateAllocationIndex(dataSource);
}

const ALLOCATION_COLUMNS = [
  'id',
  'prefix',
  'holder_carrier_id',
  'holder_agent_id',
  'lessee_kind',
  'lessee_uscc',
  'lessee_agent_id',
  'lessee_entity_id',
  'valid_from',
  'valid_to',
  'miit_filing_no',
  'declared',
  'parent_id',
  'level',
  'root_carrier_id',
];

/**
 * Times `write` storing again the rows the import stored, read back, into the emptied table (one
 * transaction, no parsing and no validation), with MySQL's foreign-key checks on or off for the
 * session. Leaves the table as the import left it (same ids).
 */
async function timedRewrite(
  dataSource: DataSource,
  foreignKeyChecks: boolean,
  write: (runner: QueryRunner, rows: unknown[][]) => Promise<void>,
): Promise<number> {
  const rows: unknown[][] = (
    await dataSource.query(`SELECT ${ALLOCATION_COLUMNS.join(',')} FROM allocations ORDER BY id`)
  ).map((row: Record<string, unknown>) => ALLOCATION_COLUMNS.map((c) => row[c]));
  const runner = dataSource.createQueryRunner();
  try {
    await runner.query('SET FOREIGN_KEY_CHECKS = 0');
    await runner.query('TRUNCATE TABLE allocations');
    if (foreignKeyChecks) await runner.query('SET FOREIGN_KEY_CHECKS = 1');
    const started = performance.now();
    await runner.startTransaction();
    await write(runner, rows);
    await runner.commitTransaction();
    return rows.length / seconds(started);
  } finally {
    await runner.query('SET FOREIGN_KEY_CHECKS = 1');
    await runner.release();
  }
}

/**
 * The floor the importer is compared with: the same rows as bare multi-row INSERTs (1,000 a
 * statement). With `foreignKeyChecks` false the session skips MySQL's foreign-key checks, as the
 * importer does for its bulk pass: the floor for that way of writing.
 */
function rawInsert(dataSource: DataSource, foreignKeyChecks: boolean): Promise<number> {
  const tuple = `(${ALLOCATION_COLUMNS.map(() => '?').join(',')})`;
  return timedRewrite(dataSource, foreignKeyChecks, async (runner, rows) => {
    for (let i = 0; i < rows.length; i += 1000) {
      const chunk = rows.slice(i, i + 1000);
      await runner.query(
        `INSERT INTO allocations (${ALLOCATION_COLUMNS.join(',')}) VALUES ${chunk.map(() => tuple).join(',')}`,
        chunk.flat(),
      );
    }
  });
}

/**
 * The floor of the importer's own way of writing on MySQL: the same rows as bare LOAD DATA LOCAL
 * statements of LOAD_ROWS tab-separated lines (foreign-key checks off, one statement at a time),
 * the text made in the timed loop as the INSERTs' statements are.
 */
function rawLoadData(dataSource: DataSource): Promise<number> {
  const field = (value: unknown) => {
    const text = loadDataText(value);
    if (text === null) throw new Error(`bench: no LOAD DATA text for ${String(value)}`);
    return text;
  };
  const sql = `LOAD DATA LOCAL INFILE 'rows' INTO TABLE allocations CHARACTER SET utf8mb4 (${ALLOCATION_COLUMNS.join(',')})`;
  return timedRewrite(dataSource, false, async (runner, rows) => {
    const connection = await mysqlConnectionOf(runner);
    for (let i = 0; i < rows.length; i += LOAD_ROWS) {
      const data = Buffer.from(
        `${rows
          .slice(i, i + LOAD_ROWS)
          .map((row) => row.map(field).join('\t'))
          .join('\n')}\n`,
      );
      await new Promise<void>((resolve, reject) =>
        connection.query({ sql, infileStreamFactory: () => Readable.from([data]) }, (error) =>
          error ? reject(error) : resolve(),
        ),
      );
    }
  });
}

/** Numbers under random entity grants (and a few under nothing), with moments before and after 2023. */
function lookupSample(count: number): Array<{ number: string; at: Date }> {
  const random = prng(42);
  const leaves = allocationCount - 1100;
  const moments = [
    new Date('2022-03-14T09:30:00+08:00'),
    new Date('2024-05-01T12:00:00+08:00'),
    new Date('2020-03-01T12:00:00+08:00'),
  ];
  return Array.from({ length: count }, (_, i) => ({
    number:
      i % 50 === 49
        ? `10695${String(Math.floor(random() * 1e9)).padStart(9, '0')}`
        : `${leafGrant(allocationCount, Math.floor(random() * leaves)).prefix}${String(Math.floor(random() * 100)).padStart(2, '0')}`,
    at: moments[i % moments.length],
  }));
}

function measureChainAt(
  index: AllocationIndex,
  sample: Array<{ number: string; at: Date }>,
): { perSecond: number; slowest: number; fastest: number; answered: number } {
  let answered = 0;
  for (let i = 0; i < 50_000; i++) chainAt(index, sample[i % sample.length].number, sample[i % sample.length].at);
  const rates: number[] = [];
  for (let trial = 0; trial < LOOKUP_TRIALS; trial++) {
    answered = 0;
    const started = performance.now();
    for (let i = 0; i < lookupCount; i++) {
      const { number, at } = sample[i % sample.length];
      if (chainAt(index, number, at)) answered++;
    }
    rates.push(lookupCount / seconds(started));
  }
  return { ...trialRates(rates), answered };
}

const validAt = 'valid_from <= ? AND (valid_to IS NULL OR valid_to >= ?)';

/** One lookup as SQL, asked `budget` seconds long (at least `minimum` times), one at a time on one connection. */
async function measureSql(
  dataSource: DataSource,
  sample: Array<{ number: string; at: Date }>,
  kind: 'scan' | 'indexed',
  minimum: number,
): Promise<{ perSecond: number; queries: number }> {
  const day = (at: Date) => new Date(at.getTime() + 8 * 3_600_000).toISOString().slice(0, 10);
  const ask = (i: number) => {
    const { number, at } = sample[(i * 7919) % sample.length];
    if (kind === 'scan') {
      return dataSource.query(
        `SELECT id, prefix FROM allocations WHERE ? LIKE CONCAT(prefix, '%') AND ${validAt} ORDER BY LENGTH(prefix) DESC LIMIT 1`,
        [number, day(at), day(at)],
      );
    }
    const prefixes = Array.from({ length: number.length - 4 }, (_, k) => number.slice(0, k + 5));
    return dataSource.query(
      `SELECT id, prefix FROM allocations WHERE prefix IN (${prefixes.map(() => '?').join(',')}) AND ${validAt} ORDER BY LENGTH(prefix) DESC LIMIT 1`,
      [...prefixes, day(at), day(at)],
    );
  };
  await ask(0);
  const started = performance.now();
  let queries = 0;
  while (queries < minimum || seconds(started) < sqlSeconds) await ask(++queries);
  return { perSecond: queries / seconds(started), queries };
}

async function storeMessages(dataSource: DataSource): Promise<void> {
  const columns = ['external_id', 'natural_key', 'sender', 'sent_at', 'content', 'recipient'];
  const tuple = `(${columns.map(() => '?').join(',')})`;
  let batch: unknown[][] = [];
  const flush = async () => {
    if (batch.length)
      await dataSource.query(
        `INSERT INTO messages (${columns.join(',')}) VALUES ${batch.map(() => tuple).join(',')}`,
        batch.flat(),
      );
    batch = [];
  };
  for (const m of generatedMessages(allocationCount, messageCount)) {
    batch.push([m.ref, `id:${m.ref}`, m.sender, m.sentAt, m.content, m.recipient]);
    if (batch.length === 2000) await flush();
  }
  await flush();
}

/** Runs bench/tree.ts (10,000 allocations) and takes its medians. */
function measureTree(): { tree_10k_render_ms: number; tree_10k_all_open_ms: number; tree_10k_search_ms: number } {
  const output = execFileSync(
    process.execPath,
    [
      '--import',
      'tsx',
      new URL('./tree.ts', import.meta.url).pathname,
      '--runs',
      quick ? '3' : '10',
      ...(quick ? ['--messages', '5000'] : []),
    ],
    {
      encoding: 'utf8',
      env: { ...process.env, BENCH_JSON: '1' },
      maxBuffer: 64 * 1024 * 1024,
    },
  );
  const line = output.split('\n').find((l) => l.startsWith('BENCH_JSON '));
  if (!line) throw new Error('bench/tree.ts printed no results');
  const tree = JSON.parse(line.slice('BENCH_JSON '.length)) as Record<string, number>;
  return {
    tree_10k_render_ms: tree['tree depth 2 median ms'],
    tree_10k_all_open_ms: tree['tree all open median ms'],
    tree_10k_search_ms: tree['tree search median ms'],
  };
}

/** Empties the findings (and the runs that wrote them) for a run that finds everything anew. */
async function emptyFindings(dataSource: DataSource): Promise<void> {
  const runner = dataSource.createQueryRunner();
  try {
    await runner.query('SET FOREIGN_KEY_CHECKS = 0');
    for (const table of ['findings', 'audit_runs']) await runner.query(`TRUNCATE TABLE ${table}`);
  } finally {
    await runner.query('SET FOREIGN_KEY_CHECKS = 1');
    await runner.release();
  }
}

async function main(): Promise<void> {
  const directory = await mkdtemp(path.join(os.tmpdir(), 'sms106-bench-'));
  const results: Record<string, number> = {
    cpus: os.cpus().length,
    allocations: allocationCount,
    messages: messageCount,
    lookups: lookupCount,
    connections,
  };
  try {
    let started = performance.now();
    const needsData = ['import', 'lookup', 'cli', 'audit', 'http'].some((name) => sections.has(name as Section));
    if (needsData) await ensureDatabase(databaseUrl);
    const mariadb = needsData ? await openDatabase(databaseUrl) : null;
    if (mariadb) {
      await writeLargeDataset(directory, allocationCount);
      log(`dataset of ${allocationCount} allocations written in ${seconds(started).toFixed(1)} s`);
      // Import into MariaDB (the data every later section reads), then the floors on the same rows and table.
      const importRuns: number[] = [];
      for (let trial = 0; trial < (sections.has('import') ? IMPORT_TRIALS : 1); trial++) {
        await emptyDatabase(mariadb);
        started = performance.now();
        await importDataset(mariadb, await openDataset(directory));
        importRuns.push(seconds(started));
      }
      log(`MariaDB import: ${importRuns.map((s) => s.toFixed(1)).join(', ')} s`);
      if (sections.has('import')) {
        const importSeconds = median(importRuns);
        const imports = trialRates(importRuns.map((s) => allocationCount / s));
        const rawPerSecond = await rawInsert(mariadb, true);
        const rawPerSecondUnchecked = await rawInsert(mariadb, false);
        log(
          `bare INSERTs: ${Math.round(rawPerSecond)} rows/s, ${Math.round(rawPerSecondUnchecked)} without foreign-key checks`,
        );
        const rawLoadPerSecond = await rawLoadData(mariadb);
        log(`bare LOAD DATA: ${Math.round(rawLoadPerSecond)} rows/s`);
        Object.assign(results, {
          import_rows_per_s: Math.round(allocationCount / importSeconds),
          import_s: round(importSeconds, 1),
          import_trials: IMPORT_TRIALS,
          import_rows_per_s_slowest: Math.round(imports.slowest),
          import_rows_per_s_fastest: Math.round(imports.fastest),
          raw_insert_rows_per_s: Math.round(rawPerSecond),
          import_vs_raw_insert: round(allocationCount / importSeconds / rawPerSecond, 2),
          raw_insert_rows_per_s_no_fk_checks: Math.round(rawPerSecondUnchecked),
          import_vs_raw_insert_no_fk_checks: round(allocationCount / importSeconds / rawPerSecondUnchecked, 2),
          raw_load_data_rows_per_s: Math.round(rawLoadPerSecond),
          import_vs_raw_load_data: round(allocationCount / importSeconds / rawLoadPerSecond, 2),
        });
      }
    }
    const sample = lookupSample(100_000);

    if (mariadb && sections.has('lookup')) {
      // Lookups: the index from MariaDB against SQL on the same table.
      started = performance.now();
      const index = await loadAllocationIndex(mariadb);
      const loadSeconds = seconds(started);
      const lookups = measureChainAt(index, sample);
      log(
        `chainAt: ${Math.round(lookups.perSecond)}/s (median of ${LOOKUP_TRIALS}; ${Math.round(lookups.slowest)}–${Math.round(lookups.fastest)})`,
      );
      const scan = await measureSql(mariadb, sample, 'scan', 3);
      const indexed = await measureSql(mariadb, sample, 'indexed', 100);
      log(`SQL: scan ${scan.perSecond.toFixed(2)}/s, indexed ${Math.round(indexed.perSecond)}/s`);
      Object.assign(results, {
        lookup_per_s: Math.round(lookups.perSecond),
        lookup_trials: LOOKUP_TRIALS,
        lookup_per_s_slowest: Math.round(lookups.slowest),
        lookup_per_s_fastest: Math.round(lookups.fastest),
        lookup_vs_sql: round(lookups.perSecond / scan.perSecond),
        lookup_vs_indexed_sql: round(lookups.perSecond / indexed.perSecond),
        sql_scan_lookup_per_s: round(scan.perSecond, 2),
        sql_indexed_lookup_per_s: Math.round(indexed.perSecond),
        lookups_answered: lookups.answered,
        index_load_s: round(loadSeconds, 2),
      });
    }

    if (mariadb && sections.has('cli')) {
      // The command line's start-up, a lookup on this store included (bench/cli.ts).
      const cli = measureCli({
        databaseUrl,
        number: sample[0].number,
        at: sample[0].at.toISOString(),
        runs: quick ? 5 : 15,
        log,
      });
      Object.assign(results, cli);
    }

    if (mariadb && sections.has('audit')) {
      // The audit: the rules alone over generated traffic, in this thread and then split across
      // one thread per core; then the whole run on stored traffic, beside a bare read of it.
      const snapshot = await loadSnapshot(mariadb);
      const messages = [...generatedMessages(allocationCount, messageCount)];
      const audit = await measureAudit(snapshot, messages, os.availableParallelism(), AUDIT_SPLIT_PASSES);
      messages.length = 0;
      log(
        `audit: ${Math.round(audit.oneThread.perSecond)}/s in one thread, ${Math.round(audit.split.perSecond)}/s in ${audit.split.threads} (median of ${audit.split.passes}; ${Math.round(audit.split.slowest)}–${Math.round(audit.split.fastest)}; started in ${audit.split.startSeconds.toFixed(2)} s)`,
      );
      await storeMessages(mariadb);
      const select = await measureSelect(mariadb);
      log(`bare SELECT of the audit's pages: ${Math.round(select.perSecond)} messages/s`);
      const runSeconds: number[] = [];
      let findings = 0;
      for (let trial = 0; trial < AUDIT_RUN_TRIALS; trial++) {
        await emptyFindings(mariadb);
        started = performance.now();
        const outcome = await runAudit(mariadb, { actor: 'bench' });
        runSeconds.push(seconds(started));
        findings = outcome.findings.length;
      }
      const runs = trialRates(runSeconds.map((s) => messageCount / s));
      log(`runAudit: ${runSeconds.map((s) => s.toFixed(1)).join(', ')} s, ${findings} findings`);
      Object.assign(results, {
        audit_msgs_per_s: Math.round(audit.split.perSecond),
        audit_split_passes: audit.split.passes,
        audit_msgs_per_s_slowest: Math.round(audit.split.slowest),
        audit_msgs_per_s_fastest: Math.round(audit.split.fastest),
        audit_threads: audit.split.threads,
        audit_threads_start_s: round(audit.split.startSeconds, 2),
        audit_msgs_per_s_with_start: Math.round(messageCount / (audit.split.seconds + audit.split.startSeconds)),
        audit_msgs_per_s_one_thread: Math.round(audit.oneThread.perSecond),
        audit_findings_drafted: audit.oneThread.drafts,
        audit_run_msgs_per_s: Math.round(runs.perSecond),
        audit_run_trials: AUDIT_RUN_TRIALS,
        audit_run_msgs_per_s_slowest: Math.round(runs.slowest),
        audit_run_msgs_per_s_fastest: Math.round(runs.fastest),
        audit_run_s: round(median(runSeconds), 1),
        audit_run_findings: findings,
        audit_select_msgs_per_s: Math.round(select.perSecond),
        audit_run_vs_select: round(runs.perSecond / select.perSecond, 2),
      });
    }

    if (mariadb && sections.has('http')) {
      const http = await measureHttp(mariadb, databaseUrl, sample, connections, httpSeconds, HTTP_WARM_SECONDS);
      log(
        `HTTP: ${http.http_rps} req/s, p99 ${http.http_lookup_p99_ms} ms; ` +
          `without the request log ${http.http_rps_no_logging} req/s, p99 ${http.http_lookup_p99_ms_no_logging} ms`,
      );
      Object.assign(results, http);
    }
    await mariadb?.destroy();

    if (sections.has('import')) {
      // SQLite: the same import into a file database.
      const sqlite = await openDatabase(`sqlite:${path.join(directory, 'bench.sqlite')}`);
      started = performance.now();
      await importDataset(sqlite, await openDataset(directory));
      const sqliteImportSeconds = seconds(started);
      started = performance.now();
      await loadAllocationIndex(sqlite);
      const sqliteLoadSeconds = seconds(started);
      await sqlite.destroy();
      Object.assign(results, {
        import_rows_per_s_sqlite: Math.round(allocationCount / sqliteImportSeconds),
        index_load_s_sqlite: round(sqliteLoadSeconds, 2),
      });
    }

    if (sections.has('notice')) {
      const notice = await measureNotice(NOTICE_TRIALS);
      log(
        `first start ${notice.first_start_s} s; notice PDF ${notice.notice_pdf_s} s ` +
          `(first ${notice.notice_pdf_first_s} s), its HTML ${notice.notice_print_html_s} s`,
      );
      Object.assign(results, notice);
    }

    if (sections.has('tree')) {
      // The hierarchy page over a 10,000-allocation tree (issue 6), in its own process.
      const tree = measureTree();
      log(`tree: ${tree.tree_10k_render_ms} ms at the default depth, ${tree.tree_10k_all_open_ms} ms fully opened`);
      Object.assign(results, tree);
    }

    console.table(results);
    writeFileSync(new URL('./results.json', import.meta.url), `${JSON.stringify(results, null, 2)}\n`);
  } finally {
    await rm(directory, { recursive: true, force: true });
  }
}

await main();
