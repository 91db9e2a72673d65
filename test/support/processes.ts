import { spawn, type ChildProcess } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import { once } from 'node:events';

/** A process of this host that runs until it is stopped: stands for another process importing. */
export function runningProcess(): { pid: number; stop(): Promise<void> } {
  const child = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' });
  return {
    pid: child.pid!,
    stop: async () => {
      child.kill();
      await once(child, 'exit');
    },
  };
}

/** The id of a process of this host that has ended: stands for an import's process that stopped. */
export async function stoppedProcessId(): Promise<number> {
  const child = spawn(process.execPath, ['-e', ''], { stdio: 'ignore' });
  await once(child, 'exit');
  return child.pid!;
}

/** Runs a command to its end; resolves with its exit code and its stdout and stderr together. */
export function runCommand(
  command: string,
  args: string[],
  options: { cwd: string; env?: NodeJS.ProcessEnv },
): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: options.cwd, env: options.env ?? process.env });
    let output = '';
    child.stdout.on('data', (chunk) => {
      output += chunk;
    });
    child.stderr.on('data', (chunk) => {
      output += chunk;
    });
    child.on('error', reject);
    child.on('exit', (code) => resolve({ code, output }));
  });
}

const bin = path.join(import.meta.dirname, '..', '..', 'bin', 'sms106.js');

/**
 * Starts `sms106 serve --demo-if-empty` (what npm start runs) on a free port and waits for its
 * address; `env` adds to this process's environment (an undefined value leaves a variable out).
 */
export async function startServer(
  databaseUrl: string,
  env: Record<string, string | undefined> = {},
): Promise<{ child: ChildProcess; baseUrl: string; log: () => string }> {
  const child = spawn(process.execPath, [bin, 'serve', '--port', '0', '--demo-if-empty', '--db', databaseUrl], {
    cwd: os.tmpdir(),
    env: { ...process.env, ...env },
  });
  let log = '';
  child.stdout!.on('data', (chunk) => {
    log += chunk;
  });
  const baseUrl = await new Promise<string>((resolve, reject) => {
    child.stderr!.on('data', (chunk) => {
      log += chunk;
      // The ready line, in either language: "ready: http://localhost:PORT (…" or "就绪：http://localhost:PORT（…".
      const match = /(?:ready: |就绪：)(http:\/\/localhost:\d+)/.exec(log);
      if (match) resolve(match[1]);
    });
    child.on('exit', (code) => reject(new Error(`server exited with ${code}:\n${log}`)));
  });
  return { child, baseUrl, log: () => log };
}

/** Stops a server startServer started; resolves with its exit code. */
export async function stopServer(child: ChildProcess): Promise<number | null> {
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  child.kill('SIGTERM');
  return exited;
}
