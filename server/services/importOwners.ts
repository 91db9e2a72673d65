import { randomUUID } from 'node:crypto';
import os from 'node:os';
import type { DataSource } from 'typeorm';
import { ImportRun } from '../entities/index.ts';
import { dialectOf } from './upsert.ts';

/**
 * Which process is running an import (import_runs.owner), so that a run left `running` by a
 * process that stopped can be told from one still running in another process: the command line,
 * another server on the same store, a server's import worker.
 *
 * On MySQL, MariaDB and TiDB the owner holds a named lock (GET_LOCK) on a connection of its own
 * for as long as the import runs; the database frees it when that connection closes, however the
 * process ends, so any server can ask whether the owner is still there (IS_FREE_LOCK; TiDB's locks
 * hold across the cluster). An SQLite file is shared by processes on one machine only: the owner
 * is the process id and host name, and a process on that host is asked whether it still exists.
 */
export interface RunOwnership {
  /** What import_runs.owner holds: `lock:<name>` or `pid:<pid>@<host>`. */
  owner: string;
  /** Lets go of the lock (SQLite: nothing to do). */
  release(): Promise<void>;
}

/** The named lock's prefix; MySQL and TiDB take names of up to 64 characters. */
const LOCK_PREFIX = 'sms106_import_';

export async function claimRunOwnership(dataSource: DataSource): Promise<RunOwnership> {
  if (dialectOf(dataSource.manager) === 'sqlite') return { owner: `pid:${process.pid}@${os.hostname()}`, release: async () => {} };
  const name = `${LOCK_PREFIX}${randomUUID().replaceAll('-', '')}`;
  const runner = dataSource.createQueryRunner();
  try {
    await runner.connect();
    // A new name, so the lock is free: TiDB waits at least a second, but never has to here.
    const [row] = await runner.query('SELECT GET_LOCK(?, 1) AS got', [name]);
    if (Number(row.got) !== 1) throw new Error(`could not take the import's lock ${name}`);
  } catch (error) {
    await runner.release();
    throw error;
  }
  return {
    owner: `lock:${name}`,
    release: async () => {
      try {
        await runner.query('SELECT RELEASE_LOCK(?)', [name]);
      } finally {
        await runner.release();
      }
    },
  };
}

/**
 * Whether the process that owns a run has stopped. `atStart`: this process has just started and
 * runs nothing yet, so a run under its own process id is an earlier process's (a container's
 * server is process 1 every time). A run without an owner was started before owners were kept:
 * stopped, when a server starts. A process on another host is never judged from here.
 */
export async function ownerStopped(dataSource: DataSource, owner: string | null, atStart: boolean): Promise<boolean> {
  if (owner === null) return atStart;
  if (owner.startsWith('lock:')) {
    if (dialectOf(dataSource.manager) === 'sqlite') return true;
    const [row] = await dataSource.query('SELECT IS_FREE_LOCK(?) AS free', [owner.slice('lock:'.length)]);
    return Number(row.free) === 1;
  }
  const match = /^pid:(\d+)@(.*)$/.exec(owner);
  if (!match || match[2] !== os.hostname()) return false;
  const pid = Number(match[1]);
  if (pid === process.pid) return atStart;
  return !processExists(pid);
}

function processExists(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists, under another user.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Ends as failed the runs left `running` by processes that stopped (their imports never
 * committed), and returns how many. A run that ends meanwhile keeps its own outcome.
 */
export async function endInterruptedRuns(dataSource: DataSource, options: { atStart: boolean; runs?: ImportRun[] }): Promise<number> {
  const repository = dataSource.getRepository(ImportRun);
  const running = options.runs ?? await repository.find({ select: { id: true, owner: true }, where: { status: 'running' } });
  let ended = 0;
  for (const run of running) {
    if (!await ownerStopped(dataSource, run.owner, options.atStart)) continue;
    const result = await repository.update({ id: run.id, status: 'running' }, { status: 'failed', failure: 'interrupted: the process running it stopped', finishedAt: new Date() });
    ended += result.affected ?? 0;
  }
  return ended;
}
