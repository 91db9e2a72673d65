import { isIP } from 'node:net';
import path from 'node:path';
import type { LevelWithSilent } from 'pino';
import { z } from 'zod';
import type { Locale } from './i18n/index.ts';
import { localeForLang } from './i18n/lang.ts';
import type { RenderLimits } from './services/notices/rendering.ts';
import { TrustProxyError, trustProxySetting } from './util/trustProxy.ts';

/** The levels LOG_LEVEL accepts (pino's). */
export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

/**
 * Every setting the product reads from its environment, and the only module that reads it: the
 * environment is checked once, at start, and the rest of the code is handed a typed Config.
 * README's "Settings" table is written from SETTINGS below (test/config.test.ts holds it to it).
 */

import { projectRoot } from './util/projectRoot.ts';

export { projectRoot };

/** The embedded database a fresh checkout uses when nothing else is said. */
export const defaultDatabaseUrl = `sqlite:${path.join(projectRoot, 'data', 'sms106.sqlite')}`;

export const DEFAULT_CHROMIUM_PATH = '/usr/bin/chromium';

export interface Config {
  /** DATABASE_URL as given, null when unset: the CLI's --db comes first, the default last. */
  databaseUrl: string | null;
  /** PORT, for `sms106 serve` without --port. */
  port: number;
  /** HOST, null when unset: the server then listens on this machine only. */
  host: string | null;
  /** TRUST_PROXY: express's 'trust proxy' addresses, null when no proxy is trusted. */
  trustProxy: string[] | null;
  /** PUBLIC_URL without trailing slashes, null when the request's own origin is used. */
  publicUrl: string | null;
  chromiumPath: string;
  /** RENDER_CONCURRENCY and RENDER_QUEUE. */
  render: RenderLimits;
  /** The command line's language when --lang is not given, from LANG. */
  locale: Locale;
  /** DEBUG: an unexpected error on the command line shows its stack. */
  debug: boolean;
  /** LOG_LEVEL: how much the server logs (server/log.ts). */
  logLevel: LevelWithSilent;
  /** NODE_ENV=production: a notice whose verification link points at this machine is not printed. */
  production: boolean;
}

/** What README's table says of a setting; `accepts` also words the error for a bad value. */
export interface SettingDoc {
  purpose: string;
  accepts: string;
  unset: string;
}

/** A bad value in the environment: the message is one line naming the variable and what it accepts. */
export class ConfigError extends Error {
  constructor(
    readonly variables: readonly string[],
    message: string,
  ) {
    super(message);
  }
}

const HOST_NAME = /^[A-Za-z0-9_]([A-Za-z0-9_-]*[A-Za-z0-9_])?(\.[A-Za-z0-9_]([A-Za-z0-9_-]*[A-Za-z0-9_])?)*$/;

/** An empty variable counts as unset (`PORT= sms106 serve`), as a shell makes it easy to write. */
function unsetIfEmpty(raw: unknown): unknown {
  return raw === '' ? undefined : raw;
}

const text = z.preprocess(unsetIfEmpty, z.string().optional());

function wholeNumber(min: number, max: number, fallback: number) {
  const digits = z
    .string()
    .regex(/^\d{1,5}$/)
    .transform(Number);
  return z.preprocess(unsetIfEmpty, digits.pipe(z.number().min(min).max(max)).default(fallback));
}

const ENVIRONMENT = z.object({
  DATABASE_URL: text,
  PORT: wholeNumber(0, 65535, 3000),
  HOST: z.preprocess(
    unsetIfEmpty,
    z
      .string()
      .refine((host) => isIP(host) !== 0 || HOST_NAME.test(host))
      .optional(),
  ),
  TRUST_PROXY: z
    .string()
    .optional()
    .transform((raw, ctx) => {
      try {
        return trustProxySetting(raw);
      } catch (error) {
        if (!(error instanceof TrustProxyError)) throw error;
        ctx.addIssue({ code: 'custom', message: error.message, params: { worded: true } });
        return z.NEVER;
      }
    }),
  PUBLIC_URL: z.preprocess(unsetIfEmpty, z.string().refine(isPublicBase).optional()),
  CHROMIUM_PATH: text,
  RENDER_CONCURRENCY: wholeNumber(1, 9999, 2),
  RENDER_QUEUE: wholeNumber(0, 9999, 8),
  LANG: z.string().optional(),
  DEBUG: z.string().optional(),
  LOG_LEVEL: z.preprocess(
    (raw) => (typeof raw === 'string' ? unsetIfEmpty(raw.trim().toLowerCase()) : raw),
    z.enum(LOG_LEVELS).default('info'),
  ),
  NODE_ENV: z.string().optional(),
});

type Variable = keyof typeof ENVIRONMENT.shape;

export const SETTINGS: Record<Variable, SettingDoc> = {
  DATABASE_URL: {
    purpose: 'the database of every command and of the server; `--db` comes first',
    accepts:
      '`mysql://user:pass@host:3306/name`, `sqlite:PATH` or `sqlite::memory:` ' +
      '(checked when the database is opened)',
    unset: 'the embedded SQLite file `data/sms106.sqlite`',
  },
  PORT: {
    purpose: 'the port `sms106 serve` listens on; `--port` comes first',
    accepts: 'a whole number from 0 to 65535',
    unset: '3000',
  },
  HOST: {
    purpose: 'the address the server listens on (`0.0.0.0`: every interface)',
    accepts: 'an IP address or a host name',
    unset: '127.0.0.1: this machine only',
  },
  TRUST_PROXY: {
    purpose: 'the TLS-terminating proxies whose `X-Forwarded-For` and `X-Forwarded-Proto` are believed',
    accepts:
      'IP addresses, subnets (`10.0.0.0/8`) or `loopback`, `linklocal`, `uniquelocal`, comma-separated; ' +
      'never a hop count or `true`',
    unset: "no proxy: the connection's own address",
  },
  PUBLIC_URL: {
    purpose: 'the address the public reaches, for the verification link and QR code of notices',
    accepts: 'an http:// or https:// URL without query or fragment',
    unset: 'the address the request came to',
  },
  CHROMIUM_PATH: {
    purpose: "the Chromium that renders notice PDFs and the tree's PNG (missing: those answer 503)",
    accepts: 'a path to the executable',
    unset: `\`${DEFAULT_CHROMIUM_PATH}\` (Debian's package)`,
  },
  RENDER_CONCURRENCY: {
    purpose: 'renders (PDFs, PNGs) running at once',
    accepts: 'a whole number from 1 to 9999',
    unset: '2',
  },
  RENDER_QUEUE: {
    purpose: 'renders that may wait for a turn; one more is answered 503 with `Retry-After`',
    accepts: 'a whole number from 0 to 9999',
    unset: '8',
  },
  LANG: {
    purpose: "the command line's language: English when it starts with `en`; `--lang` comes first",
    accepts: 'anything',
    unset: 'Chinese',
  },
  DEBUG: {
    purpose: 'the command line prints the stack of an unexpected error',
    accepts: 'any value that is not empty',
    unset: 'one line without the stack',
  },
  LOG_LEVEL: {
    purpose: 'how much the server logs, as JSON lines on stderr (one per request, and every error)',
    accepts: `one of ${LOG_LEVELS.join(', ')}`,
    unset: '`info`',
  },
  NODE_ENV: {
    purpose:
      '`production`: a notice whose verification link would point at this machine (localhost) is not printed; ' +
      'set `PUBLIC_URL`',
    accepts: 'anything; only `production` changes something',
    unset: 'not production: the link may point wherever the request came to',
  },
};

/** A base for `${base}/verify/CODE`: http(s), and nothing after the path that the link would break. */
function isPublicBase(raw: string): boolean {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return false;
  }
  return (url.protocol === 'http:' || url.protocol === 'https:') && !/[?#]/.test(raw);
}

/** Reads and checks the settings in `environment`; a bad value throws a ConfigError naming each one. */
export function loadConfig(environment: Readonly<Record<string, string | undefined>>): Config {
  const parsed = ENVIRONMENT.safeParse(environment);
  if (!parsed.success) {
    const problems = new Map<string, string>();
    for (const issue of parsed.error.issues) {
      const variable = String(issue.path[0]) as Variable;
      if (problems.has(variable)) continue;
      // TRUST_PROXY words its own refusal (util/trustProxy.ts); the rest say what they accept.
      problems.set(
        variable,
        issue.code === 'custom' && issue.params?.worded
          ? issue.message
          : `${variable} must be ${SETTINGS[variable].accepts}, not "${environment[variable]}"`,
      );
    }
    throw new ConfigError([...problems.keys()], [...problems.values()].join('; '));
  }
  const env = parsed.data;
  return {
    databaseUrl: env.DATABASE_URL ?? null,
    port: env.PORT,
    host: env.HOST ?? null,
    trustProxy: env.TRUST_PROXY ?? null,
    publicUrl: env.PUBLIC_URL?.replace(/\/+$/, '') ?? null,
    chromiumPath: env.CHROMIUM_PATH ?? DEFAULT_CHROMIUM_PATH,
    render: { concurrency: env.RENDER_CONCURRENCY, maxWaiting: env.RENDER_QUEUE },
    locale: localeForLang(env.LANG),
    debug: Boolean(env.DEBUG),
    logLevel: env.LOG_LEVEL,
    production: env.NODE_ENV === 'production',
  };
}

let processConfig: Config | null = null;

/**
 * This process's configuration, read from its environment the first time it is asked for: the
 * command line asks before it runs a command, so a bad value stops it there.
 */
export function config(): Config {
  processConfig ??= loadConfig(process.env);
  return processConfig;
}
