import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { expect } from 'chai';

const run = promisify(execFile);

describe('the test suite without MariaDB', () => {
  it('stops with one line saying how to start MariaDB instead of skipping', async function () {
    this.timeout(60_000);
    const root = path.join(import.meta.dirname, '..', '..');
    const outcome = await run(
      process.execPath,
      [path.join(root, 'node_modules', 'mocha', 'bin', 'mocha.js'), '--spec', 'test/i18n/locales.test.ts'],
      {
        cwd: root,
        env: { ...process.env, TEST_DATABASE_URL: 'mysql://root@127.0.0.1:1/test' },
      },
    ).then(
      () => null,
      (error: { code: number; stdout: string; stderr: string }) => error,
    );
    expect(outcome, 'mocha must fail').to.not.equal(null);
    expect(outcome!.code).to.not.equal(0);
    expect(outcome!.stdout + outcome!.stderr).to.include(
      'start-stop-daemon --start --oknodo --background --exec /usr/sbin/mariadbd',
    );
    expect(outcome!.stdout).to.include('0 passing');
  });
});
