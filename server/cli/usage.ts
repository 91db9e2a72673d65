import { parseArgs } from 'node:util';
import { isLocale, t, type Locale } from '../i18n/index.ts';

/**
 * What each command takes and what `--help` prints (docs/cli.md). This module loads nothing but
 * the catalogue: `sms106 --help` and a usage error answer from here, before any command's code,
 * any setting or any database is touched.
 */

/** Every option of the command line, with whether it takes a value. */
const OPTIONS = {
  db: 'string',
  json: 'boolean',
  lang: 'string',
  help: 'boolean',
  at: 'string',
  force: 'boolean',
  'safe-for-excel': 'boolean',
  port: 'string',
  'demo-if-empty': 'boolean',
  issuer: 'string',
  deadline: 'string',
  role: 'string',
  carrier: 'string',
  name: 'string',
  signatory: 'string',
  'printed-by': 'string',
  'copy-to': 'string',
} as const;
export type OptionName = keyof typeof OPTIONS;

/** docs/cli.md#global-flags: taken by every command. */
const GLOBAL_OPTIONS: readonly OptionName[] = ['db', 'json', 'lang', 'help'];

/** The options as read: a string option's value, `true` for a boolean one given. */
export interface Values {
  db?: string;
  json?: boolean;
  lang?: string;
  help?: boolean;
  at?: string;
  force?: boolean;
  'safe-for-excel'?: boolean;
  port?: string;
  'demo-if-empty'?: boolean;
  issuer?: string;
  deadline?: string;
  role?: string;
  carrier?: string;
  name?: string;
  signatory?: string;
  'printed-by'?: string;
  'copy-to'?: string;
}

interface CommandSpec {
  /** Its own options, beside the global ones. */
  options: readonly OptionName[];
  /** Whether the arguments (and the options a form requires) fit one of the synopsis's forms. */
  fits: (args: readonly string[], values: Values) => boolean;
}

const count = (n: number) => (args: readonly string[]) => args.length === n;

/** The commands, in the order the overview lists them. */
const COMMANDS = {
  help: { options: [], fits: (args) => args.length <= 1 },
  import: { options: [], fits: count(1) },
  audit: { options: [], fits: count(0) },
  lookup: { options: ['at'], fits: count(1) },
  export: { options: ['force', 'safe-for-excel'], fits: count(1) },
  seed: { options: [], fits: count(0) },
  serve: { options: ['port', 'demo-if-empty'], fits: count(0) },
  notice: { options: ['issuer', 'deadline'], fits: count(1) },
  user: {
    options: ['role', 'carrier'],
    fits: (args, values) =>
      args.length === 2 && ((args[0] === 'add' && values.role !== undefined) || args[0] === 'passwd'),
  },
  issuer: {
    options: ['name', 'signatory', 'printed-by', 'carrier', 'copy-to'],
    fits: (args, values) =>
      (args.length === 2 &&
        args[0] === 'add' &&
        values.name !== undefined &&
        values.signatory !== undefined &&
        values['printed-by'] !== undefined) ||
      (args.length === 1 && args[0] === 'list'),
  },
} satisfies Record<string, CommandSpec>;
export type CommandName = keyof typeof COMMANDS;
const COMMAND_NAMES = Object.keys(COMMANDS) as CommandName[];
const specOf = (command: CommandName): CommandSpec => COMMANDS[command];

function isCommand(name: string | undefined): name is CommandName {
  return name !== undefined && Object.hasOwn(COMMANDS, name);
}

/** What the command line asks for, once read and checked. */
export type Invocation =
  /** `--help`, `help [COMMAND]`: print `text` on standard output, exit 0. */
  | { kind: 'help'; text: string }
  /** No command at all: the overview on standard error, exit 2. */
  | { kind: 'no-command'; text: string }
  /** Wrong usage: one line on standard error, exit 2. */
  | { kind: 'usage-error'; message: string }
  | { kind: 'run'; command: Exclude<CommandName, 'help'>; args: string[]; values: Values; locale: Locale };

/**
 * Reads and checks the arguments; `locale` is the language when no valid `--lang` says
 * otherwise. Every mistake of usage is found here: an unknown command, an option the command
 * does not take, a value missing or given to a flag that takes none, arguments that fit none of
 * the command's forms.
 */
export function readInvocation(argv: readonly string[], fallback: Locale): Invocation {
  const options = Object.fromEntries(
    Object.entries(OPTIONS).map(([name, type]) => [name, name === 'help' ? { type, short: 'h' } : { type }]),
  ) as Record<OptionName, { type: 'string' | 'boolean'; short?: string }>;
  // Not strict: an option is checked against its command below, so that the message names it.
  const { values, positionals, tokens } = parseArgs({
    args: [...argv],
    options,
    allowPositionals: true,
    strict: false,
    tokens: true,
  });
  let locale = fallback;
  const error = (key: string, params: Record<string, string> = {}): Invocation => ({
    kind: 'usage-error',
    message: t(locale, key, params),
  });
  if (typeof values.lang === 'string' && isLocale(values.lang)) locale = values.lang;
  const [command, ...args] = positionals;
  if (command !== undefined && !isCommand(command))
    return error('cli.error.unknown_command', { command, commands: COMMAND_NAMES.join(', ') });
  const allowed = new Set<string>([...GLOBAL_OPTIONS, ...(command ? specOf(command).options : [])]);
  for (const token of tokens) {
    if (token.kind !== 'option') continue;
    const option = token.rawName;
    if (!allowed.has(token.name))
      return command
        ? error('cli.error.unknown_option', { option, command })
        : error('cli.error.unknown_option_alone', { option });
    const type = OPTIONS[token.name as OptionName];
    if (type === 'boolean' && token.value !== undefined) return error('cli.error.option_takes_no_value', { option });
    // `--at --json`: a value is not an option; `--at=-1` can still say it is.
    if (type === 'string' && (token.value === undefined || (!token.inlineValue && token.value.startsWith('-'))))
      return error('cli.error.option_needs_value', {
        option,
        value: t(locale, `cli.option.${token.name}.value`),
      });
  }
  if (values.lang !== undefined && !isLocale(values.lang))
    return error('cli.error.bad_lang', { value: String(values.lang) });
  const read = values as Values;
  if (command === 'help' || read.help) {
    const about = command === 'help' ? args[0] : command;
    if (command === 'help' && !specOf('help').fits(args, read)) return expected(locale, 'help');
    if (about === undefined) return { kind: 'help', text: overview(locale) };
    if (!isCommand(about))
      return error('cli.error.unknown_command', { command: about, commands: COMMAND_NAMES.join(', ') });
    return { kind: 'help', text: commandHelp(locale, about) };
  }
  if (command === undefined) return { kind: 'no-command', text: overview(locale) };
  if (!specOf(command).fits(args, read)) return expected(locale, command);
  return { kind: 'run', command, args, values: read, locale };
}

function expected(locale: Locale, command: CommandName): Invocation {
  const synopsis = synopses(locale, command).join(t(locale, 'cli.error.expected_or'));
  return { kind: 'usage-error', message: t(locale, 'cli.error.expected', { synopsis, command }) };
}

function synopses(locale: Locale, command: CommandName): string[] {
  return t(locale, `cli.command.${command}.synopsis`).split('\n');
}

/** An option as the help shows it: `--at TIME`, `--force`. */
function optionForm(locale: Locale, option: OptionName): string {
  return OPTIONS[option] === 'string' ? `--${option} ${t(locale, `cli.option.${option}.value`)}` : `--${option}`;
}

/** `sms106 --help`: every command with one line, and the global options. */
export function overview(locale: Locale): string {
  const lines = [t(locale, 'cli.usage'), '', t(locale, 'cli.usage.commands')];
  for (const command of COMMAND_NAMES) {
    const forms = synopses(locale, command);
    // A command of several forms (user add, user passwd) has its line of text beside the last.
    lines.push(...forms.slice(0, -1).map((form) => `  ${form}`));
    lines.push(...table([[forms.at(-1)!, t(locale, `cli.command.${command}.summary`)]], 28));
  }
  lines.push('', t(locale, 'cli.usage.global_options'), ...optionTable(locale, GLOBAL_OPTIONS));
  lines.push('', ...wrap(t(locale, 'cli.usage.more'), WIDTH, ''));
  return `${lines.join('\n')}\n`;
}

/** `sms106 COMMAND --help`: its forms, what it does, its options and the global ones. */
export function commandHelp(locale: Locale, command: CommandName): string {
  const [first, ...others] = synopses(locale, command);
  const lines = [
    t(locale, 'cli.usage.command', { synopsis: first }),
    ...others.map((synopsis) => t(locale, 'cli.usage.or', { synopsis })),
    '',
    ...t(locale, `cli.command.${command}.about`)
      .split('\n')
      .flatMap((paragraph) => wrap(paragraph, WIDTH, '')),
  ];
  const own = specOf(command).options;
  if (own.length > 0) lines.push('', t(locale, 'cli.usage.options'), ...optionTable(locale, own));
  lines.push('', t(locale, 'cli.usage.global_options'), ...optionTable(locale, GLOBAL_OPTIONS));
  return `${lines.join('\n')}\n`;
}

function optionTable(locale: Locale, options: readonly OptionName[]): string[] {
  return table(
    options.map((option) => [optionForm(locale, option), t(locale, `cli.option.${option}.about`)]),
    20,
  );
}

/** The width help text is wrapped to. */
const WIDTH = 100;

/**
 * Two columns: the terms indented by two, their texts from `column` on, wrapped; a term too long
 * for its column has its text on the next line.
 */
function table(rows: ReadonlyArray<readonly [string, string]>, column: number): string[] {
  const lines: string[] = [];
  const indent = ' '.repeat(column + 2);
  for (const [term, text] of rows) {
    const wrapped = text === '' ? [] : wrap(text, WIDTH, indent);
    const head = `  ${term}`;
    if (displayWidth(head) + 2 <= indent.length && wrapped.length > 0) {
      lines.push(head + ' '.repeat(indent.length - displayWidth(head)) + wrapped[0].slice(indent.length));
      lines.push(...wrapped.slice(1));
    } else lines.push(head, ...wrapped);
  }
  return lines;
}

/** Characters a terminal shows two columns wide: CJK ideographs, kana, hangul, full-width forms. */
const WIDE = /[\u1100-\u115F\u2E80-\uA4CF\uAC00-\uD7A3\uF900-\uFAFF\uFE30-\uFE4F\uFF00-\uFF60\uFFE0-\uFFE6]/u;

function displayWidth(text: string): number {
  let width = 0;
  for (const char of text) width += WIDE.test(char) ? 2 : 1;
  return width;
}

/**
 * Lines of at most `width` columns, each starting with `indent`: broken at spaces, and between
 * any two wide characters, as Chinese text breaks.
 */
function wrap(text: string, width: number, indent: string): string[] {
  const pieces = text.match(new RegExp(`${WIDE.source}|[^\\s${WIDE.source.slice(1, -1)}]+|\\s+`, 'gu')) ?? [];
  const lines: string[] = [];
  let line = indent;
  for (const piece of pieces) {
    const blank = /^\s+$/.test(piece);
    if (line !== indent && displayWidth(line) + displayWidth(piece) > width && !blank) {
      lines.push(line.trimEnd());
      line = indent;
    }
    if (blank && line === indent) continue;
    line += blank ? ' ' : piece;
  }
  if (line !== indent) lines.push(line.trimEnd());
  return lines;
}
