import { main } from '../../server/cli.ts';
import type { CliOutcome } from './sms106.ts';

/** Runs the command line in this process, capturing what it prints; `password` answers a password prompt. */
export async function cliWithPassword(password: string, ...argv: string[]): Promise<CliOutcome> {
  let stdout = '';
  let stderr = '';
  const code = await main(argv, {
    stdout: (t) => {
      stdout += t;
    },
    stderr: (t) => {
      stderr += t;
    },
    readPassword: async () => password,
  });
  return { code, stdout, stderr };
}

/** Runs the command line in this process, capturing what it prints. */
export function cli(...argv: string[]): Promise<CliOutcome> {
  return cliWithPassword('', ...argv);
}
