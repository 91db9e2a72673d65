/**
 * The real server (`sms106 serve`) in a child process, for the bench's HTTP, notice and start
 * measurements. Its output goes to /dev/null: a log line per request read by the bench's own
 * process (which also runs the load generator) would be the bench's cost, not the server's. It
 * counts as started when `readyPath` answers 200, asked every 20 ms.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const projectRoot = path.dirname(path.dirname(fileURLToPath(import.meta.url)));

export interface BenchServer {
  child: ChildProcess;
  port: number;
  url: string;
  /** From the spawn to the first 200 answer to `readyPath`. */
  startSeconds: number;
  stop(): Promise<void>;
}

export async function startServer(options: {
  args: string[];
  env?: NodeJS.ProcessEnv;
  /** A path that answers 200 once the server is ready (no cookie sent). */
  readyPath: string;
  /** How long a start may take before the bench gives up. */
  timeoutSeconds?: number;
}): Promise<BenchServer> {
  const port = 20_000 + Math.floor(Math.random() * 20_000);
  const started = performance.now();
  const child = spawn(process.execPath, ['bin/sms106.js', 'serve', '--port', String(port), ...options.args], {
    cwd: projectRoot,
    env: { ...process.env, ...options.env },
    stdio: 'ignore',
  });
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGTERM');
    await once(child, 'exit').catch(() => undefined);
  };
  const url = `http://127.0.0.1:${port}`;
  const deadline = started + (options.timeoutSeconds ?? 120) * 1000;
  try {
    for (;;) {
      if (child.exitCode !== null) throw new Error(`the server exited with code ${child.exitCode} before it answered`);
      if (performance.now() > deadline) throw new Error(`the server did not answer ${options.readyPath} in time`);
      const status = await fetch(`${url}${options.readyPath}`, { redirect: 'manual' }).then(
        (response) => response.arrayBuffer().then(() => response.status),
        () => 0,
      );
      if (status === 200) break;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  } catch (error) {
    await stop();
    throw error;
  }
  return { child, port, url, startSeconds: (performance.now() - started) / 1000, stop };
}
