import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { expect } from 'chai';
import { ConfigError, defaultDatabaseUrl, loadConfig, projectRoot, SETTINGS, type Config } from '../server/config.ts';
import { DEFAULT_LOCALE } from '../server/i18n/index.ts';
import { sms106 } from './support/sms106.ts';

const DEFAULTS: Config = {
  databaseUrl: null,
  port: 3000,
  host: null,
  trustProxy: null,
  publicUrl: null,
  chromiumPath: '/usr/bin/chromium',
  render: { concurrency: 2, maxWaiting: 8 },
  locale: DEFAULT_LOCALE,
  debug: false,
  logLevel: 'info',
  production: false,
};

/** Each variable with a value it refuses. */
const REFUSED: Array<[string, string]> = [
  ['PORT', 'http'],
  ['PORT', '65536'],
  ['PORT', '-1'],
  ['PORT', '80.5'],
  ['HOST', 'two words'],
  ['HOST', 'example.com:80'],
  ['TRUST_PROXY', '1'],
  ['TRUST_PROXY', 'true'],
  ['TRUST_PROXY', '10.0.0.0/33'],
  ['PUBLIC_URL', 'audit.example.cn'],
  ['PUBLIC_URL', 'ftp://audit.example.cn'],
  ['PUBLIC_URL', 'https://audit.example.cn/?x=1'],
  ['RENDER_CONCURRENCY', '0'],
  ['RENDER_CONCURRENCY', '10000'],
  ['RENDER_QUEUE', 'many'],
  ['RENDER_QUEUE', '-1'],
  ['LOG_LEVEL', 'verbose'],
];

/** README's table, as SETTINGS words it. */
function settingsTable(): string {
  const rows = Object.entries(SETTINGS).map(
    ([variable, doc]) => `| \`${variable}\` | ${doc.purpose} | ${doc.accepts} | ${doc.unset} |`,
  );
  return ['| variable | sets | accepts | when unset |', '| --- | --- | --- | --- |', ...rows].join('\n');
}

function sourceFiles(directory: string): string[] {
  return readdirSync(directory, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile() && /\.(ts|js|mjs|cjs)$/.test(entry.name))
    .map((entry) => path.join(entry.parentPath, entry.name));
}

describe('configuration (server/config.ts)', () => {
  it('has a default for every setting when the environment says nothing', () => {
    expect(loadConfig({})).to.deep.equal(DEFAULTS);
  });

  it('reads every variable', () => {
    expect(
      loadConfig({
        DATABASE_URL: 'mysql://auditor:pw@db:3306/sms106',
        PORT: '8080',
        HOST: '0.0.0.0',
        TRUST_PROXY: 'loopback, 10.0.0.0/8',
        PUBLIC_URL: 'https://audit.example.cn/sms106//',
        CHROMIUM_PATH: '/opt/chromium/chrome',
        RENDER_CONCURRENCY: '4',
        RENDER_QUEUE: '0',
        LANG: 'en_US.UTF-8',
        DEBUG: '1',
        LOG_LEVEL: 'debug',
        NODE_ENV: 'production',
      }),
    ).to.deep.equal({
      databaseUrl: 'mysql://auditor:pw@db:3306/sms106',
      port: 8080,
      host: '0.0.0.0',
      trustProxy: ['loopback', '10.0.0.0/8'],
      publicUrl: 'https://audit.example.cn/sms106',
      chromiumPath: '/opt/chromium/chrome',
      render: { concurrency: 4, maxWaiting: 0 },
      locale: 'en',
      debug: true,
      logLevel: 'debug',
      production: true,
    });
    expect(loadConfig({ HOST: 'audit-1.example.cn', LANG: 'zh_CN.UTF-8' })).to.include({
      host: 'audit-1.example.cn',
      locale: 'zh-CN',
    });
    expect(loadConfig({ HOST: '::1', PORT: '0' })).to.include({ host: '::1', port: 0 });
  });

  it('takes an empty variable for an unset one', () => {
    const empty = Object.fromEntries(Object.keys(SETTINGS).map((variable) => [variable, '']));
    expect(loadConfig(empty)).to.deep.equal(DEFAULTS);
  });

  it('refuses each bad value in one line naming the variable, the value and what it accepts', () => {
    for (const [variable, value] of REFUSED) {
      let refusal: unknown = null;
      try {
        loadConfig({ [variable]: value });
      } catch (error) {
        refusal = error;
      }
      expect(refusal, `${variable}=${value}`).to.be.instanceOf(ConfigError);
      const { message, variables } = refusal as ConfigError;
      expect(variables, `${variable}=${value}`).to.deep.equal([variable]);
      expect(message, `${variable}=${value}`).to.include(variable).and.include(value).and.not.include('\n');
      const { accepts } = SETTINGS[variable as keyof typeof SETTINGS];
      if (variable !== 'TRUST_PROXY') expect(message).to.include(`must be ${accepts}`);
    }
  });

  it('names every bad variable at once', () => {
    expect(() => loadConfig({ PORT: 'x', RENDER_QUEUE: 'y' })).to.throw(
      ConfigError,
      /^PORT must be .*"x"; RENDER_QUEUE must be .*"y"$/,
    );
  });

  it('documents exactly the variables it reads', () => {
    const read = new Set<string>();
    loadConfig(
      new Proxy(
        {},
        {
          get: (_target, key) => {
            read.add(String(key));
            return undefined;
          },
        },
      ),
    );
    expect([...read].filter((key) => /^[A-Z_]+$/.test(key)).sort()).to.deep.equal(Object.keys(SETTINGS).sort());
  });

  it("README's settings table is the one SETTINGS words", () => {
    const readme = readFileSync(path.join(projectRoot, 'README.md'), 'utf8');
    const table = /\| variable \| sets \|[^]*?\n(?!\|)/.exec(readme)?.[0].trimEnd();
    expect(table).to.equal(settingsTable());
  });

  it('is the only module of the product that reads process.env', () => {
    const files = [
      ...sourceFiles(path.join(projectRoot, 'server')),
      ...sourceFiles(path.join(projectRoot, 'bin')),
      path.join(projectRoot, 'ormconfig.ts'),
    ];
    const reads = [
      /\bprocess\s*(\?\.|\.|\[)\s*['"`]?env\b/,
      /\{[^}]*\benv\b[^}]*\}\s*=\s*process\b/,
      /import\s*\{[^}]*\benv\b[^}]*\}\s*from\s*['"](node:)?process['"]/,
    ];
    const readers = files.filter((file) => reads.some((read) => read.test(readFileSync(file, 'utf8'))));
    expect(files.length).to.be.greaterThan(100);
    // bin/sms106.js decides which build of this code runs (SMS106_FROM_SOURCE), before any of it is
    // loaded; server/cli.ts reads LANG alone, by the rule config.ts follows (server/i18n/lang.ts), for
    // help and usage errors, which answer before the settings are read (docs/cli.md#help).
    expect(readers.map((file) => path.relative(projectRoot, file)).sort()).to.deep.equal([
      'bin/sms106.js',
      'server/cli.ts',
      'server/config.ts',
    ]);
  });

  it('the command line stops at a bad setting with one line and exit 2, and its help needs no settings', async () => {
    const refused = await sms106(['lookup', '10690123456789', '--db', 'sqlite::memory:'], { PORT: 'http' });
    expect([refused.code, refused.stdout]).to.deep.equal([2, '']);
    expect(refused.stderr).to.equal(
      `sms106: 环境变量中的设置无法使用：PORT must be ${SETTINGS.PORT.accepts}, not "http"\n`,
    );
    const help = await sms106(['help'], { PORT: 'http' });
    expect([help.code, help.stderr]).to.deep.equal([0, '']);
  });

  it('the command line takes DATABASE_URL, and --db before it', async () => {
    const unreachable = 'mysql://auditor:pw@127.0.0.1:1/sms106';
    const fromEnv = await sms106(['audit', '--lang', 'en'], { DATABASE_URL: unreachable });
    expect(fromEnv.stderr).to.include('(from DATABASE_URL)');
    const fromFlag = await sms106(['lookup', '10690123456789', '--db', 'sqlite::memory:', '--json'], {
      DATABASE_URL: unreachable,
    });
    expect([fromFlag.code, fromFlag.stderr]).to.deep.equal([0, '']);
    expect(defaultDatabaseUrl).to.equal(`sqlite:${path.join(projectRoot, 'data', 'sms106.sqlite')}`);
  });
});
