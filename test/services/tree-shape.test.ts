import { expect } from 'chai';
import { AllocationIndex, type IndexedAllocation } from '../../server/chain/allocationIndex.ts';
import { dayNumber } from '../../server/numbering/time.ts';
import {
  growTree,
  layoutTree,
  LAYOUT,
  NO_FINDING,
  rerootAtOnlyChild,
  treeCsvRows,
  treeIndexOf,
  visibleTree,
  walkTree,
  worstFindingOf,
  type FindingMarks,
  type TreeNode,
  type VisibleNode,
  type VisibleOptions,
} from '../../server/services/tree/tree.ts';
import type { TrafficTally } from '../../server/services/tree/treeTraffic.ts';
import { icicleLayout } from '../../server/services/tree/icicle.ts';
import { agentParty, CMCC, entityParty, grant } from '../support/snapshot.ts';

// The tree service's pure parts, on allocations built in memory: which allocations a day's tree
// holds, what is drawn of it, and where.

const noTraffic = (): TrafficTally => ({
  messagesByAllocation: new Map(),
  complaintsByAllocation: new Map(),
  complaintsByAgentMonth: new Map(),
});
const noMarks = (): FindingMarks => ({ byAgent: new Map(), byEntity: new Map(), byPrefix: new Map() });

function treeOn(allocations: IndexedAllocation[], date: string, marks = noMarks(), tally = noTraffic()): TreeNode {
  const treeIndex = treeIndexOf(new AllocationIndex(allocations));
  return growTree(CMCC, NO_FINDING, treeIndex.rootsByCarrier.get(CMCC.id) ?? [], {
    treeIndex,
    day: dayNumber(date),
    marks,
    tally,
  });
}

const names = (node: TreeNode): unknown =>
  node.children.length === 0 ? node.party.name : { [node.party.name]: node.children.map(names) };
const drawn = (v: VisibleNode): unknown => {
  const name = v.node ? v.node.party.name : `+${v.more!.count}`;
  return v.children.length === 0 ? name : { [name]: v.children.map(drawn) };
};
const options = (overrides: Partial<VisibleOptions> = {}): VisibleOptions => ({
  depth: 8,
  toggled: new Set(),
  hits: new Set(),
  maxChildren: 25,
  maxNodes: 1000,
  ...overrides,
});
const find = (root: TreeNode, name: string) => [...walkTree(root)].find((n) => n.party.name === name)!;

describe('tree service: the tree on a day', () => {
  const a1 = agentParty('91110108MA01AAAA1', 'A1');
  const a2 = agentParty('91310115MA02BBBB2', 'A2');
  const shop = entityParty('91330100MA04DDDD4', 'shop');
  const logistics = entityParty('91330100MA05EEEE5', 'logistics');
  const root = grant('1069012345', CMCC, a1, { from: '2021-01-01' });
  const release = grant('106901234501', a1, a2, {
    parent: root,
    from: '2021-06-01',
    to: '2022-12-31',
    declared: false,
  });
  const before = grant('10690123450188', a2, shop, { parent: release, from: '2022-01-01', to: '2023-06-30' });
  const after = grant('10690123450188', a2, logistics, { parent: release, from: '2023-07-01' });
  const allocations = [root, release, before, after];

  it('holds the allocations valid that day whose whole ancestry was valid too, as chainAt would walk them', () => {
    expect(names(treeOn(allocations, '2022-03-14'))).to.deep.equal({ 中国移动: [{ A1: [{ A2: ['shop'] }] }] });
    // The re-lease ended on 2022-12-31: the number granted under it from 2023-07-01 hangs from nothing valid.
    expect(names(treeOn(allocations, '2023-08-01'))).to.deep.equal({ 中国移动: ['A1'] });
    expect(names(treeOn(allocations, '2020-12-31'))).to.equal('中国移动');
  });

  it('counts numbers and nodes below each node, and carries the worst finding up the tree', () => {
    const marks = noMarks();
    marks.byEntity.set(shop.key, 2);
    const tree = treeOn(allocations, '2022-03-14', marks);
    expect([tree.numbers, tree.descendants, tree.subtreeWorst]).to.deep.equal([1, 3, 2]);
    expect([find(tree, 'A1').worst, find(tree, 'A1').subtreeWorst]).to.deep.equal([NO_FINDING, 2]);
  });

  it('adds up messages and complaints at the top from its children only (each message passes through one of them)', () => {
    const tally = noTraffic();
    for (const [id, n] of [
      [root.id, 5],
      [release.id, 4],
      [before.id, 4],
    ])
      tally.messagesByAllocation.set(id, n);
    tally.complaintsByAllocation.set(root.id, 2);
    const tree = treeOn(allocations, '2022-03-14', noMarks(), tally);
    expect([tree.messages, tree.complaints]).to.deep.equal([5, 2]);
    expect(find(tree, 'A2').messages).to.equal(4);
  });

  it('colours an allocation by findings naming its lessee or its prefix, but not a prefix finding about another entity', () => {
    const marks = noMarks();
    marks.byAgent.set(a2.key, 1);
    marks.byPrefix.set('10690123450188', [{ entity: shop.key, rank: 3 }]);
    marks.byPrefix.set('1069012345', [{ entity: null, rank: 0 }]);
    expect(worstFindingOf(release, marks)).to.equal(1);
    expect(worstFindingOf(before, marks)).to.equal(3);
    expect(worstFindingOf(after, marks), 'the number reassigned to logistics').to.equal(NO_FINDING);
    expect(worstFindingOf(root, marks)).to.equal(0);
  });

  it("reroots an agent's drawing at its only holding, one level shallower", () => {
    const tree = rerootAtOnlyChild(treeOn(allocations, '2022-03-14'));
    expect([tree.party.name, tree.depth, tree.parent, find(tree, 'shop').depth]).to.deep.equal(['A1', 0, null, 2]);
  });

  it('writes one CSV row per allocation, parents first, with depth, level and the path from the carrier', () => {
    const rows = [...treeCsvRows(treeOn(allocations, '2022-03-14'))];
    expect(rows.map((r) => [r[1], r[2], r[3], r[18], r[19]])).to.deep.equal([
      ['1', '1', '1069012345', '1069012345', '中国移动 > A1'],
      ['2', '2', '106901234501', '1069012345/106901234501', '中国移动 > A1 > A2'],
      // (grant() counts every step as a level; the importer does not for entities: the CSV copies what is stored.)
      ['3', '3', '10690123450188', '1069012345/106901234501/10690123450188', '中国移动 > A1 > A2 > shop'],
    ]);
    expect(rows[1][12], 'declared').to.equal('false');
  });
});

describe('tree service: what is drawn', () => {
  // CMCC → A1 → 30 entity numbers, and A1 → A2 → 3 more; the numbers 27 and 28 have findings.
  const a1 = agentParty('91110108MA01AAAA1', 'A1');
  const a2 = agentParty('91310115MA02BBBB2', 'A2');
  const root = grant('1069012345', CMCC, a1);
  const release = grant('106901234599', a1, a2, { parent: root });
  const leaves = Array.from({ length: 30 }, (_, i) =>
    grant(
      `10690123450${String(i).padStart(3, '0')}`,
      a1,
      entityParty(`91330100MA0${String(i).padStart(6, '0')}`, `e${i}`),
      { parent: root },
    ),
  );
  const deeper = Array.from({ length: 3 }, (_, i) =>
    grant(`10690123459900${i}`, a2, entityParty(`91330100MB0${String(i).padStart(6, '0')}`, `d${i}`), {
      parent: release,
    }),
  );
  const marks = noMarks();
  marks.byEntity.set(leaves[27].lessee.key, 2);
  marks.byEntity.set(leaves[28].lessee.key, 3);
  const tree = treeOn([root, release, ...leaves, ...deeper], '2024-01-01', marks);
  const a1Node = find(tree, 'A1');
  const a2Node = find(tree, 'A2');

  it('opens the levels above the chosen depth and counts what a shut node hides', () => {
    const { top } = visibleTree(tree, options({ depth: 1 }));
    expect(drawn(top)).to.deep.equal({ 中国移动: ['A1'] });
    expect([top.children[0].open, top.children[0].hidden, top.children[0].togglable]).to.deep.equal([false, 34, true]);
  });

  it("flips a node's default when its id is toggled: shut nodes open, open nodes shut", () => {
    const opened = visibleTree(tree, options({ depth: 1, toggled: new Set([root.id]), maxChildren: 50 })).top;
    expect(opened.children[0].children.map((c) => c.node!.party.name)).to.include.members(['A2', 'e0', 'e29']);
    const shut = visibleTree(tree, options({ depth: 8, toggled: new Set([root.id]) })).top;
    expect(drawn(shut)).to.deep.equal({ 中国移动: ['A1'] });
  });

  it('draws at most maxChildren children, keeps those with the worst findings, and sums the rest into one "+N more" node', () => {
    const { top, drawn: boxes, allocationsDrawn } = visibleTree(tree, options({ depth: 2, maxChildren: 5 }));
    // The carrier, A1, five numbers and the "+N more" box; six of them allocations.
    expect([boxes, allocationsDrawn]).to.deep.equal([8, 6]);
    const children = top.children[0].children;
    // The two with findings, then the first in prefix order, drawn in prefix order.
    expect(children.map((c) => (c.node ? c.node.party.name : 'more'))).to.deep.equal([
      'e0',
      'e1',
      'e2',
      'e27',
      'e28',
      'more',
    ]);
    const more = children[5].more!;
    // e3…e26 and e29 (25 numbers), and A2 with its 3 numbers.
    expect([more.count, more.numbers, more.worst, more.parent]).to.deep.equal([29, 28, NO_FINDING, a1Node]);
  });

  it('colours the "+N more" node by the worst finding on the siblings it stands for', () => {
    const { top } = visibleTree(tree, options({ depth: 2, maxChildren: 1 }));
    const more = top.children[0].children.find((c) => c.more)!.more!;
    expect([more.count, more.worst]).to.deep.equal([33, 2]);
  });

  it('keeps what is below a node apart from its own findings, on a node and on a "+N more" node', () => {
    const below = noMarks();
    below.byEntity.set(deeper[1].lessee.key, 3);
    below.byAgent.set(a1.key, 0);
    // e5 is as bad as the worst below A2 and comes first in prefix order: it is the one drawn.
    below.byEntity.set(leaves[5].lessee.key, 3);
    const risky = treeOn([root, release, ...leaves, ...deeper], '2024-01-01', below);
    const a1Risky = find(risky, 'A1');
    expect([a1Risky.worst, a1Risky.belowWorst, a1Risky.subtreeWorst]).to.deep.equal([0, 3, 3]);
    expect([find(risky, 'A2').worst, find(risky, 'A2').belowWorst]).to.deep.equal([NO_FINDING, 3]);
    // A2 is among what "+N more" stands for: its own colour is none, the risk below it critical.
    const { top } = visibleTree(risky, options({ depth: 2, maxChildren: 1 }));
    expect(top.children[0].children[0].node!.party.name).to.equal('e5');
    const more = top.children[0].children.find((c) => c.more)!.more!;
    expect([more.worst, more.belowWorst]).to.deep.equal([NO_FINDING, 3]);
  });

  it('lays the whole tree out as an icicle, drawing thin neighbours as one cell led by the worst of them', () => {
    // 33 leaves in 33 units: each number is one unit tall, thinner than a cell is drawn alone.
    const layout = icicleLayout(tree, { height: 33, minCell: 3 })!;
    expect(layout.columns.map((c) => [c.depth, c.allocations, c.worst])).to.deep.equal([
      [1, 1, NO_FINDING],
      [2, 31, 3],
      [3, 3, NO_FINDING],
    ]);
    const cells = (depth: number) =>
      layout.cells
        .filter((c) => c.depth === depth)
        .map((c) => [c.lead.party.name, c.count, c.worst, Math.round(c.y0), Math.round(c.y1)]);
    expect(cells(1)).to.deep.equal([['A1', 1, NO_FINDING, 0, 33]]);
    // e0…e29 (in prefix order) in threes, e28 leading its three; A2, three units tall, alone.
    expect(cells(2)).to.have.length(11);
    expect(cells(2)[9]).to.deep.equal(['e28', 3, 3, 27, 30]);
    expect(cells(2)[10]).to.deep.equal(['A2', 1, NO_FINDING, 30, 33]);
    expect(cells(3)).to.deep.equal([['d0', 3, NO_FINDING, 30, 33]]);
    expect(icicleLayout(treeOn([root], '2024-01-01').children[0])).to.equal(null);
  });

  it('draws a search hit and the way to it whatever the depth and the cap, held open (no toggle on the way)', () => {
    const hit = find(tree, 'd2');
    const { top } = visibleTree(tree, options({ depth: 1, maxChildren: 1, hits: new Set([hit]) }));
    const a1Visible = top.children[0];
    expect([a1Visible.open, a1Visible.togglable, a1Visible.onPath]).to.deep.equal([true, false, true]);
    const a2Visible = a1Visible.children.find((c) => c.node === a2Node)!;
    expect(a2Visible.children.map((c) => [c.node?.party.name ?? `+${c.more!.count}`, c.hit, c.onPath])).to.deep.equal([
      ['d2', true, true],
      ['+2', false, false],
    ]);
  });

  it('stops opening nodes once maxNodes are drawn, and says so', () => {
    const visible = visibleTree(tree, options({ depth: 8, maxChildren: 50, maxNodes: 10 }));
    expect(visible.budgetHit).to.equal(true);
    expect(visible.drawn).to.be.at.most(11);
    expect(visibleTree(tree, options({ depth: 8, maxChildren: 50 })).budgetHit).to.equal(false);
  });

  it('lays the drawing out left to right: a column per depth, no two boxes overlapping, inside the canvas', () => {
    const { top } = visibleTree(tree, options({ depth: 8, maxChildren: 50 }));
    const layout = layoutTree(top);
    expect(layout.nodes).to.have.length(36);
    expect(layout.links).to.have.length(35);
    for (const { visible, x } of layout.nodes) expect(x).to.equal(LAYOUT.margin + visible.node!.depth * LAYOUT.column);
    const byColumn = new Map<number, number[]>();
    for (const { x, y } of layout.nodes) byColumn.set(x, [...(byColumn.get(x) ?? []), y]);
    for (const ys of byColumn.values()) {
      ys.sort((p, q) => p - q);
      for (let i = 1; i < ys.length; i++) expect(ys[i] - ys[i - 1]).to.be.at.least(LAYOUT.nodeHeight);
    }
    for (const { x, y } of layout.nodes) {
      expect(x + LAYOUT.nodeWidth).to.be.at.most(layout.width);
      expect(y + LAYOUT.nodeHeight).to.be.at.most(layout.height);
      expect(y).to.be.at.least(0);
    }
  });
});
