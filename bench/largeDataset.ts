/**
 * Writes a large deterministic dataset for import measurements:
 *   npx tsx bench/largeDataset.ts DIR [--allocations N]
 * One carrier, 100 first-level agents each re-leasing to 10 sub-agents, and entity grants under
 * those sub-agents until the allocations file has N rows (default 1,000,000). `npm run bench`
 * imports writeLargeDataset and uses leafGrant to send traffic from numbers it knows.
 */
import { createWriteStream } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { usccCheckCharacter } from '../server/numbering/uscc.ts';

export const ENTITIES = 10_000;
export const ROOTS = 100;
export const SUBS_PER_ROOT = 10;

export const uscc = (prefix: string, n: number) => {
  const first17 = `${prefix}${String(n).padStart(17 - prefix.length, '0')}`;
  return first17 + usccCheckCharacter(first17);
};

/** The signature entity `e` files (entities.csv): what its own traffic carries. */
export const signatureOf = (e: number) => `主体${e}`;

/** Entity grants under each sub-agent for a dataset of `total` allocations. */
export function leavesPerSub(total: number): number {
  return Math.ceil((total - ROOTS * (1 + SUBS_PER_ROOT)) / (ROOTS * SUBS_PER_ROOT));
}

/** The k-th entity grant of the dataset (k < total - 1100): its 14-digit prefix and its entity's number. */
export function leafGrant(total: number, k: number): { prefix: string; entity: number } {
  const perSub = leavesPerSub(total);
  const sub = Math.floor(k / perSub);
  const e = k % perSub;
  const a = Math.floor(sub / SUBS_PER_ROOT);
  const s = sub % SUBS_PER_ROOT;
  return {
    prefix: `1069${String(a).padStart(3, '0')}${s}${String(e).padStart(6, '0')}`,
    entity: (a * 7919 + s * 104729 + e) % ENTITIES,
  };
}

async function writeLines(file: string, lines: Iterable<string>): Promise<void> {
  const out = createWriteStream(file);
  for (const line of lines) {
    if (!out.write(`${line}\n`)) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
}

export async function writeLargeDataset(directory: string, total: number): Promise<void> {
  await mkdir(directory, { recursive: true });
  await writeLines(path.join(directory, 'carriers.csv'), ['code,name', 'CMCC,中国移动']);
  const agents = ['uscc,name,licence_no'];
  for (let a = 0; a < ROOTS; a++) {
    agents.push(`${uscc('91110108MA', a)},一级代理${a}有限公司,B2-2019${String(a).padStart(4, '0')}`);
    for (let s = 0; s < SUBS_PER_ROOT; s++) agents.push(`${uscc('91310115MB', a * 10 + s)},二级代理${a}-${s}有限公司,`);
  }
  await writeLines(path.join(directory, 'agents.csv'), agents);
  await writeLines(
    path.join(directory, 'entities.csv'),
    (function* () {
      yield 'uscc,name,signatures';
      for (let e = 0; e < ENTITIES; e++) yield `${uscc('91330100MC', e)},使用主体${e}有限公司,${signatureOf(e)}`;
    })(),
  );
  await writeLines(
    path.join(directory, 'allocations.csv'),
    (function* () {
      yield 'prefix,holder,lessee,valid_from,valid_to,miit_filing_no,declared';
      let rows = 0;
      const perSub = leavesPerSub(total);
      for (let a = 0; a < ROOTS; a++) {
        const root = `1069${String(a).padStart(3, '0')}`;
        yield `${root},CMCC,${uscc('91110108MA', a)},2020-01-01,,工信部备案${a},true`;
        rows++;
        for (let s = 0; s < SUBS_PER_ROOT; s++) {
          const sub = `${root}${s}`;
          yield `${sub},${uscc('91110108MA', a)},${uscc('91310115MB', a * 10 + s)},2020-06-01,,,${s % 3 === 0 ? 'false' : 'true'}`;
          rows++;
          for (let e = 0; e < perSub && rows < total; e++) {
            yield `${sub}${String(e).padStart(6, '0')},${uscc('91310115MB', a * 10 + s)},${uscc('91330100MC', (a * 7919 + s * 104729 + e) % ENTITIES)},2021-01-01,,,true`;
            rows++;
          }
        }
      }
    })(),
  );
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const { values, positionals } = parseArgs({ allowPositionals: true, options: { allocations: { type: 'string' } } });
  const directory = positionals[0];
  if (!directory) {
    console.error('usage: npx tsx bench/largeDataset.ts DIR [--allocations N]');
    process.exit(2);
  }
  await writeLargeDataset(directory, Number(values.allocations ?? 1_000_000));
  console.log(`wrote ${directory}`);
}
