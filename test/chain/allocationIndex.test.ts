import { expect } from 'chai';
import { AllocationIndex, chainAt, type IndexedAllocation, type Party } from '../../server/chain/allocationIndex.ts';

const carrier: Party = { kind: 'carrier', id: 1, key: 'CMCC', name: '中国移动' };
const agent = (id: number): Party => ({ kind: 'agent', id, key: `AGENT${id}`, name: `代理商${id}` });
const entity = (id: number): Party => ({ kind: 'entity', id, key: `ENTITY${id}`, name: `主体${id}` });

let nextId = 1;
function allocation(
  prefix: string,
  holder: Party,
  lessee: Party,
  parent: IndexedAllocation | null,
  validFrom: string,
  validTo: string | null = null,
): IndexedAllocation {
  const level = (parent?.level ?? 0) + (lessee.kind === 'agent' ? 1 : 0);
  return {
    id: nextId++,
    prefix,
    parentId: parent?.id ?? null,
    level,
    holder,
    lessee,
    validFrom,
    validTo,
    declared: true,
    miitFilingNo: null,
  };
}

const at = (iso: string) => new Date(iso);

describe('chainAt', () => {
  // CMCC → A1 → A2 → A3 → A4 → entity: the article's four-level chain.
  const root = allocation('10692283', carrier, agent(1), null, '2021-01-01');
  const l2 = allocation('1069228312', agent(1), agent(2), root, '2021-02-01');
  const l3 = allocation('106922831234', agent(2), agent(3), l2, '2021-03-01');
  const l4 = allocation('10692283123456', agent(3), agent(4), l3, '2021-04-01', '2023-12-31');
  const before = allocation('1069228312345678', agent(4), entity(1), l4, '2022-01-01', '2022-06-30');
  const after = allocation('1069228312345678', agent(4), entity(2), l4, '2022-07-01');
  const direct = allocation('1069228399', agent(1), entity(3), root, '2021-01-15');
  const index = new AllocationIndex([after, before, direct, l4, l3, l2, root].reverse());

  it('draws the whole chain root→leaf with levels and the registered entity', () => {
    const chain = chainAt(index, '1069228312345678', at('2022-03-14T09:30:00+08:00'))!;
    expect(chain.links.map((l) => [l.prefix, l.level])).to.deep.equal([
      ['10692283', 1],
      ['1069228312', 2],
      ['106922831234', 3],
      ['10692283123456', 4],
      ['1069228312345678', 4],
    ]);
    expect(chain.entity?.key).to.equal('ENTITY1');
  });

  it('answers a past moment with the entity that held the number then, and now with its successor', () => {
    expect(chainAt(index, '1069228312345678', at('2022-06-30T23:59:59+08:00'))!.entity?.key).to.equal('ENTITY1');
    expect(chainAt(index, '1069228312345678', at('2022-07-01T00:00:00+08:00'))!.entity?.key).to.equal('ENTITY2');
  });

  it('treats the day in Beijing time, not UTC', () => {
    // 2022-06-30T16:30Z is already 1 July in Beijing.
    expect(chainAt(index, '1069228312345678', at('2022-06-30T16:30:00Z'))!.entity?.key).to.equal('ENTITY2');
  });

  it('ends at the deepest agent when no entity holds the number', () => {
    const chain = chainAt(index, '10692283123456', at('2022-03-14T00:00:00+08:00'))!;
    expect(chain.links.at(-1)!.lessee.key).to.equal('AGENT4');
    expect(chain.entity).to.equal(null);
  });

  it('drops a grant whose parent had expired: a child cannot outlive what it was carved from', () => {
    // l4 ends 2023-12-31, so in 2024 the entity grant under it no longer resolves.
    const chain = chainAt(index, '1069228312345678', at('2024-05-01T12:00:00+08:00'))!;
    expect(chain.links.map((l) => l.prefix)).to.deep.equal(['10692283', '1069228312', '106922831234']);
  });

  it('says none when nothing covered the number at that moment', () => {
    expect(chainAt(index, '1069228312345678', at('2020-12-31T23:59:59+08:00'))).to.equal(null);
    expect(chainAt(index, '10690000000000', at('2022-03-14T00:00:00+08:00'))).to.equal(null);
  });

  it('does not match a prefix longer than the number', () => {
    expect(chainAt(index, '1069228312345', at('2022-03-14T00:00:00+08:00'))!.links.at(-1)!.prefix).to.equal(
      '106922831234',
    );
  });

  it('follows a re-lease of a whole prefix to the deeper holder', () => {
    const top = allocation('10690555', carrier, agent(7), null, '2021-01-01');
    const same = allocation('10690555', agent(7), agent(8), top, '2021-01-01');
    const chain = chainAt(new AllocationIndex([same, top]), '1069055512', at('2022-01-01T00:00:00+08:00'))!;
    expect(chain.links.map((l) => l.lessee.key)).to.deep.equal(['AGENT7', 'AGENT8']);
  });

  it('prefers the longest prefix among overlapping siblings', () => {
    const top = allocation('10690777', carrier, agent(7), null, '2021-01-01');
    const wide = allocation('1069077712', agent(7), entity(5), top, '2021-01-01');
    const narrow = allocation('106907771234', agent(7), entity(6), top, '2021-01-01');
    const chain = chainAt(new AllocationIndex([wide, narrow, top]), '10690777123456', at('2022-01-01T00:00:00+08:00'))!;
    expect(chain.links.map((l) => l.prefix)).to.deep.equal(['10690777', '106907771234']);
    expect(chain.entity?.key).to.equal('ENTITY6');
  });
});
