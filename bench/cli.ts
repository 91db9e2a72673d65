/**
 * The command line's start-up (issue 24; docs/cli.md#starting-quickly), as a user's shell meets
 * it: whole processes, from spawning node to its exit.
 *
 *   node_start_s   `node -e 0`: the floor every process pays on this machine
 *   cli_help_s     `sms106 --help`
 *   cli_lookup_s   `sms106 lookup NUMBER --at TIME` on the bench's store (1M allocations in
 *                  MariaDB in a full run)
 *
 * Each is run `runs` times, interleaved so that a busy minute of the machine falls on all three
 * alike, after one warm-up each; the median is reported with the slowest and the fastest. The
 * command runs the compiled build (bin/entry.js), made first when it is missing or older than the
 * sources. `npm run bench` calls measureCli on its store; alone:
 *
 *   node --import tsx bench/cli.ts --db mysql://… [--number N --at TIME] [--quick]
 */
import { execFileSync, spawnSync } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { chooseEntry } from '../bin/entry.js';
import { median } from './stats.ts';

const projectRoot = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const bin = path.join(projectRoot, 'bin', 'sms106.js');

export interface CliTimes {
  cli_runs: number;
  node_start_s: number;
  node_start_s_slowest: number;
  node_start_s_fastest: number;
  cli_help_s: number;
  cli_help_s_slowest: number;
  cli_help_s_fastest: number;
  cli_lookup_s: number;
  cli_lookup_s_slowest: number;
  cli_lookup_s_fastest: number;
}

/** Builds dist/ when the command would otherwise run the sources through tsx. */
function ensureBuild(log: (text: string) => void): void {
  const entry = chooseEntry(projectRoot);
  if (entry.kind === 'dist') return;
  log(`building dist/ (${entry.reason})…`);
  execFileSync('npm', ['run', 'build'], { cwd: projectRoot, stdio: 'ignore' });
  const after = chooseEntry(projectRoot);
  if (after.kind !== 'dist') throw new Error(`sms106 would still run the sources: ${after.reason}`);
}

/** Seconds from spawning `args` to its exit; it must exit 0 and print what `expect` asks. */
function timed(args: string[], expect: (stdout: string) => boolean): number {
  // A user's environment: the build, not the sources the test suite asks for.
  const env = { ...process.env };
  delete env.SMS106_FROM_SOURCE;
  const started = performance.now();
  const run = spawnSync(process.execPath, args, { cwd: os.tmpdir(), env, encoding: 'utf8' });
  const seconds = (performance.now() - started) / 1000;
  if (run.status !== 0 || !expect(run.stdout))
    throw new Error(`${args.join(' ')} exited ${run.status}: ${run.stderr || run.stdout}`);
  return seconds;
}

export function measureCli(options: {
  databaseUrl: string;
  /** A number the store's chains cover, so the lookup prints a chain. */
  number: string;
  at: string;
  runs: number;
  log?: (text: string) => void;
}): CliTimes {
  const log = options.log ?? (() => undefined);
  ensureBuild(log);
  const commands = {
    node_start_s: () => timed(['-e', '0'], () => true),
    cli_help_s: () => timed([bin, '--help'], (out) => out.includes('sms106')),
    cli_lookup_s: () =>
      timed([bin, 'lookup', options.number, '--at', options.at, '--json', '--db', options.databaseUrl], (out) => {
        const answer = JSON.parse(out) as { chain: unknown[] };
        return answer.chain.length > 0;
      }),
  };
  const times: Record<keyof typeof commands, number[]> = { node_start_s: [], cli_help_s: [], cli_lookup_s: [] };
  for (const run of Object.values(commands)) run();
  for (let i = 0; i < options.runs; i++) {
    for (const [name, run] of Object.entries(commands)) times[name as keyof typeof commands].push(run());
  }
  const summary = (name: keyof typeof commands) => ({
    [name]: round(median(times[name])),
    [`${name}_slowest`]: round(Math.max(...times[name])),
    [`${name}_fastest`]: round(Math.min(...times[name])),
  });
  const result = {
    cli_runs: options.runs,
    ...summary('node_start_s'),
    ...summary('cli_help_s'),
    ...summary('cli_lookup_s'),
  } as unknown as CliTimes;
  log(
    `CLI: node -e 0 ${result.node_start_s} s, --help ${result.cli_help_s} s, lookup ${result.cli_lookup_s} s ` +
      `(medians of ${options.runs}; lookup ${result.cli_lookup_s_fastest}–${result.cli_lookup_s_slowest} s)`,
  );
  return result;
}

const round = (seconds: number) => Number(seconds.toFixed(3));

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const { values } = parseArgs({
    options: {
      db: { type: 'string' },
      number: { type: 'string' },
      at: { type: 'string' },
      runs: { type: 'string' },
      quick: { type: 'boolean', default: false },
    },
  });
  const times = measureCli({
    databaseUrl: values.db ?? process.env.TEST_DATABASE_URL ?? 'mysql://root@127.0.0.1:3306/bench',
    // In the first entity grant bench/largeDataset.ts writes (leafGrant(N, 0)), in every store it makes.
    number: values.number ?? '1069000000000012',
    at: values.at ?? '2022-03-14T09:30:00+08:00',
    runs: Number(values.runs ?? (values.quick ? 5 : 15)),
    log: (text) => process.stderr.write(`[bench] ${text}\n`),
  });
  console.log(JSON.stringify(times, null, 2));
}
