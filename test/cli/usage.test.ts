import { expect } from 'chai';
import { cli } from '../support/cliInProcess.ts';
import { sms106 } from '../support/sms106.ts';
import { staticImports } from '../support/staticImports.ts';

describe('sms106 help', () => {
  it('--help after a command prints that command’s usage, what it does and its options, as help COMMAND does', async () => {
    const help = await cli('lookup', '--help', '--lang', 'en');
    expect(help.code).to.equal(0);
    expect(help.stderr).to.equal('');
    const lines = help.stdout.split('\n');
    expect(lines[0]).to.equal('usage: sms106 lookup NUMBER [--at TIME]');
    expect(help.stdout).to.include('Prints the chain, root to leaf, that held the 106 number NUMBER at TIME');
    expect(help.stdout).to.match(/\noptions:\n {2}--at TIME +the moment to look at/);
    expect(help.stdout).to.match(/\nglobal options \(any command\):\n {2}--db URL +the database:/);
    expect(help.stdout, 'no other command’s options').not.to.include('--force');
    expect((await cli('help', 'lookup', '--lang', 'en')).stdout).to.equal(help.stdout);
    expect((await cli('lookup', '-h', '--lang', 'en')).stdout).to.equal(help.stdout);
  });

  it('shows every form of a command with several, and its options', async () => {
    const user = (await cli('user', '--help', '--lang', 'en')).stdout;
    expect(user.split('\n').slice(0, 2)).to.deep.equal([
      'usage: sms106 user add NAME --role ROLE [--carrier CODE]',
      '   or: sms106 user passwd NAME',
    ]);
    expect(user).to.match(/asked\s+for\s+twice\s+without\s+echo/);
    const issuer = (await cli('issuer', '--help')).stdout;
    expect(issuer).to.include('用法：sms106 issuer add 代字 --name 全称 --signatory 署名 --printed-by 印发机关');
    expect(issuer).to.include('  或：sms106 issuer list');
    for (const option of [
      '--name 全称',
      '--signatory 署名',
      '--printed-by 印发机关',
      '--carrier 运营商代码',
      '--copy-to 抄送',
    ])
      expect(issuer).to.include(`  ${option}`);
  });

  it('speaks Chinese by default and English under --lang en or a LANG starting with en', async () => {
    const chinese = await sms106(['--help']);
    expect(chinese.stdout).to.match(/^用法：sms106 命令 \[参数\]/);
    expect(chinese.stdout).to.include('  lookup 号码 [--at 时间]');
    expect(chinese.stdout).to.include('sms106 命令 --help（或 sms106 help 命令）显示该命令的用法与选项');
    const english = await sms106(['--help'], { LANG: 'en_GB.UTF-8' });
    expect(english.stdout).to.match(/^usage: sms106 COMMAND \[ARGUMENTS\]/);
    expect(english.stdout).to.include('  lookup NUMBER [--at TIME]');
    expect((await sms106(['--help', '--lang', 'en'])).stdout).to.equal(english.stdout);
    expect((await sms106(['--help', '--lang', 'zh-CN'], { LANG: 'en_GB.UTF-8' })).stdout).to.equal(chinese.stdout);
  });

  it('lists every command in the overview, each with its line of text', async () => {
    const overview = (await cli('help', '--lang', 'en')).stdout;
    for (const command of ['help', 'import', 'audit', 'lookup', 'export', 'seed', 'serve', 'notice', 'user', 'issuer'])
      expect(overview).to.match(new RegExp(`\\n {2}${command}\\b`), command);
    expect(overview).to.match(/ {2}user passwd NAME +create a user, or set a user's password/);
  });

  it('loads nothing for help but the catalogue: no statically imported module of server/cli.ts reaches a package', () => {
    const { modules, packages } = staticImports('server/cli.ts');
    expect(modules).to.include.members(['server/cli/usage.ts', 'server/i18n/index.ts']);
    expect(packages).to.deep.equal([]);
  });

  it('loads for each command only what it uses: no exceljs (a workbook loads it), no server, browser or templates', () => {
    const commands = ['import', 'audit', 'lookup', 'export', 'seed', 'notice', 'user', 'issuer'];
    const reached = commands.flatMap((command) =>
      staticImports(`server/cli/${command}.ts`)
        .packages.filter((name) => ['exceljs', 'playwright-core', 'handlebars', 'express'].includes(name))
        .map((name) => `${command}: ${name}`),
    );
    expect(reached).to.deep.equal([]);
    expect(staticImports('server/cli/lookup.ts').packages, 'lookup: not even TypeORM').to.deep.equal([]);
    expect(staticImports('server/index.ts').packages, 'the scan sees what the server loads').to.include.members([
      'express',
      'handlebars',
    ]);
  });
});

describe('sms106 usage errors', () => {
  it('name a missing argument in the chosen language, with the command’s usage, exit 2', async () => {
    const chinese = await cli('lookup');
    expect([chinese.code, chinese.stdout, chinese.stderr]).to.deep.equal([
      2,
      '',
      'sms106: 用法应为：sms106 lookup 号码 [--at 时间]（见 sms106 lookup --help）\n',
    ]);
    const english = await sms106(['export'], { LANG: 'en_US.UTF-8' });
    expect([english.code, english.stderr]).to.deep.equal([
      2,
      'sms106: expected: sms106 export DIR [--force] [--safe-for-excel] (sms106 export --help)\n',
    ]);
    const user = await cli('user', 'add', 'zhang.san', '--lang', 'en');
    expect(user.stderr).to.equal(
      'sms106: expected: sms106 user add NAME --role ROLE [--carrier CODE]  or  sms106 user passwd NAME (sms106 user --help)\n',
    );
  });

  it('an unknown command is one line listing the commands, in the chosen language, exit 2', async () => {
    const result = await cli('frobnicate', '--lang', 'en');
    expect([result.code, result.stderr]).to.deep.equal([
      2,
      'sms106: unknown command "frobnicate"; the commands are help, import, audit, lookup, export, seed, serve, notice, user, issuer (sms106 --help)\n',
    ]);
    expect((await cli('help', 'frobnicate')).stderr).to.match(
      /^sms106: 未知命令“frobnicate”；可用的命令：help, import/,
    );
    expect((await cli('help', 'frobnicate')).code).to.equal(2);
  });

  it('an unknown option is one line naming it, without a stack, exit 2, from the installed command too', async () => {
    const result = await sms106(['lookup', '10690123456789', '--frobnicate', '--db', 'sqlite::memory:']);
    expect([result.code, result.stdout, result.stderr]).to.deep.equal([
      2,
      '',
      'sms106: sms106 lookup 没有选项 --frobnicate（sms106 lookup --help 列出其选项）\n',
    ]);
    const english = await cli('lookup', '10690123456789', '--frobnicate=1', '--lang', 'en');
    expect([english.code, english.stderr]).to.deep.equal([
      2,
      'sms106: unknown option --frobnicate for sms106 lookup (sms106 lookup --help lists its options)\n',
    ]);
    const alone = await cli('-x', '--lang', 'en');
    expect([alone.code, alone.stderr]).to.deep.equal([
      2,
      'sms106: unknown option -x (sms106 --help lists the options)\n',
    ]);
  });

  it('an option of another command is unknown to this one', async () => {
    const result = await cli('audit', '--at', '2022-03-14', '--lang', 'en');
    expect([result.code, result.stderr]).to.deep.equal([
      2,
      'sms106: unknown option --at for sms106 audit (sms106 audit --help lists its options)\n',
    ]);
  });

  it('a value missing after an option, or given to a flag that takes none, is named in one line, exit 2', async () => {
    expect(await cli('lookup', '10690123456789', '--at')).to.deep.equal({
      code: 2,
      stdout: '',
      stderr: 'sms106: --at 后须给出值：--at 时间\n',
    });
    expect((await cli('lookup', '10690123456789', '--at', '--json', '--lang', 'en')).stderr).to.equal(
      'sms106: --at needs a value: --at TIME\n',
    );
    expect((await cli('export', 'out', '--force=yes', '--lang', 'en')).stderr).to.equal(
      'sms106: --force takes no value\n',
    );
    expect((await cli('--help', '--lang', 'fr')).stderr).to.equal('sms106: --lang 只能是 zh-CN 或 en，不能是“fr”\n');
  });

  it('a bad --port is wrong usage, named in the chosen language', async () => {
    const result = await cli('serve', '--port', '99999', '--db', 'sqlite::memory:', '--lang', 'en');
    expect([result.code, result.stderr]).to.deep.equal([
      2,
      'sms106: --port must be a port number from 0 to 65535, not "99999"\n',
    ]);
  });
});
