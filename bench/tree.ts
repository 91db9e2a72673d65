/**
 * How long the hierarchy page takes for a carrier whose tree has 10,000 allocations:
 *   node --import tsx bench/tree.ts [--allocations N] [--messages N] [--runs N]
 * Imports a deterministic dataset into an in-memory SQLite database (one carrier, 20 first-level
 * agents, 10 sub-agents each, the rest entity numbers under the sub-agents, every third
 * sub-agent undeclared), runs the audit so nodes have findings to be coloured by, then asks the
 * app for /tree the way a browser would and prints milliseconds: the first request (builds the
 * tree index and resolves the traffic once) and the median of the next ones, at the default
 * depth, fully opened, and with a search; then the CSV and SVG exports. Printed, not asserted:
 * machines differ.
 */
import { mkdtemp, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { openDatabase } from '../ormconfig.ts';
import { createApp } from '../server/app.ts';
import { openDataset } from '../server/dataset/readers.ts';
import { runAudit } from '../server/services/audit/auditRuns.ts';
import { importDataset } from '../server/services/import/importer.ts';
import { largeTree } from '../test/support/largeTree.ts';
import { signIn } from '../test/support/session.ts';
import { median } from './stats.ts';

const { values } = parseArgs({
  options: { allocations: { type: 'string' }, messages: { type: 'string' }, runs: { type: 'string' } },
});
const total = Number(values.allocations ?? 10_000);
const messageCount = Number(values.messages ?? 20_000);
const runs = Number(values.runs ?? 10);

const directory = await mkdtemp(path.join(os.tmpdir(), 'sms106-tree-bench-'));
for (const [name, content] of Object.entries(largeTree({ allocations: total, messages: messageCount }).files))
  await writeFile(path.join(directory, name), content);
const dataSource = await openDatabase('sqlite::memory:');
let started = performance.now();
const summary = await importDataset(dataSource, await openDataset(directory));
console.log(`imported in ${Math.round(performance.now() - started)} ms: ${JSON.stringify(summary).slice(0, 200)}`);
started = performance.now();
const audit = await runAudit(dataSource, { actor: 'bench' });
console.log(`audit: ${audit.findings.length} findings in ${Math.round(performance.now() - started)} ms`);

const client = await signIn(createApp(dataSource), dataSource, { role: 'regulator' });
const results: Record<string, number | string> = { cpus: os.cpus().length, allocations: total, messages: messageCount };

async function measure(label: string, url: string, check: (body: string) => void): Promise<void> {
  let first = 0;
  const times: number[] = [];
  for (let i = 0; i <= runs; i++) {
    const t0 = performance.now();
    const response = await client.get(url).buffer(true);
    const ms = performance.now() - t0;
    if (response.status !== 200) throw new Error(`${url}: ${response.status}`);
    if (i === 0) {
      first = ms;
      check(response.text);
    } else times.push(ms);
  }
  results[`${label} first ms`] = Math.round(first);
  results[`${label} median ms`] = Math.round(median(times));
}

const count = (body: string, needle: RegExp) => body.match(needle)?.length ?? 0;
const at = '2024-01-01';
await measure('tree depth 2', `/tree?carrier=CMCC&at=${at}`, (body) => {
  results['depth 2: nodes drawn'] = count(body, /<g class="node/g);
  results['depth 2: "+N more" nodes'] = count(body, /data-key="more/g);
  results['overview cells'] = count(body, /<g class="cell"/g);
  results['page kB'] = Math.round(Buffer.byteLength(body) / 1024);
});
await measure('tree all open', `/tree?carrier=CMCC&at=${at}&depth=8`, (body) => {
  results['all open: nodes drawn'] = count(body, /<g class="node/g);
  results['all open: "+N more" nodes'] = count(body, /data-key="more/g);
  results['all open: budget hit'] = body.includes('为保持可读') ? 'yes' : 'no';
});
await measure('tree search', `/tree?carrier=CMCC&at=${at}&q=${encodeURIComponent('二级代理7-3')}`, (body) => {
  results['search: hits'] = count(body, /<g class="node hit/g);
});
await measure('export csv', `/tree/export.csv?carrier=CMCC&at=${at}`, (body) => {
  results['csv rows'] = body.trim().split('\r\n').length - 1;
});
await measure('export svg', `/tree/export.svg?carrier=CMCC&at=${at}`, () => {});
console.table(results);
// Read by bench/index.ts (`npm run bench`), which records the render times with the other figures.
if (process.env.BENCH_JSON) console.log(`BENCH_JSON ${JSON.stringify(results)}`);
await dataSource.destroy();
