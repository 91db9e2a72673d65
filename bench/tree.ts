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
import { usccCheckCharacter } from '../server/numbering/uscc.ts';
import { runAudit } from '../server/services/audit/auditRuns.ts';
import { importDataset } from '../server/services/import/importer.ts';
import { signIn } from '../test/support/session.ts';
import { median } from './stats.ts';

const { values } = parseArgs({
  options: { allocations: { type: 'string' }, messages: { type: 'string' }, runs: { type: 'string' } },
});
const total = Number(values.allocations ?? 10_000);
const messageCount = Number(values.messages ?? 20_000);
const runs = Number(values.runs ?? 10);

const uscc = (prefix: string, n: number) => {
  const first17 = `${prefix}${String(n).padStart(17 - prefix.length, '0')}`;
  return first17 + usccCheckCharacter(first17);
};

function dataset(): Record<string, string> {
  const agents = ['uscc,name,licence_no'];
  const entities = ['uscc,name,signatures'];
  const allocations = ['prefix,holder,lessee,valid_from,valid_to,miit_filing_no,declared'];
  const leaves: string[] = [];
  const firstLevel = 20;
  const subAgents = 10;
  const perSub = Math.ceil((total - firstLevel * (1 + subAgents)) / (firstLevel * subAgents));
  let entity = 0;
  for (let a = 0; a < firstLevel && allocations.length <= total; a++) {
    const root = `1069${String(a).padStart(3, '0')}`;
    agents.push(`${uscc('91110108MA', a)},一级代理${a}有限公司,B2-2019${String(a).padStart(4, '0')}`);
    allocations.push(`${root},CMCC,${uscc('91110108MA', a)},2020-01-01,,工信部备案${a},true`);
    for (let s = 0; s < subAgents && allocations.length <= total; s++) {
      const sub = `${root}${s}`;
      const subUscc = uscc('91310115MB', a * subAgents + s);
      agents.push(`${subUscc},二级代理${a}-${s}有限公司,`);
      allocations.push(`${sub},${uscc('91110108MA', a)},${subUscc},2020-06-01,,,${s % 3 === 0 ? 'false' : 'true'}`);
      for (let e = 0; e < perSub && allocations.length <= total; e++) {
        const entityUscc = uscc('91330100MC', entity);
        entities.push(`${entityUscc},使用主体${entity}有限公司,主体${entity}`);
        entity++;
        const number = `${sub}${String(e).padStart(6, '0')}`;
        allocations.push(`${number},${subUscc},${entityUscc},2021-01-01,,,true`);
        leaves.push(number);
      }
    }
  }
  const messages = ['id,sender,sent_at,content'];
  const complaints = ['id,sender,reported_at'];
  for (let m = 0; m < messageCount; m++) {
    const sender = leaves[(m * 7919) % leaves.length];
    const day = String(1 + (m % 28)).padStart(2, '0');
    messages.push(
      `M${m},${sender},2023-0${1 + (m % 9)}-${day}T10:00:00+08:00,【主体${m % 50}】您的验证码是${m % 10_000}`,
    );
    if (m % 40 === 0) complaints.push(`C${m},${sender},2023-0${1 + (m % 9)}-${day}T12:00:00+08:00`);
  }
  return {
    'carriers.csv': 'code,name\nCMCC,中国移动\n',
    'agents.csv': `${agents.join('\n')}\n`,
    'entities.csv': `${entities.join('\n')}\n`,
    'allocations.csv': `${allocations.join('\n')}\n`,
    'messages.csv': `${messages.join('\n')}\n`,
    'complaints.csv': `${complaints.join('\n')}\n`,
  };
}

const directory = await mkdtemp(path.join(os.tmpdir(), 'sms106-tree-bench-'));
for (const [name, content] of Object.entries(dataset())) await writeFile(path.join(directory, name), content);
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
