import { spawn } from 'node:child_process';
import { once } from 'node:events';

/** A process of this host that runs until it is stopped: stands for another process importing. */
export function runningProcess(): { pid: number; stop(): Promise<void> } {
  const child = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' });
  return { pid: child.pid!, stop: async () => { child.kill(); await once(child, 'exit'); } };
}

/** The id of a process of this host that has ended: stands for an import's process that stopped. */
export async function stoppedProcessId(): Promise<number> {
  const child = spawn(process.execPath, ['-e', ''], { stdio: 'ignore' });
  await once(child, 'exit');
  return child.pid!;
}
