import { expect } from 'chai';
import fc from 'fast-check';
import {
  AllocationIndex,
  AllocationIndexBuilder,
  chainAt,
  shanghaiDayNumber,
  type Chain,
  type IndexedAllocation,
  type Party,
} from '../../server/chain/allocationIndex.ts';
import { dateOfDayNumber, dayNumber } from '../../server/numbering/time.ts';

// The index keeps allocations in columns behind a digit trie. These tests hold it to the plain
// model it replaced: a map from each exact prefix to its allocations, probed per prefix length.

/** The index before it went columnar (exact-prefix map, objects per allocation), as the reference. */
/** The index's number of each party it was given (Chain.entityNumber), NaN for one it does not know. */
function partyNumbering(index: AllocationIndex): (party: Party) => number {
  const numbers = new Map(Array.from({ length: index.partyCount }, (_, n) => [index.party(n), n]));
  return (party) => numbers.get(party) ?? Number.NaN;
}

/** `partyNumber`: the index's number of a party, which the chain gives for its entity. */
function referenceChainAt(
  allocations: readonly IndexedAllocation[],
  number: string,
  at: Date,
  partyNumber: (party: Party) => number,
): Chain | null {
  const byPrefix = new Map<string, Array<{ allocation: IndexedAllocation; fromDay: number; toDay: number }>>();
  for (const allocation of allocations) {
    const entry = {
      allocation,
      fromDay: dayNumber(allocation.validFrom),
      toDay: allocation.validTo === null ? Number.POSITIVE_INFINITY : dayNumber(allocation.validTo),
    };
    const list = byPrefix.get(allocation.prefix);
    if (list) list.push(entry);
    else byPrefix.set(allocation.prefix, [entry]);
  }
  for (const list of byPrefix.values())
    list.sort((a, b) => a.allocation.level - b.allocation.level || a.allocation.id - b.allocation.id);
  const lengths = [...new Set(allocations.map((a) => a.prefix.length))].sort((a, b) => a - b);
  const day = shanghaiDayNumber(at);
  const links: IndexedAllocation[] = [];
  for (const length of lengths) {
    if (length > number.length) break;
    for (const { allocation, fromDay, toDay } of byPrefix.get(number.slice(0, length)) ?? []) {
      if (day < fromDay || day > toDay) continue;
      if (allocation.parentId === null) {
        links.length = 0;
        links.push(allocation);
        continue;
      }
      const parentAt = links.findIndex((link) => link.id === allocation.parentId);
      if (parentAt >= 0) {
        links.length = parentAt + 1;
        links.push(allocation);
      }
    }
  }
  if (links.length === 0) return null;
  const leaf = links[links.length - 1];
  const entity = leaf.lessee.kind === 'entity' ? leaf.lessee : null;
  return { number, at, links, entity, entityNumber: entity ? partyNumber(entity) : -1 };
}

const carrier: Party = { kind: 'carrier', id: 1, key: 'CMCC', name: '中国移动' };
const agents: Party[] = Array.from({ length: 4 }, (_, i) => ({
  kind: 'agent',
  id: 10 + i,
  key: `AGENT${i}`,
  name: `代理商${i}`,
}));
const entities: Party[] = Array.from({ length: 4 }, (_, i) => ({
  kind: 'entity',
  id: 20 + i,
  key: `ENTITY${i}`,
  name: `主体${i}`,
}));
const BASE_DAY = dayNumber('2021-01-01');

/** A plan for one allocation: which earlier one it hangs from, what it adds to the prefix, when. */
const grantPlan = fc.record({
  parent: fc.nat(),
  root: fc.boolean(),
  digits: fc.stringMatching(/^[0-9]{0,3}$/),
  entity: fc.boolean(),
  party: fc.nat(3),
  from: fc.nat(400),
  span: fc.option(fc.nat(400)),
  declared: fc.boolean(),
  filed: fc.boolean(),
  orphan: fc.nat(19),
});

type GrantPlan = typeof grantPlan extends fc.Arbitrary<infer T> ? T : never;

function buildForest(plans: GrantPlan[]): IndexedAllocation[] {
  const allocations: IndexedAllocation[] = [];
  plans.forEach((plan, i) => {
    const parent = allocations.length > 0 && !plan.root ? allocations[plan.parent % allocations.length] : null;
    const prefix = parent ? `${parent.prefix}${plan.digits}` : `1069${String(i % 3)}${plan.digits}`;
    const lessee = plan.entity ? entities[plan.party] : agents[plan.party];
    const from = BASE_DAY + plan.from;
    allocations.push({
      // Ids are not in insertion order, and now and then a parent id points at nothing.
      id: 1000 - i * 7,
      prefix,
      parentId: parent ? (plan.orphan === 0 ? 99_999 : parent.id) : null,
      level: (parent?.level ?? 0) + (lessee.kind === 'agent' ? 1 : 0),
      holder: parent ? parent.lessee : carrier,
      lessee,
      validFrom: dateOfDayNumber(from),
      validTo: plan.span === null ? null : dateOfDayNumber(from + plan.span),
      declared: plan.declared,
      miitFilingNo: plan.filed ? `工信部备案${i}` : null,
    });
  });
  return allocations;
}

describe('AllocationIndex (columnar, digit trie) against the exact-prefix map it replaced', () => {
  it('answers every lookup with the same chain, links and entity as the reference model', () => {
    fc.assert(
      fc.property(
        fc.array(grantPlan, { minLength: 1, maxLength: 40 }),
        fc.array(
          fc.record({
            pick: fc.nat(),
            tail: fc.stringMatching(/^[0-9]{0,6}$/),
            cut: fc.nat(3),
            day: fc.integer({ min: -10, max: 900 }),
          }),
          { minLength: 1, maxLength: 30 },
        ),
        fc.nat(),
        (plans, lookups, seed) => {
          const allocations = buildForest(plans);
          const shuffled = [...allocations].sort(
            (a, b) => ((a.id * 2654435761 + seed) >>> 0) - ((b.id * 2654435761 + seed) >>> 0),
          );
          const index = new AllocationIndex(shuffled);
          const partyNumber = partyNumbering(index);
          for (const lookup of lookups) {
            const base = allocations[lookup.pick % allocations.length].prefix;
            const number = `${base}${lookup.tail}`.slice(0, Math.max(3, base.length + lookup.tail.length - lookup.cut));
            const at = new Date(`${dateOfDayNumber(BASE_DAY + lookup.day)}T12:00:00+08:00`);
            expect(chainAt(index, number, at)).to.deep.equal(referenceChainAt(allocations, number, at, partyNumber));
          }
        },
      ),
      { numRuns: 300 },
    );
  });

  it('gives back every allocation it was given, field for field (all and entries)', () => {
    fc.assert(
      fc.property(fc.array(grantPlan, { minLength: 1, maxLength: 30 }), (plans) => {
        const allocations = buildForest(plans);
        const index = new AllocationIndex(allocations);
        const byId = (list: IndexedAllocation[]) => [...list].sort((a, b) => a.id - b.id);
        expect(index.size).to.equal(allocations.length);
        expect(byId([...index.all()])).to.deep.equal(byId(allocations));
        for (const prefix of new Set(allocations.map((a) => a.prefix))) {
          const entries = index.entries(prefix)!;
          expect(byId(entries.map((e) => e.allocation))).to.deep.equal(
            byId(allocations.filter((a) => a.prefix === prefix)),
          );
          expect(entries.map((e) => e.allocation.level)).to.deep.equal(
            entries.map((e) => e.allocation.level).sort((a, b) => a - b),
          );
        }
        expect(index.prefixLengths()).to.deep.equal(
          [...new Set(allocations.map((a) => a.prefix.length))].sort((a, b) => a - b),
        );
      }),
      { numRuns: 200 },
    );
  });

  it('returns the very party objects it was given, each interned once', () => {
    const root: IndexedAllocation = {
      id: 1,
      prefix: '10690',
      parentId: null,
      level: 1,
      holder: carrier,
      lessee: agents[0],
      validFrom: '2021-01-01',
      validTo: null,
      declared: true,
      miitFilingNo: 'F1',
    };
    const leaf: IndexedAllocation = {
      id: 2,
      prefix: '1069012',
      parentId: 1,
      level: 1,
      holder: agents[0],
      lessee: entities[0],
      validFrom: '2021-01-01',
      validTo: '2030-12-31',
      declared: false,
      miitFilingNo: null,
    };
    const chain = chainAt(new AllocationIndex([leaf, root]), '10690123', new Date('2022-01-01T00:00:00+08:00'))!;
    expect(chain.links[0].holder).to.equal(carrier);
    expect(chain.links[1].holder).to.equal(agents[0]);
    expect(chain.entity).to.equal(entities[0]);
  });

  it('keeps ids past 32 bits exactly (TiDB AUTO_RANDOM ids, docs/scaling.md), a parent it does not hold by id, and far-off dates', () => {
    const rootId = 2 ** 52 + 3;
    const root: IndexedAllocation = {
      id: rootId,
      prefix: '10690',
      parentId: null,
      level: 1,
      holder: carrier,
      lessee: agents[0],
      validFrom: '2021-01-01',
      validTo: null,
      declared: true,
      miitFilingNo: 'F1',
    };
    const grant: IndexedAllocation = {
      id: 2 ** 40 + 1,
      prefix: '1069012',
      parentId: rootId,
      level: 1,
      holder: agents[0],
      lessee: entities[0],
      validFrom: '2021-01-01',
      validTo: '9999-12-31',
      declared: false,
      miitFilingNo: null,
    };
    const orphan: IndexedAllocation = {
      id: 2 ** 33,
      prefix: '1069099',
      parentId: 2 ** 45 + 7,
      level: 1,
      holder: agents[1],
      lessee: entities[1],
      validFrom: '2021-01-01',
      validTo: null,
      declared: true,
      miitFilingNo: null,
    };
    const index = new AllocationIndex([grant, orphan, root]);
    const chain = chainAt(index, '10690123', new Date('2022-01-01T00:00:00+08:00'))!;
    expect(chain.links).to.deep.equal([root, grant]);
    expect([...index.all()].sort((a, b) => a.id - b.id)).to.deep.equal([orphan, grant, root]);
    const rebuilt = new AllocationIndex(structuredClone(index.shareableParts()));
    expect([...rebuilt.all()].sort((a, b) => a.id - b.id)).to.deep.equal([orphan, grant, root]);
  });

  for (const expected of [undefined, 1, 1000]) {
    it(`is built the same from a builder fed row by row as from a list (builder told to expect ${expected ?? 'nothing'})`, () => {
      const allocations = buildForest(fc.sample(grantPlan, { numRuns: 50, seed: 7 }));
      const builder = new AllocationIndexBuilder(expected);
      for (const a of allocations) builder.add(a);
      const fromBuilder = builder.build();
      const fromList = new AllocationIndex(allocations);
      expect(fromBuilder.size).to.equal(allocations.length);
      for (const a of allocations) {
        const at = new Date(`${a.validFrom}T08:00:00+08:00`);
        expect(chainAt(fromBuilder, `${a.prefix}55`, at)).to.deep.equal(chainAt(fromList, `${a.prefix}55`, at));
      }
    });
  }

  it('gives back the memory its build used, all but the index itself, before buildFreed settles, and then takes no more rows', async () => {
    const allocations: IndexedAllocation[] = [];
    for (let i = 0; i < 200_000; i++) {
      allocations.push({
        id: i + 1,
        prefix: `10690${String(i).padStart(6, '0')}`,
        parentId: null,
        level: 1,
        holder: carrier,
        lessee: entities[i % entities.length],
        validFrom: '2021-01-01',
        validTo: null,
        declared: true,
        miitFilingNo: null,
      });
    }
    const builder = new AllocationIndexBuilder(allocations.length);
    for (const a of allocations) builder.add(a);
    const beforeBuild = process.memoryUsage().arrayBuffers;
    const index = builder.build();
    await index.buildFreed;
    // The index's cells (32 bytes a record, the trie's blocks) are new; the builder's 32-byte
    // records, its columns (16 bytes a row), its trie and the layout's arrays are gone.
    const grown = process.memoryUsage().arrayBuffers - beforeBuild;
    expect(grown).to.be.below(allocations.length * 8);
    expect(chainAt(index, '106900012345', new Date('2022-01-01T00:00:00+08:00'))!.links.map((l) => l.id)).to.deep.equal(
      [1235],
    );
    expect(() => builder.add(allocations[0])).to.throw(Error, /builds one index/);
  });

  it('answers the same when rebuilt from its shareable parts, which live in shared memory', () => {
    const allocations = buildForest(fc.sample(grantPlan, { numRuns: 50, seed: 11 }));
    const index = new AllocationIndex(allocations);
    const parts = index.shareableParts();
    expect(parts.cells.buffer).to.be.instanceOf(SharedArrayBuffer);
    const rebuilt = new AllocationIndex(structuredClone(parts));
    // The parts keep the parties in order: the rebuilt index numbers them as the original does.
    const partyNumber = partyNumbering(index);
    for (const a of allocations) {
      const at = new Date(`${a.validFrom}T08:00:00+08:00`);
      expect(chainAt(rebuilt, `${a.prefix}55`, at)).to.deep.equal(
        referenceChainAt(allocations, `${a.prefix}55`, at, partyNumber),
      );
      expect(chainAt(index, `${a.prefix}55`, at)).to.deep.equal(
        referenceChainAt(allocations, `${a.prefix}55`, at, partyNumber),
      );
    }
    expect([...rebuilt.all()].sort((a, b) => a.id - b.id)).to.deep.equal([...allocations].sort((a, b) => a.id - b.id));
  });

  it('follows a chain deeper than its working stack (whole-prefix re-leases, 150 levels)', () => {
    const chain: IndexedAllocation[] = [];
    for (let level = 1; level <= 150; level++) {
      const parent = chain[chain.length - 1];
      chain.push({
        id: level,
        prefix: level <= 8 ? '1069'.padEnd(3 + level, '1') : '10691111111',
        parentId: parent?.id ?? null,
        level,
        holder: parent?.lessee ?? carrier,
        lessee: { kind: 'agent', id: 100 + level, key: `A${level}`, name: `代理商${level}` },
        validFrom: '2021-01-01',
        validTo: null,
        declared: true,
        miitFilingNo: null,
      });
    }
    const at = new Date('2022-01-01T00:00:00+08:00');
    const index = new AllocationIndex([...chain].reverse());
    const answer = chainAt(index, '106911111112222', at)!;
    expect(answer.links).to.have.length(150);
    expect(answer).to.deep.equal(referenceChainAt(chain, '106911111112222', at, partyNumbering(index)));
  });

  it('stops at a character that is not a digit, and refuses a prefix that is not digits', () => {
    const root: IndexedAllocation = {
      id: 1,
      prefix: '10690',
      parentId: null,
      level: 1,
      holder: carrier,
      lessee: agents[0],
      validFrom: '2021-01-01',
      validTo: null,
      declared: true,
      miitFilingNo: null,
    };
    const index = new AllocationIndex([root]);
    expect(chainAt(index, '1069x', new Date('2022-01-01T00:00:00Z'))).to.equal(null);
    expect(chainAt(index, '10690x1', new Date('2022-01-01T00:00:00Z'))!.links.map((l) => l.prefix)).to.deep.equal([
      '10690',
    ]);
    expect(() => new AllocationIndex([{ ...root, prefix: '1069a' }])).to.throw(RangeError, /digits only/);
    // A builder that refused a row goes on as if it had never been given it.
    const builder = new AllocationIndexBuilder();
    expect(() => builder.add({ ...root, id: 2, prefix: '106x9' })).to.throw(RangeError, /digits only/);
    builder.add(root);
    expect(chainAt(builder.build(), '1069012', new Date('2022-01-01T00:00:00Z'))!.links).to.deep.equal([root]);
  });
});
