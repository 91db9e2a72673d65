/**
 * GET /api/lookup under load: the real server in a child process (bench/server.ts), autocannon
 * in the bench's process, C connections on loopback. The server is measured twice, one after the
 * other on the same data: logging every request as it does by default (LOG_LEVEL=info, its JSON
 * lines written to /dev/null), then with logging off (LOG_LEVEL=silent), so that what the
 * request log costs the lookup lane shows beside it (docs/performance.md). Each server first
 * answers `warmSeconds` of the same load, not counted: the measured seconds are a server's that
 * has been answering for a while (its code compiled, its session read), as a carrier's is.
 */
import { readFile } from 'node:fs/promises';
import autocannon from 'autocannon';
import type { DataSource } from 'typeorm';
import { createUser, startSession } from '../server/services/accounts/accounts.ts';
import { startServer } from './server.ts';

const round = (n: number, digits = 0) => Number(n.toFixed(digits));

function percentile(sorted: Float64Array, p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

async function rssMb(pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  return Math.round(Number(/VmRSS:\s+(\d+) kB/.exec(status)![1]) / 1024);
}

interface LoadResult {
  rps: number;
  requests: number;
  non2xx: number;
  p50: number;
  p95: number;
  p99: number;
}

/** `seconds` of lookups at `connections` connections against a server at `url`. */
async function load(url: string, token: string, paths: string[], connections: number, seconds: number) {
  let next = 0;
  const latencies: number[] = [];
  const result = await new Promise<autocannon.Result>((resolve, reject) => {
    const instance = autocannon(
      {
        url,
        connections,
        duration: seconds,
        headers: { cookie: `sid=${token}` },
        requests: [{ setupRequest: (request) => ({ ...request, path: paths[next++ % paths.length] }) }],
      },
      (error, finished) => (error ? reject(error) : resolve(finished)),
    );
    instance.on('response', (_client, _status, _bytes, responseTime) => latencies.push(responseTime));
  });
  const sorted = Float64Array.from(latencies).sort();
  return {
    rps: result.requests.average,
    requests: result.requests.total,
    non2xx: result.non2xx + result.errors,
    p50: percentile(sorted, 50),
    p95: percentile(sorted, 95),
    p99: percentile(sorted, 99),
  } satisfies LoadResult;
}

/** One server at `logLevel`: its start, its memory with the index loaded, then the load. */
async function measureServer(
  databaseUrl: string,
  logLevel: 'info' | 'silent',
  token: string,
  paths: string[],
  connections: number,
  seconds: number,
  warmSeconds: number,
) {
  const server = await startServer({
    args: ['--db', databaseUrl],
    env: { LOG_LEVEL: logLevel },
    readyPath: '/login',
  });
  try {
    const rssLoaded = await rssMb(server.child.pid!);
    const probe = await fetch(`${server.url}${paths[0]}`, { headers: { cookie: `sid=${token}` } });
    if (probe.status !== 200) throw new Error(`GET /api/lookup answered ${probe.status}: ${await probe.text()}`);
    await load(server.url, token, paths, connections, warmSeconds);
    const result = await load(server.url, token, paths, connections, seconds);
    return { startSeconds: server.startSeconds, rssLoaded, rssAfter: await rssMb(server.child.pid!), ...result };
  } finally {
    await server.stop();
  }
}

export async function measureHttp(
  dataSource: DataSource,
  databaseUrl: string,
  sample: Array<{ number: string; at: Date }>,
  connections: number,
  seconds: number,
  warmSeconds: number,
) {
  const user = await createUser(dataSource, { name: 'bench', role: 'admin', password: null }, 'bench');
  const { token } = await startSession(dataSource, user.id);
  const paths = sample
    .slice(0, 10_000)
    .map(({ number, at }) => `/api/lookup?number=${number}&at=${encodeURIComponent(at.toISOString())}`);
  const logged = await measureServer(databaseUrl, 'info', token, paths, connections, seconds, warmSeconds);
  const silent = await measureServer(databaseUrl, 'silent', token, paths, connections, seconds, warmSeconds);
  return {
    server_start_s: round(logged.startSeconds, 2),
    rss_mb_1m_allocations: logged.rssLoaded,
    rss_mb_after_http: logged.rssAfter,
    http_rps: Math.round(logged.rps),
    http_requests: logged.requests,
    http_non_2xx: logged.non2xx + silent.non2xx,
    http_lookup_p50_ms: round(logged.p50, 1),
    http_lookup_p95_ms: round(logged.p95, 1),
    http_lookup_p99_ms: round(logged.p99, 1),
    http_rps_no_logging: Math.round(silent.rps),
    http_lookup_p99_ms_no_logging: round(silent.p99, 1),
    /** Requests/s without the request log over requests/s with it: 1.1 means logging costs a tenth more time. */
    http_lookup_logging_cost_ratio: round(silent.rps / logged.rps, 2),
  };
}
