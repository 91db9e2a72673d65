import { inspect } from 'node:util';
import type { DataSource } from 'typeorm';
import type { Config } from './config.ts';
import { isDatabaseError, redactDatabaseUrl, SQLITE_BUSY_TIMEOUT_MS } from './db/databaseUrl.ts';
import { t, type Locale } from './i18n/index.ts';
import { localeForLang } from './i18n/lang.ts';
import { EXIT_OK, EXIT_REFUSED, EXIT_USAGE, isUsageError, type CliIo, type CommandModule } from './cli/context.ts';
import { readInvocation, type CommandName } from './cli/usage.ts';

/**
 * The `sms106` command (docs/cli.md). This module reads the command line and answers help and
 * wrong usage with nothing but the catalogue loaded; each command's code, the settings and the
 * store are loaded only for a command that runs (server/cli/*.ts), so a quick command does not
 * pay for TypeORM, exceljs or Chromium's driver it does not use.
 */

export { EXIT_OK, EXIT_REFUSED, EXIT_USAGE, type CliIo } from './cli/context.ts';

/** Each command's module, loaded when it runs. */
const COMMANDS: Record<Exclude<CommandName, 'help'>, () => Promise<CommandModule>> = {
  import: () => import('./cli/import.ts'),
  audit: () => import('./cli/audit.ts'),
  lookup: () => import('./cli/lookup.ts'),
  export: () => import('./cli/export.ts'),
  seed: () => import('./cli/seed.ts'),
  serve: () => import('./cli/serve.ts'),
  notice: () => import('./cli/notice.ts'),
  user: () => import('./cli/user.ts'),
  issuer: () => import('./cli/issuer.ts'),
};

const processIo: CliIo = {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  readPassword: async (prompts) => {
    const { readNewPassword } = await import('./cli/password.ts');
    return readNewPassword(process.stdin, process.stderr, prompts);
  },
};

/** Runs one command; returns the exit code. `serve` resolves only when the server stops. */
export async function main(argv: string[], io: CliIo = processIo): Promise<number> {
  // Help and usage errors come before the settings are read (they must work whatever the
  // environment holds), so they take their language from LANG themselves, by the rule the
  // settings follow (server/config.ts).
  const invocation = readInvocation(argv, localeForLang(process.env.LANG));
  if (invocation.kind === 'help') {
    io.stdout(invocation.text);
    return EXIT_OK;
  }
  if (invocation.kind === 'no-command') {
    io.stderr(invocation.text);
    return EXIT_USAGE;
  }
  if (invocation.kind === 'usage-error') {
    io.stderr(`sms106: ${invocation.message}\n`);
    return EXIT_USAGE;
  }
  const { command, args, values, locale } = invocation;
  // Read once, before any command runs: a bad setting is wrong usage, like a bad flag.
  const { config, ConfigError, defaultDatabaseUrl } = await import('./config.ts');
  let settings: Config;
  try {
    settings = config();
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    io.stderr(`sms106: ${t(locale, 'cli.error.setting', { problem: error.message })}\n`);
    return EXIT_USAGE;
  }
  const databaseUrl = values.db || settings.databaseUrl || defaultDatabaseUrl;
  let dataSource: DataSource | null = null;
  const db = async (progress?: { migrated?: (count: number) => void }) => {
    if (!dataSource) {
      const { openDatabase } = await import('../ormconfig.ts');
      dataSource = await openDatabase(databaseUrl, progress);
    }
    return dataSource;
  };
  try {
    const { run } = await COMMANDS[command]();
    return await run({ args, values, json: values.json ?? false, locale, io, settings, databaseUrl, db });
  } catch (error) {
    return failure(error, locale, io, { settings, fromFlag: Boolean(values.db) });
  } finally {
    if (command !== 'serve') await (dataSource as DataSource | null)?.destroy();
  }
}

/** docs/cli.md#exit-codes: what a command that failed prints, and its exit code. */
function failure(
  error: unknown,
  locale: Locale,
  io: CliIo,
  { settings, fromFlag }: { settings: Config; fromFlag: boolean },
): number {
  if (isUsageError(error)) {
    io.stderr(`sms106: ${error.message}\n`);
    return EXIT_USAGE;
  }
  const source = t(locale, `cli.database_source.${fromFlag ? 'flag' : settings.databaseUrl ? 'env' : 'default'}`);
  if (isDatabaseError(error, 'DatabaseUrlError')) {
    const reason = t(locale, `cli.database_url.${error.problem}`);
    io.stderr(
      `sms106: ${t(locale, 'cli.database_url_invalid', { source, url: redactDatabaseUrl(error.url), reason })}\n`,
    );
    // A --db value that cannot work is wrong usage, like a bad --port; the environment is not usage.
    return fromFlag ? EXIT_USAGE : EXIT_REFUSED;
  }
  if (isDatabaseError(error, 'DatabaseOpenError')) {
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
}

/** SQLITE_BUSY (and its extended codes), straight from better-sqlite3 or wrapped by TypeORM. */
function isSqliteBusy(error: unknown): boolean {
  const code =
    (error as { driverError?: { code?: unknown }; code?: unknown } | null)?.driverError?.code ??
    (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && code.startsWith('SQLITE_BUSY');
}
