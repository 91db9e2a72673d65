/**
 * TiDB speaks MySQL's protocol and names itself in VERSION(), as `8.0.11-TiDB-v7.5.1`. Where it
 * differs in what the product uses, the code asks this (docs/scaling.md).
 */
export function isTidb(version: string): boolean {
  return /tidb/i.test(version);
}

/** The server's VERSION(), through a TypeORM manager or query runner. */
export async function serverVersion(runner: { query(sql: string): Promise<unknown> }): Promise<string> {
  const [{ version }] = (await runner.query('SELECT VERSION() AS version')) as Array<{ version: unknown }>;
  return String(version);
}

/** TiDB's own version (major, minor) from VERSION(), or null when the server is not TiDB or does not say. */
export function tidbRelease(version: string): [number, number] | null {
  const release = /TiDB-v(\d+)\.(\d+)/i.exec(version);
  return release ? [Number(release[1]), Number(release[2])] : null;
}

/**
 * Whether a server has what TiDB gained in `major`.`minor`: MySQL and MariaDB always have (what
 * the product asks this of), TiDB from that release on, and a TiDB that does not say which it is
 * is taken for an older one.
 */
export function unlessTidbBefore(version: string, major: number, minor: number): boolean {
  if (!isTidb(version)) return true;
  const release = tidbRelease(version);
  return release !== null && (release[0] > major || (release[0] === major && release[1] >= minor));
}
