import { expect } from 'chai';
import fc from 'fast-check';
import { overlappingPairs } from '../../server/rules/overlaps.ts';
import { dayNumber } from '../../server/numbering/time.ts';
import { agentParty, CMCC, grant } from '../support/snapshot.ts';

const A1 = agentParty('91110108MA01AAAA1', '北京一级通信有限公司');

/** Every pair compared with every other: what overlappingPairs must find, without its sort and stack. */
function everyPair(group: ReturnType<typeof grant>[]) {
  const pairs = new Set<string>();
  const end = (to: string | null) => (to === null ? Infinity : dayNumber(to));
  for (const a of group) {
    for (const b of group) {
      if (a === b) continue;
      const nested = b.prefix.startsWith(a.prefix) && (a.prefix !== b.prefix || a.id < b.id);
      if (nested && dayNumber(a.validFrom) <= end(b.validTo) && dayNumber(b.validFrom) <= end(a.validTo))
        pairs.add([a.id, b.id].sort((x, y) => x - y).join('-'));
    }
  }
  return pairs;
}

describe('overlappingPairs', () => {
  it('finds every pair of nested prefixes with overlapping periods, whatever order the group comes in', () => {
    const days = ['2021-01-01', '2021-06-30', '2022-01-01', '2022-12-31', '2023-07-01'];
    const allocation = fc.record({
      prefix: fc.constantFrom('1069', '10690', '106901', '1069012', '106902', '10691'),
      from: fc.integer({ min: 0, max: days.length - 1 }),
      length: fc.option(fc.integer({ min: 0, max: days.length - 1 })),
    });
    fc.assert(
      fc.property(fc.array(allocation, { maxLength: 12 }), (drawn) => {
        const group = drawn.map(({ prefix, from, length }) =>
          grant(prefix, CMCC, A1, {
            from: days[from],
            to: length === null ? null : days[Math.min(days.length - 1, from + length)],
          }),
        );
        const found = [...overlappingPairs(group)].map(([a, b]) => [a.id, b.id].sort((x, y) => x - y).join('-'));
        expect(found.length, 'no pair twice').to.equal(new Set(found).size);
        expect(new Set(found)).to.deep.equal(everyPair(group));
      }),
      { numRuns: 500 },
    );
  });
});
