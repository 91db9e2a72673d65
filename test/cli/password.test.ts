import { spawn } from 'node:child_process';
import { mkdtemp } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { expect } from 'chai';
import { openDatabase } from '../../ormconfig.ts';
import { PasswordMismatch, readNewPassword, type PasswordInput } from '../../server/cli/password.ts';
import { cli } from '../support/cliInProcess.ts';

const bin = path.join(import.meta.dirname, '..', '..', 'bin', 'sms106.js');
const PROMPTS = { first: 'password: ', again: 'again: ' };

/** Standard input as a terminal shows it to the prompt: raw mode can be set, and is recorded. */
function terminal(): { input: PasswordInput & PassThrough; modes: boolean[] } {
  const modes: boolean[] = [];
  const input = Object.assign(new PassThrough(), {
    isTTY: true,
    setRawMode: (mode: boolean) => modes.push(mode),
  });
  return { input, modes };
}

function output(): { write: (text: string) => void; text: () => string } {
  let written = '';
  return { write: (text) => void (written += text), text: () => written };
}

describe('the password prompt (sms106 user add, user passwd)', () => {
  it('on a terminal asks twice, echoes nothing and gives the password when both agree', async () => {
    const { input, modes } = terminal();
    const out = output();
    const answer = readNewPassword(input, out, PROMPTS);
    input.write('a long se');
    input.write('cret\r');
    await new Promise((resolve) => setImmediate(resolve));
    expect(out.text()).to.equal('password: \nagain: ');
    input.write('a long secrex\u007ft\r');
    expect(await answer).to.equal('a long secret');
    expect(out.text()).to.equal('password: \nagain: \n');
    expect(modes).to.deep.equal([true, false]);
  });

  it('on a terminal refuses two passwords that differ, keys typed ahead of the second prompt included', async () => {
    const { input, modes } = terminal();
    const answer = readNewPassword(input, output(), PROMPTS);
    input.write('a long secret\r\nanother secret\r\n');
    const error = await answer.then(
      () => null,
      (caught: unknown) => caught,
    );
    expect(error).to.be.instanceOf(PasswordMismatch);
    expect(modes).to.deep.equal([true, false]);
  });

  it('from a pipe reads the first line of standard input once, with no prompt', async () => {
    const input = new PassThrough();
    const out = output();
    const answer = readNewPassword(input, out, PROMPTS);
    input.end('a long secret\nsomething else\n');
    expect(await answer).to.equal('a long secret');
    expect(out.text()).to.equal('');
  });

  describe('sms106 itself', function () {
    this.timeout(60_000);
    let url: string;

    before(async () => {
      url = `sqlite:${path.join(await mkdtemp(path.join(os.tmpdir(), 'sms106-password-')), 'store.sqlite')}`;
      expect((await cli('seed', '--db', url)).code).to.equal(0);
    });

    /**
     * Runs `sms106 ARGS` on a pseudo-terminal (util-linux `script`), typing each answer once its
     * prompt has appeared; resolves with the exit code and everything the terminal showed.
     */
    function onTerminal(args: string[], answers: Array<[prompt: string, typed: string]>) {
      const command = [process.execPath, bin, ...args].map((word) => `'${word.replaceAll("'", `'\\''`)}'`).join(' ');
      const child = spawn('script', ['-qec', command, '/dev/null'], {
        env: { PATH: process.env.PATH ?? '', SMS106_FROM_SOURCE: '1', TERM: 'dumb' },
        stdio: ['pipe', 'pipe', 'inherit'],
      });
      let shown = '';
      const pending = [...answers];
      child.stdout.on('data', (chunk: Buffer) => {
        shown += chunk.toString();
        while (pending.length && shown.includes(pending[0][0])) child.stdin.write(`${pending.shift()![1]}\r`);
      });
      return new Promise<{ code: number | null; shown: string }>((resolve, reject) => {
        child.once('error', reject);
        child.once('exit', (code) => resolve({ code, shown }));
      });
    }

    /** The stored password hash of `name` (the seed gave each demo user a random one). */
    async function storedHash(name: string): Promise<string | null> {
      const dataSource = await openDatabase(url);
      try {
        const rows: Array<{ password_hash: string | null }> = await dataSource.query(
          'SELECT password_hash FROM users WHERE name = ?',
          [name],
        );
        return rows[0].password_hash;
      } finally {
        await dataSource.destroy();
      }
    }

    it('on a terminal refuses two different passwords with exit 1, changing nothing', async () => {
      const before = await storedHash('admin');
      expect(before).to.be.a('string');
      const { code, shown } = await onTerminal(
        ['user', 'passwd', 'admin', '--db', url],
        [
          ['admin 的密码：', 'a long secret'],
          ['再次输入 admin 的密码：', 'a long secreT'],
        ],
      );
      expect(shown).not.to.include('a long secret');
      expect(shown).to.include('sms106: 两次输入的密码不一致，未作任何更改');
      expect(code).to.equal(1);
      expect(await storedHash('admin')).to.equal(before);
    });

    it('on a terminal sets the password when it is typed the same twice', async () => {
      const before = await storedHash('cmcc');
      const { code, shown } = await onTerminal(
        ['user', 'passwd', 'cmcc', '--db', url, '--lang', 'en'],
        [
          ['password for cmcc: ', 'a long secret'],
          ['password for cmcc again: ', 'a long secret'],
        ],
      );
      expect(shown).to.include('password set for cmcc');
      expect(code).to.equal(0);
      expect(await storedHash('cmcc'))
        .to.be.a('string')
        .and.not.equal(before);
    });

    it('from a pipe reads the password once, as scripts give it', async () => {
      const child = spawn(process.execPath, [bin, 'user', 'passwd', 'regulator', '--db', url], {
        env: { PATH: process.env.PATH ?? '', SMS106_FROM_SOURCE: '1' },
      });
      let stdout = '';
      child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
      child.stdin.end('a long secret\n');
      const code = await new Promise((resolve) => child.once('exit', resolve));
      expect([code, stdout]).to.deep.equal([0, '已设置密码： regulator\n']);
    });
  });
});
