import { execFile } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';

const bin = path.join(import.meta.dirname, '..', '..', 'bin', 'sms106.js');

export interface CliOutcome {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * Runs the installed `sms106` in a child process from another directory, with an environment of
 * only PATH and `env` (so no DATABASE_URL, LANG or DEBUG of the test run leaks in).
 */
export function sms106(args: string[], env: Record<string, string> = {}): Promise<CliOutcome> {
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      [bin, ...args],
      { cwd: os.tmpdir(), env: { PATH: process.env.PATH ?? '', ...env } },
      (error, stdout, stderr) => {
        if (error && typeof error.code !== 'number') reject(error);
        else resolve({ code: error ? Number(error.code) : 0, stdout, stderr });
      },
    );
  });
}
