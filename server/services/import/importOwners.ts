import { randomUUID } from 'node:crypto';
import os from 'node:os';
import type { DataSource, QueryRunner } from 'typeorm';
import { mysqlConnectionOf, type MysqlConnection } from '../../db/typeormAdapter.ts';
import { ImportRun } from '../../entities/index.ts';
import { serverVersion, unlessTidbBefore } from '../../util/tidb.ts';
import { recordAudit } from '../accounts/audit.ts';
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
  if (dialectOf(dataSource.manager) === 'sqlite')
    return { owner: `pid:${process.pid}@${os.hostname()}`, release: async () => {} };
  const name = `${LOCK_PREFIX}${randomUUID().replaceAll('-', '')}`;
  const lock = await LockSession.open(dataSource);
  try {
    // A new name, so the lock is free: TiDB waits at least a second, but never has to here.
    if (!(await lock.take(name))) throw new Error(`could not take the import's lock ${name}`);
  } catch (error) {
    await lock.close();
    throw error;
  }
  return { owner: `lock:${name}`, release: () => lock.close(name) };
}

/** A connection of its own, for named locks: they belong to the session that takes them. */
class LockSession {
  private constructor(
    private readonly runner: QueryRunner,
    private readonly connection: MysqlConnection,
  ) {}

  static async open(dataSource: DataSource): Promise<LockSession> {
    const runner = dataSource.createQueryRunner();
    const session = new LockSession(runner, await mysqlConnectionOf(runner));
    try {
      // Idle for the whole import: the server's own idle limit (8 hours by default, often set
      // far lower) must not close it and so free the lock of a run still going on.
      await runner.query('SET SESSION wait_timeout = 604800');
    } catch (error) {
      await session.close();
      throw error;
    }
    return session;
  }

  async take(name: string): Promise<boolean> {
    const [row] = await this.runner.query('SELECT GET_LOCK(?, 1) AS got', [name]);
    return Number(row.got) === 1;
  }

  /**
   * Lets go of the lock `name` if one was taken, and of the connection. Where RELEASE_LOCK fails
   * the connection is gone or unusable (the database killed it, the network dropped): it is
   * closed rather than pooled, and the database frees the lock of a closed session, so the
   * import's outcome stands.
   */
  async close(name?: string): Promise<void> {
    try {
      if (name !== undefined) await this.runner.query('SELECT RELEASE_LOCK(?)', [name]);
    } catch {
      this.connection.destroy();
    } finally {
      await this.runner.release();
    }
  }
}

/** Each store's VERSION(), asked once. */
const versions = new WeakMap<DataSource, Promise<string>>();

function versionOf(dataSource: DataSource): Promise<string> {
  let version = versions.get(dataSource);
  if (!version) {
    version = serverVersion(dataSource);
    versions.set(dataSource, version);
    version.catch(() => versions.delete(dataSource));
  }
  return version;
}

/**
 * Whether no session holds the lock `name`, or null where this cannot be asked cheaply: TiDB
 * before 7.3 has no IS_FREE_LOCK, and there only `atStart` takes the lock and lets it go at once,
 * which waits a second when it is held (TiDB's shortest wait); an import page that refreshes
 * every two seconds does not.
 */
async function lockIsFree(dataSource: DataSource, name: string, atStart: boolean): Promise<boolean | null> {
  if (!hasIsFreeLock(await versionOf(dataSource))) return atStart ? takeAndLetGo(dataSource, name) : null;
  const [row] = await dataSource.query('SELECT IS_FREE_LOCK(?) AS free', [name]);
  return Number(row.free) === 1;
}

/** Whether the lock `name` could be taken (it is let go at once): lockIsFree without IS_FREE_LOCK. */
export async function takeAndLetGo(dataSource: DataSource, name: string): Promise<boolean> {
  const lock = await LockSession.open(dataSource);
  let taken = false;
  try {
    taken = await lock.take(name);
  } finally {
    await lock.close(taken ? name : undefined);
  }
  return taken;
}

/** MySQL and MariaDB have IS_FREE_LOCK; TiDB since 7.3. */
export function hasIsFreeLock(version: string): boolean {
  return unlessTidbBefore(version, 7, 3);
}

/**
 * Whether the process that owns a run has stopped. `atStart`: this process has just started and
 * runs nothing yet, so a run under its own process id is an earlier process's (a container's
 * server is process 1 every time). A run without an owner was started before owners were kept:
 * stopped, when a server starts.
 */
async function ownerStopped(dataSource: DataSource, owner: string | null, atStart: boolean): Promise<boolean> {
  if (owner === null) return atStart;
  if (owner.startsWith('lock:')) {
    if (dialectOf(dataSource.manager) === 'sqlite') return true;
    return (await lockIsFree(dataSource, owner.slice('lock:'.length), atStart)) ?? false;
  }
  const match = /^pid:(\d+)@(.*)$/.exec(owner);
  if (!match) return atStart;
  // An SQLite file is not shared between machines, and a container made anew has a new host
  // name: a starting server takes another host's run for stopped. It is never judged later.
  if (match[2] !== os.hostname()) return atStart;
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
export async function endInterruptedRuns(
  dataSource: DataSource,
  options: { atStart: boolean; runs?: ImportRun[] },
): Promise<number> {
  const running =
    options.runs ??
    (await dataSource
      .getRepository(ImportRun)
      .find({ select: { id: true, owner: true }, where: { status: 'running' } }));
  let ended = 0;
  for (const run of running) {
    if (
      (await ownerStopped(dataSource, run.owner, options.atStart)) &&
      (await endStoppedRun(dataSource, run.id, 'interrupted: the process running it stopped'))
    )
      ended++;
  }
  return ended;
}

/**
 * Ends a run as failed unless it has ended already (its own outcome stands), and logs it as an
 * import that failed; true when it ended it.
 */
export async function endStoppedRun(dataSource: DataSource, id: number, failure: string): Promise<boolean> {
  const result = await dataSource
    .getRepository(ImportRun)
    .update({ id, status: 'running' }, { status: 'failed', failure, finishedAt: new Date() });
  if ((result.affected ?? 0) === 0) return false;
  await recordAudit(dataSource, {
    actor: 'system',
    action: 'import.failed',
    subject: `import_run:${id}`,
    after: { runId: id, failure },
  });
  return true;
}

/** An SQLite store another process is writing to (a command-line import holds its write lock). */
export function isStoreBusy(error: unknown): boolean {
  return (error as { code?: unknown } | null)?.code === 'SQLITE_BUSY';
}
