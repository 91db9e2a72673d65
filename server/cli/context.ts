import type { DataSource } from 'typeorm';
import type { Config } from '../config.ts';
import type { Locale } from '../i18n/index.ts';
import type { PasswordPrompts } from './password.ts';
import type { Values } from './usage.ts';

/** docs/cli.md#exit-codes: 0 on success, 1 when the input was refused, 2 when the command was used wrongly. */
export const EXIT_OK = 0;
export const EXIT_REFUSED = 1;
export const EXIT_USAGE = 2;

export interface CliIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  /**
   * A new password: on a terminal asked for twice without echo (a PasswordMismatch when the two
   * differ), otherwise the first line of standard input.
   */
  readPassword?: (prompts: PasswordPrompts) => Promise<string>;
}

/** Wrong usage found while a command runs (a bad --port): one line, exit 2. The message is in the user's language. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

/**
 * By name rather than instanceof: under the test runner a command's module, loaded when the
 * command runs, may come with its own copy of this one (server/db/databaseUrl.ts says why).
 */
export function isUsageError(error: unknown): error is UsageError {
  return error instanceof Error && error.name === 'UsageError';
}

/** What a command is run with: its arguments and options as checked (server/cli/usage.ts), and the store on demand. */
export interface CommandContext {
  args: string[];
  values: Values;
  json: boolean;
  locale: Locale;
  io: CliIo;
  settings: Config;
  /** The database URL the command works on: --db, else DATABASE_URL, else the embedded SQLite file. */
  databaseUrl: string;
  /**
   * Opens the store (running pending migrations) the first time it is asked for; closed when the
   * command ends. `progress.migrated` hears how many migrations ran (ormconfig.ts openDatabase).
   */
  db: (progress?: { migrated?: (count: number) => void }) => Promise<DataSource>;
}

/** A command's module exports `run`; it is loaded only when that command runs. */
export interface CommandModule {
  run: (context: CommandContext) => Promise<number>;
}
