import path from 'node:path';
import { inspect, parseArgs } from 'node:util';
import type { DataSource } from 'typeorm';
import {
  DatabaseOpenError,
  DatabaseUrlError,
  defaultDatabaseUrl,
  openDatabase,
  redactDatabaseUrl,
  SQLITE_BUSY_TIMEOUT_MS,
} from '../ormconfig.ts';
import { config, ConfigError, type Config } from './config.ts';
import { demoDatasetDir } from './demo.ts';
import { DatasetOpenError, openDataset } from './dataset/readers.ts';
import { isLocale, t, type Locale } from './i18n/index.ts';
import { render } from './i18n/phrase.ts';
import { formatShanghai } from './numbering/time.ts';
import { exportDataset, ExportError } from './services/import/exporter.ts';
import { issueMessage, type ImportIssue, type ImportSummary } from './services/import/importer.ts';
import { AccountError, createUser, setPassword } from './services/accounts/accounts.ts';
import { cliActor } from './services/accounts/audit.ts';
import { createDemoIssuers, createDemoUsers, demoUsersText } from './services/accounts/demoUsers.ts';
import { runAudit } from './services/audit/auditRuns.ts';
import { issueNotice, issuersFor, NoticeError } from './services/notices/notices.ts';
import { EVERYTHING } from './services/accounts/scope.ts';
import { normaliseUscc } from './numbering/uscc.ts';
import { runImport } from './services/import/importRuns.ts';
import { LookupInputError, lookupJson, lookupNumber } from './services/lookup/lookup.ts';

/** docs/cli.md#exit-codes: 0 on success, 1 when the input was refused, 2 when the command was used wrongly. */
export const EXIT_OK = 0;
export const EXIT_REFUSED = 1;
export const EXIT_USAGE = 2;

const USAGE = `usage: sms106 <command> [arguments] [--db URL] [--json] [--lang zh-CN|en]

commands:
  help [COMMAND]               this text (as is --help after any command); needs no database
  import PATH                  import a dataset (a directory of CSV files or an .xlsx workbook)
  audit                        run every rule over the stored data, store the findings, print a
                               summary (--json: one finding per line)
  lookup NUMBER [--at TIME]    the chain that held NUMBER at TIME (default now) and its using entity
  export DIR [--force] [--safe-for-excel]
                               write the stored data as a dataset into DIR (refused if DIR holds
                               anything, unless --force); --safe-for-excel prefixes cells that a
                               spreadsheet would run as formulas (= + - @ tab CR, signed numbers
                               excepted) with ' (such files no longer import back unchanged)
  seed                         load the demo dataset (seeds/demo)
  serve [--port N]             start the web server (default port: PORT or 3000; on this
                               machine only unless HOST says otherwise, e.g. HOST=0.0.0.0)
  notice AGENT_USCC [--issuer CODE] [--deadline YYYY-MM-DD]
                               issue a rectification notice to the agent for all its open findings;
                               prints its number, verification code and printable page
  user add NAME --role ROLE [--carrier CODE]
                               create a user (roles: admin, carrier, regulator); the password is
                               asked for, or read from standard input
  user passwd NAME             set a user's password (asked for, or read from standard input)

--db URL   mysql://user:pass@host:3306/name, sqlite:PATH or sqlite::memory:
           (default: DATABASE_URL, else the embedded SQLite file under data/)
`;

export interface CliIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  /** A password, read from a hidden prompt on a terminal or from standard input. */
  readPassword?: (prompt: string) => Promise<string>;
}

class UsageError extends Error {}

/** Opens the command's database once, bringing its schema up to date; `progress` hears how (ormconfig.ts). */
type OpenStore = (progress?: { migrated?: (count: number) => void }) => Promise<DataSource>;

const processIo: CliIo = {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  readPassword: readPasswordFromProcess,
};

/** On a terminal: a prompt that does not echo. Otherwise the first line of standard input. */
async function readPasswordFromProcess(prompt: string): Promise<string> {
  if (!process.stdin.isTTY) {
    let input = '';
    for await (const chunk of process.stdin) input += chunk;
    return input.split(/\r?\n/)[0] ?? '';
  }
  process.stderr.write(prompt);
  process.stdin.setRawMode(true);
  process.stdin.resume();
  process.stdin.setEncoding('utf8');
  return new Promise((resolve) => {
    let password = '';
    const onData = (key: string) => {
      for (const char of key) {
        if (char === '\r' || char === '\n' || char === '\u0004') {
          process.stdin.setRawMode(false);
          process.stdin.pause();
          process.stdin.off('data', onData);
          process.stderr.write('\n');
          resolve(password);
          return;
        }
        if (char === '\u0003') process.exit(130);
        password = char === '\u007f' ? password.slice(0, -1) : password + char;
      }
    };
    process.stdin.on('data', onData);
  });
}

/** Runs one command; returns the exit code. `serve` resolves only when the server stops. */
export async function main(argv: string[], io: CliIo = processIo): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        db: { type: 'string' },
        json: { type: 'boolean', default: false },
        lang: { type: 'string' },
        at: { type: 'string' },
        port: { type: 'string' },
        'demo-if-empty': { type: 'boolean', default: false },
        role: { type: 'string' },
        carrier: { type: 'string' },
        issuer: { type: 'string' },
        deadline: { type: 'string' },
        help: { type: 'boolean', short: 'h', default: false },
        force: { type: 'boolean', default: false },
        'safe-for-excel': { type: 'boolean', default: false },
      },
    });
  } catch (error) {
    io.stderr(`sms106: ${(error as Error).message}\n${USAGE}`);
    return EXIT_USAGE;
  }
  const { values, positionals } = parsed;
  const [command, ...args] = positionals;
  if (command === 'help') {
    io.stdout(USAGE);
    return EXIT_OK;
  }
  if (values.help || !command) {
    (values.help ? io.stdout : io.stderr)(USAGE);
    return values.help ? EXIT_OK : EXIT_USAGE;
  }
  // Read once, before any command runs: a bad setting is wrong usage, like a bad flag.
  let settings: Config;
  try {
    settings = config();
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    io.stderr(`sms106: ${error.message}\n`);
    return EXIT_USAGE;
  }
  const locale = values.lang === undefined ? settings.locale : isLocale(values.lang) ? values.lang : null;
  if (!locale) {
    io.stderr(`sms106: --lang must be zh-CN or en\n`);
    return EXIT_USAGE;
  }
  const commands: Record<string, (db: OpenStore) => Promise<number>> = {
    import: (db) => importCommand(db, expectArgs(args, 1, 'import PATH')[0], values.json, locale, io),
    audit: (db) => {
      expectArgs(args, 0, 'audit');
      return auditCommand(db, values.json, locale, io);
    },
    notice: (db) =>
      noticeCommand(
        db,
        expectArgs(args, 1, 'notice AGENT_USCC [--issuer CODE] [--deadline YYYY-MM-DD]')[0],
        values.issuer,
        values.deadline,
        values.json,
        locale,
        io,
      ),
    lookup: (db) =>
      lookupCommand(db, expectArgs(args, 1, 'lookup NUMBER [--at TIME]')[0], values.at, values.json, locale, io),
    export: (db) =>
      exportCommand(
        db,
        expectArgs(args, 1, 'export DIR [--force] [--safe-for-excel]')[0],
        { force: values.force, safeForExcel: values['safe-for-excel'] },
        values.json,
        locale,
        io,
      ),
    seed: (db) => {
      expectArgs(args, 0, 'seed');
      return seedCommand(db, values.json, locale, io);
    },
    user: (db) => userCommand(db, args, values.role, values.carrier, locale, io),
    serve: (db) => {
      expectArgs(args, 0, 'serve [--port N]');
      return serveCommand(db, databaseUrl, values.port, values['demo-if-empty'], settings, locale, io);
    },
  };
  const run = commands[command];
  if (!run) {
    io.stderr(`sms106: unknown command "${command}"\n${USAGE}`);
    return EXIT_USAGE;
  }
  const databaseUrl = values.db || settings.databaseUrl || defaultDatabaseUrl;
  let dataSource: DataSource | null = null;
  const db: OpenStore = async (progress) => (dataSource ??= await openDatabase(databaseUrl, progress));
  try {
    return await run(db);
  } catch (error) {
    if (error instanceof UsageError) {
      io.stderr(`sms106: ${error.message}\n`);
      return EXIT_USAGE;
    }
    const source = t(locale, `cli.database_source.${values.db ? 'flag' : settings.databaseUrl ? 'env' : 'default'}`);
    if (error instanceof DatabaseUrlError) {
      const reason = t(locale, `cli.database_url.${error.problem}`);
      io.stderr(
        `sms106: ${t(locale, 'cli.database_url_invalid', { source, url: redactDatabaseUrl(error.url), reason })}\n`,
      );
      // A --db value that cannot work is wrong usage, like a bad --port; the environment is not usage.
      return values.db ? EXIT_USAGE : EXIT_REFUSED;
    }
    if (error instanceof DatabaseOpenError) {
      io.stderr(
        `sms106: ${t(locale, 'cli.database_unreachable', { source, url: redactDatabaseUrl(error.url), problem: error.problem })}\n`,
      );
      return EXIT_REFUSED;
    }
    if (isSqliteBusy(error)) {
      io.stderr(`sms106: ${t(locale, 'cli.database_busy', { seconds: SQLITE_BUSY_TIMEOUT_MS / 1000 })}\n`);
      return EXIT_REFUSED;
    }
    // Anything else is a fault, not the user's input: one line, the stack only when asked for.
    const message = String(error instanceof Error ? error.message : error).split('\n')[0];
    const { debug } = settings;
    io.stderr(`sms106: ${t(locale, 'cli.unexpected_error', { message })}${debug ? '' : t(locale, 'cli.debug_hint')}\n`);
    if (debug) io.stderr(`${inspect(error)}\n`);
    return EXIT_REFUSED;
  } finally {
    if (command !== 'serve') await (dataSource as DataSource | null)?.destroy();
  }
}

/** SQLITE_BUSY (and its extended codes), straight from better-sqlite3 or wrapped by TypeORM. */
function isSqliteBusy(error: unknown): boolean {
  const code =
    (error as { driverError?: { code?: unknown }; code?: unknown } | null)?.driverError?.code ??
    (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && code.startsWith('SQLITE_BUSY');
}

function expectArgs(args: string[], count: number, form: string): string[] {
  if (args.length !== count) throw new UsageError(`expected: sms106 ${form}`);
  return args;
}

async function importCommand(
  db: () => Promise<DataSource>,
  location: string,
  json: boolean,
  locale: Locale,
  io: CliIo,
): Promise<number> {
  let dataset;
  try {
    dataset = await openDataset(location);
  } catch (error) {
    if (!(error instanceof DatasetOpenError)) throw error;
    const message = t(locale, `issue.${error.code}`, { ...error.params, subject: error.subject });
    io.stderr(
      json
        ? `${JSON.stringify({ status: 'refused', error: { code: error.code, message } })}\n`
        : `sms106: ${message}\n`,
    );
    return EXIT_REFUSED;
  }
  const outcome = await runImport(await db(), dataset, { source: location, actor: cliActor() });
  if (outcome.status === 'succeeded') {
    const { summary } = outcome;
    if (json) {
      io.stdout(
        `${JSON.stringify({ status: 'succeeded', ...summary, warnings: summary.warnings.map((w) => ({ ...w, message: issueMessage(w, locale) })) })}\n`,
      );
      return EXIT_OK;
    }
    // Rows kept with a cell that does not parse: listed as problems are, on stderr.
    for (const warning of summary.warnings) {
      io.stderr(`${t(locale, 'cli.import.warning', { issue: formatIssue(warning, locale) })}\n`);
    }
    const unlisted = summary.warningCount - summary.warnings.length;
    if (unlisted > 0) io.stderr(`${t(locale, 'cli.import.more_warnings', { count: unlisted })}\n`);
    io.stdout(formatSummary(summary, locale));
    return EXIT_OK;
  }
  const { issues, issueCount } = outcome.refused;
  if (json) {
    io.stdout(
      `${JSON.stringify({ status: 'refused', issueCount, issues: issues.map((i) => ({ ...i, message: issueMessage(i, locale) })) })}\n`,
    );
  } else {
    for (const issue of issues) io.stderr(`${formatIssue(issue, locale)}\n`);
    const unlisted = issueCount - issues.length;
    if (unlisted > 0) io.stderr(`${t(locale, 'cli.import.more_problems', { count: unlisted })}\n`);
    io.stderr(`${t(locale, 'cli.import.refused', { count: issueCount })}\n`);
  }
  return EXIT_REFUSED;
}

/** `allocations.csv:12: valid_to "2021-01-01": ends before it starts (2022-01-01)` */
export function formatIssue(issue: ImportIssue, locale: Locale): string {
  const where = issue.column ? ` ${issue.column}${issue.value !== null ? ` "${issue.value}"` : ''}:` : '';
  return `${issue.file}:${issue.line}:${where} ${issueMessage(issue, locale)}`;
}

function formatSummary(summary: ImportSummary, locale: Locale): string {
  const list = (items: string[]) => items.join(t(locale, 'cli.list'));
  const lines = summary.files.map((f) => {
    const unknown = f.unknownColumns.length
      ? t(locale, 'cli.import.unknown_columns', { columns: list(f.unknownColumns) })
      : '';
    return `  ${t(locale, 'cli.import.file', { file: f.file, rows: f.rows, added: f.added, unknown })}`;
  });
  const { warningCount, ignoredFiles } = summary;
  if (warningCount > 0) lines.push(`  ${t(locale, 'cli.import.warnings_kept', { count: warningCount })}`);
  if (ignoredFiles.length) lines.push(`  ${t(locale, 'cli.import.ignored_files', { files: list(ignoredFiles) })}`);
  return `${t(locale, 'cli.import.imported', { dataset: summary.dataset })}\n${lines.join('\n')}\n`;
}

/** docs/cli.md#audit: `audit --json` prints one object per finding, one per line. */
async function auditCommand(db: () => Promise<DataSource>, json: boolean, locale: Locale, io: CliIo): Promise<number> {
  const outcome = await runAudit(await db(), { actor: cliActor() });
  if (json) {
    for (const f of outcome.findings) {
      io.stdout(
        `${JSON.stringify({
          rule: f.rule,
          severity: f.severity,
          agent: f.agent,
          prefix: f.prefix,
          number: f.number,
          message: f.message?.ref ?? null,
          complaint: f.complaint?.ref ?? null,
          entity: f.entity,
          detail: render(locale, f.text),
        })}\n`,
      );
    }
    return EXIT_OK;
  }
  const counts = new Map<string, number>();
  for (const f of outcome.findings)
    counts.set(`${f.rule}|${f.severity}`, (counts.get(`${f.rule}|${f.severity}`) ?? 0) + 1);
  const lines = [...counts].sort().map(([key, n]) => {
    const [rule, severity] = key.split('|');
    return `  ${t(locale, `rule.${rule}`)} (${rule}) · ${t(locale, `severity.${severity}`)}: ${n}`;
  });
  const { runId: run, findings, newFindings: fresh } = outcome;
  const summary = t(locale, 'cli.audit.summary', { run, count: findings.length, fresh });
  io.stdout(`${summary}\n${lines.join('\n')}\n`);
  return EXIT_OK;
}

/** docs/cli.md#notice: `notice AGENT_USCC` `--json` prints {"number","code","path"}. */
async function noticeCommand(
  db: () => Promise<DataSource>,
  rawUscc: string,
  issuerCode: string | undefined,
  deadline: string | undefined,
  json: boolean,
  locale: Locale,
  io: CliIo,
): Promise<number> {
  const dataSource = await db();
  const actor = { name: cliActor(), scope: EVERYTHING, role: 'cli' as const };
  let notice;
  try {
    let issuerId: number | undefined;
    if (issuerCode !== undefined) {
      const issuer = (await issuersFor(dataSource, actor)).find((i) => i.code === issuerCode);
      if (!issuer)
        throw new NoticeError('notices.choose_issuer', {
          codes: (await issuersFor(dataSource, actor)).map((i) => i.code).join('、'),
        });
      issuerId = issuer.id;
    }
    notice = await issueNotice(dataSource, { agentUscc: normaliseUscc(rawUscc), issuerId, deadline }, actor);
  } catch (error) {
    if (!(error instanceof NoticeError)) throw error;
    io.stderr(`sms106: ${t(locale, error.code, error.params)}\n`);
    return EXIT_REFUSED;
  }
  const path = `/notices/${notice.id}/print`;
  io.stdout(
    json
      ? `${JSON.stringify({ number: notice.documentNumber, code: notice.verificationCode, path })}\n`
      : [
          t(locale, 'cli.notice.issued', { number: notice.documentNumber, agent: notice.agentName }),
          t(locale, 'cli.notice.code', { code: notice.verificationCode }),
          t(locale, 'cli.notice.path', { path }),
        ]
          .map((line) => `${line}\n`)
          .join(''),
  );
  return EXIT_OK;
}

async function lookupCommand(
  db: () => Promise<DataSource>,
  number: string,
  at: string | undefined,
  json: boolean,
  locale: Locale,
  io: CliIo,
): Promise<number> {
  let result;
  try {
    result = await lookupNumber(await db(), number, at, undefined, { once: true });
  } catch (error) {
    if (!(error instanceof LookupInputError)) throw error;
    io.stderr(
      `sms106: ${t(locale, `lookup.${error.field}.invalid`, { reason: t(locale, `issue.${error.code}`) })}: ${error.value}\n`,
    );
    return EXIT_REFUSED;
  }
  if (json) {
    io.stdout(`${JSON.stringify(lookupJson(result, formatShanghai))}\n`);
    return EXIT_OK;
  }
  const when = formatShanghai(result.at);
  if (!result.chain) {
    io.stdout(`${t(locale, 'cli.lookup.none', { number: result.number, when })}\n`);
    return EXIT_OK;
  }
  const lines = result.chain.links.map((link) => {
    const lessee = `${t(locale, `kind.${link.lessee.kind}`)} ${link.lessee.name} (${link.lessee.key})`;
    const level = t(locale, 'cli.lookup.level', { level: link.level });
    return `  ${link.prefix}  ${link.holder.name} → ${lessee}  [${level}]`;
  });
  const entity = result.chain.entity;
  const registered = entity
    ? t(locale, 'cli.lookup.registered', { name: entity.name, uscc: entity.key })
    : t(locale, 'cli.lookup.unregistered');
  io.stdout(`${result.number} @ ${when}\n${lines.join('\n')}\n${registered}\n`);
  return EXIT_OK;
}

async function seedCommand(db: () => Promise<DataSource>, json: boolean, locale: Locale, io: CliIo): Promise<number> {
  const code = await importCommand(db, demoDatasetDir, json, locale, io);
  if (code !== EXIT_OK) return code;
  const created = await createDemoUsers(await db(), cliActor());
  await createDemoIssuers(await db());
  // On stderr even with --json (stdout stays the import's JSON): the passwords are shown this once.
  io.stderr(demoUsersText(created, locale));
  return EXIT_OK;
}

async function userCommand(
  db: () => Promise<DataSource>,
  args: string[],
  role: string | undefined,
  carrier: string | undefined,
  locale: Locale,
  io: CliIo,
): Promise<number> {
  const [action, name, ...rest] = args;
  if ((action !== 'add' && action !== 'passwd') || !name || rest.length)
    throw new UsageError('expected: sms106 user add NAME --role ROLE [--carrier CODE]  or  sms106 user passwd NAME');
  if (action === 'add' && !role) throw new UsageError('expected: sms106 user add NAME --role ROLE [--carrier CODE]');
  if (!io.readPassword) throw new Error('no way to read a password in this context');
  const password = await io.readPassword(t(locale, 'cli.user.password_prompt', { name }));
  try {
    if (password === '') throw new AccountError('account.password_missing');
    if (action === 'add')
      await createUser(await db(), { name, role: role!, carrierCode: carrier ?? null, password }, cliActor());
    else await setPassword(await db(), name, password, cliActor());
  } catch (error) {
    if (!(error instanceof AccountError)) throw error;
    io.stderr(`sms106: ${t(locale, error.code, error.params)}\n`);
    return EXIT_REFUSED;
  }
  io.stdout(`${t(locale, action === 'add' ? 'cli.user.created' : 'cli.user.password_set', { name })}\n`);
  return EXIT_OK;
}

async function exportCommand(
  db: () => Promise<DataSource>,
  directory: string,
  options: { force: boolean; safeForExcel: boolean },
  json: boolean,
  locale: Locale,
  io: CliIo,
): Promise<number> {
  let summary;
  try {
    summary = await exportDataset(await db(), directory, options);
  } catch (error) {
    if (!(error instanceof ExportError)) throw error;
    const message = t(locale, error.code, error.params);
    io.stderr(
      json
        ? `${JSON.stringify({ status: 'refused', error: { code: error.code, message } })}\n`
        : `sms106: ${message}\n`,
    );
    return EXIT_REFUSED;
  }
  io.stdout(
    json
      ? `${JSON.stringify(summary)}\n`
      : summary.files.map((f) => `${path.join(directory, f.file)}: ${f.rows}\n`).join(''),
  );
  return EXIT_OK;
}

async function serveCommand(
  db: OpenStore,
  databaseUrl: string,
  portFlag: string | undefined,
  demoIfEmpty: boolean,
  settings: Config,
  locale: Locale,
  io: CliIo,
): Promise<number> {
  const port = portFlag === undefined ? settings.port : Number(portFlag);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new UsageError(`--port must be a port number, not "${portFlag}"`);
  const { serve } = await import('./index.ts');
  const host = settings.host ?? undefined;
  // The first start of `npm start` creates the store and loads the demo: say each step as it begins.
  io.stderr(`${t(locale, 'cli.serve.opening', { url: redactDatabaseUrl(databaseUrl) })}\n`);
  const dataSource = await db({
    migrated: (count) =>
      io.stderr(`${count ? t(locale, 'cli.serve.migrated', { count }) : t(locale, 'cli.serve.schema_current')}\n`),
  });
  await serve(dataSource, { port, host, demoIfEmpty, databaseUrl, config: settings, log: io.stderr, locale });
  return EXIT_OK;
}
