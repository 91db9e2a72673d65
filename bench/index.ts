/**
 * `npm run bench`: measurements behind the performance statements in the README. This first
 * part measures point-in-time lookups through chainAt over 1,000,000 synthetic allocations
 * (deterministic; no database involved), and the index's build time and memory.
 * Flags: --allocations N (default 1000000), --lookups N (default 1000000), --quick.
 */
import { writeFileSync } from 'node:fs';
import os from 'node:os';
import { parseArgs } from 'node:util';
import { AllocationIndex, chainAt, type IndexedAllocation, type Party } from '../server/chain/allocationIndex.ts';

const { values } = parseArgs({ options: { allocations: { type: 'string' }, lookups: { type: 'string' }, quick: { type: 'boolean', default: false } } });
const allocationCount = Number(values.allocations ?? (values.quick ? 100_000 : 1_000_000));
const lookupCount = Number(values.lookups ?? (values.quick ? 100_000 : 1_000_000));

/** mulberry32: a small deterministic PRNG, so every run measures the same data. */
function prng(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Roots of 8 digits → level-2 re-leases of 10 → entity leaves of 14 digits, about 1% of them reassigned. */
function syntheticAllocations(count: number): IndexedAllocation[] {
  const carrier: Party = { kind: 'carrier', id: 1, key: 'CMCC', name: 'carrier' };
  const allocations: IndexedAllocation[] = [];
  let id = 0;
  const add = (prefix: string, holder: Party, lessee: Party, parent: IndexedAllocation | null, validFrom: string, validTo: string | null) => {
    const allocation = { id: ++id, prefix, parentId: parent?.id ?? null, level: (parent?.level ?? 0) + (lessee.kind === 'agent' ? 1 : 0), holder, lessee, validFrom, validTo, declared: true, miitFilingNo: null };
    allocations.push(allocation);
    return allocation;
  };
  const roots = Math.max(1, Math.round(count / 10_000));
  for (let r = 0; r < roots && allocations.length < count; r++) {
    const first: Party = { kind: 'agent', id: r, key: `A${r}`, name: `agent ${r}` };
    const root = add(`1069${String(r).padStart(4, '0')}`, carrier, first, null, '2020-01-01', null);
    for (let s = 0; s < 100 && allocations.length < count; s++) {
      const second: Party = { kind: 'agent', id: 100_000 + r * 100 + s, key: `B${r}-${s}`, name: `sub-agent ${r}-${s}` };
      const release = add(`${root.prefix}${String(s).padStart(2, '0')}`, first, second, root, '2020-06-01', null);
      for (let e = 0; e < 99 && allocations.length < count; e++) {
        const entity: Party = { kind: 'entity', id: allocations.length, key: `E${allocations.length}`, name: 'entity' };
        const prefix = `${release.prefix}${String(e).padStart(4, '0')}`;
        if (e % 97 === 0) {
          add(prefix, second, entity, release, '2021-01-01', '2022-12-31');
          add(prefix, second, { ...entity, key: `${entity.key}b` }, release, '2023-01-01', null);
        } else {
          add(prefix, second, entity, release, '2021-01-01', null);
        }
      }
    }
  }
  return allocations;
}

function rssMb(): number {
  return Math.round(process.memoryUsage().rss / 1024 / 1024);
}

const rssBefore = rssMb();
let started = performance.now();
const allocations = syntheticAllocations(allocationCount);
const index = new AllocationIndex(allocations);
const buildSeconds = (performance.now() - started) / 1000;
globalThis.gc?.();
const rssIndex = rssMb();

const random = prng(42);
const numbers = Array.from({ length: 10_000 }, () => {
  const leaf = allocations[Math.floor(random() * allocations.length)];
  return leaf.prefix.padEnd(14, '7');
});
const moments = [new Date('2022-03-14T09:30:00+08:00'), new Date('2024-05-01T12:00:00+08:00')];
let found = 0;
started = performance.now();
for (let i = 0; i < lookupCount; i++) {
  if (chainAt(index, numbers[i % numbers.length], moments[i & 1])) found++;
}
const lookupSeconds = (performance.now() - started) / 1000;

const results = {
  cpus: os.cpus().length,
  allocations: index.size,
  lookups: lookupCount,
  index_build_s: Number(buildSeconds.toFixed(2)),
  rss_mb_index: rssIndex,
  rss_mb_before: rssBefore,
  lookup_per_s: Math.round(lookupCount / lookupSeconds),
  lookups_answered: found,
};
console.table(results);
writeFileSync(new URL('./results.json', import.meta.url), `${JSON.stringify(results, null, 2)}\n`);
