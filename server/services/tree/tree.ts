import { hierarchy, tree as tidyTree } from 'd3-hierarchy';
import type { DataSource } from 'typeorm';
import { chainAt, type AllocationIndex, type IndexedAllocation, type Party } from '../../chain/allocationIndex.ts';
import { Carrier, Finding } from '../../entities/index.ts';
import { SEVERITIES, type Severity } from '../../entities/Finding.ts';
import { parse106 } from '../../numbering/number106.ts';
import { dayNumber } from '../../numbering/time.ts';
import { normaliseUscc } from '../../numbering/uscc.ts';
import { allocationIndexFor } from '../lookup/lookup.ts';
import { coversCarrier, type Scope } from '../accounts/scope.ts';
import { trafficTallyFor, type TrafficTally } from './treeTraffic.ts';
import { UserError } from '../../errors.ts';

// Issue 6, "Hierarchy views for regulators": a carrier's allocations on one day as a tree
// (carrier → first-level agents → sub-agents → entities), cut down to what a person can read,
// laid out with d3-hierarchy for a server-rendered SVG.

// ---------------------------------------------------------------- the allocations as a tree

/** An allocation with its validity as day numbers and the carrier its chain starts at. */
export interface DatedAllocation {
  allocation: IndexedAllocation;
  fromDay: number;
  toDay: number;
  carrierId: number;
}

/** Parent → children links over the whole index, built once per index. */
export interface TreeIndex {
  byId: Map<number, DatedAllocation>;
  /** Children of each allocation, by prefix then start date. */
  children: Map<number, DatedAllocation[]>;
  /** Each carrier's grants to first-level agents, by prefix then start date. */
  rootsByCarrier: Map<number, DatedAllocation[]>;
  /** Allocations by lessee, `agent:<uscc>` / `entity:<uscc>`. */
  byLessee: Map<string, DatedAllocation[]>;
}

const MAX_CHAIN = 64;

function byPrefix(a: DatedAllocation, b: DatedAllocation): number {
  return a.allocation.prefix < b.allocation.prefix
    ? -1
    : a.allocation.prefix > b.allocation.prefix
      ? 1
      : a.fromDay - b.fromDay || a.allocation.id - b.allocation.id;
}

export const lesseeKey = (party: Pick<Party, 'kind' | 'key'>) => `${party.kind}:${party.key}`;

function buildTreeIndex(index: AllocationIndex): TreeIndex {
  const byId = new Map<number, DatedAllocation>();
  for (const allocation of index.all()) {
    byId.set(allocation.id, {
      allocation,
      fromDay: dayNumber(allocation.validFrom),
      toDay: allocation.validTo === null ? Number.POSITIVE_INFINITY : dayNumber(allocation.validTo),
      carrierId: -1,
    });
  }
  const children = new Map<number, DatedAllocation[]>();
  const rootsByCarrier = new Map<number, DatedAllocation[]>();
  const byLessee = new Map<string, DatedAllocation[]>();
  const add = <K>(map: Map<K, DatedAllocation[]>, key: K, dated: DatedAllocation) => {
    const list = map.get(key);
    if (list) list.push(dated);
    else map.set(key, [dated]);
  };
  for (const dated of byId.values()) {
    // The carrier is the root's holder; an allocation whose ancestry is broken belongs to no tree.
    let top = dated;
    for (let hops = 0; top.allocation.parentId !== null && hops < MAX_CHAIN; hops++) {
      const parent = byId.get(top.allocation.parentId);
      if (!parent) break;
      top = parent;
    }
    if (top.allocation.parentId !== null || top.allocation.holder.kind !== 'carrier') continue;
    dated.carrierId = top.allocation.holder.id;
    if (dated.allocation.parentId === null) add(rootsByCarrier, dated.carrierId, dated);
    else add(children, dated.allocation.parentId, dated);
    add(byLessee, lesseeKey(dated.allocation.lessee), dated);
  }
  for (const map of [children, rootsByCarrier, byLessee]) for (const list of map.values()) list.sort(byPrefix);
  return { byId, children, rootsByCarrier, byLessee };
}

const treeIndexes = new WeakMap<AllocationIndex, TreeIndex>();

/** The tree links of an index; built on first use and kept as long as the index is. */
export function treeIndexOf(index: AllocationIndex): TreeIndex {
  let treeIndex = treeIndexes.get(index);
  if (!treeIndex) treeIndexes.set(index, (treeIndex = buildTreeIndex(index)));
  return treeIndex;
}

export const validOn = (dated: DatedAllocation, day: number) => day >= dated.fromDay && day <= dated.toDay;

/** The allocations from the root down to `dated`, when every one of them was valid on `day`; else null. */
export function ancestryOn(treeIndex: TreeIndex, dated: DatedAllocation, day: number): IndexedAllocation[] | null {
  const links: IndexedAllocation[] = [];
  let current: DatedAllocation | undefined = dated;
  for (let hops = 0; current && hops < MAX_CHAIN; hops++) {
    if (!validOn(current, day)) return null;
    links.unshift(current.allocation);
    if (current.allocation.parentId === null) return links;
    current = treeIndex.byId.get(current.allocation.parentId);
  }
  return null;
}

// ---------------------------------------------------------------- findings on nodes

/** Severity as a number for comparing: -1 none, 0 low … 3 critical. */
export type Rank = number;
export const NO_FINDING: Rank = -1;
export const severityOfRank = (rank: Rank): Severity | null => (rank < 0 ? null : SEVERITIES[rank]);

/** The worst open finding naming each agent, entity and prefix. */
export interface FindingMarks {
  byAgent: Map<string, Rank>;
  byEntity: Map<string, Rank>;
  byPrefix: Map<string, Array<{ entity: string | null; rank: Rank }>>;
}

const SEVERITY_RANK = "MAX(CASE f.severity WHEN 'critical' THEN 3 WHEN 'high' THEN 2 WHEN 'medium' THEN 1 ELSE 0 END)";

/**
 * Open and notified findings (dismissed and rectified ones no longer count, as in the risk
 * ranking) in the trees of `carrierIds` (null: every carrier), worst per subject.
 */
export async function openFindingMarks(dataSource: DataSource, carrierIds: number[] | null): Promise<FindingMarks> {
  const marks: FindingMarks = { byAgent: new Map(), byEntity: new Map(), byPrefix: new Map() };
  if (carrierIds !== null && carrierIds.length === 0) return marks;
  const query = dataSource
    .getRepository(Finding)
    .createQueryBuilder('f')
    .select('f.prefix', 'prefix')
    .addSelect('f.agent_uscc', 'agent')
    .addSelect('f.entity_uscc', 'entity')
    .addSelect(SEVERITY_RANK, 'rank')
    .where("f.status IN ('open', 'notified')")
    .groupBy('f.prefix')
    .addGroupBy('f.agent_uscc')
    .addGroupBy('f.entity_uscc');
  if (carrierIds !== null) query.andWhere('f.root_carrier_id IN (:...carrierIds)', { carrierIds });
  const raise = (map: Map<string, Rank>, key: string, rank: Rank) =>
    map.set(key, Math.max(map.get(key) ?? NO_FINDING, rank));
  for (const row of await query.getRawMany<{
    prefix: string | null;
    agent: string | null;
    entity: string | null;
    rank: number | string;
  }>()) {
    const rank = Number(row.rank);
    if (row.agent) raise(marks.byAgent, row.agent, rank);
    if (row.entity) raise(marks.byEntity, row.entity, rank);
    if (row.prefix) {
      const list = marks.byPrefix.get(row.prefix);
      if (list) list.push({ entity: row.entity, rank });
      else marks.byPrefix.set(row.prefix, [{ entity: row.entity, rank }]);
    }
  }
  return marks;
}

/**
 * The worst open finding that names this allocation's lessee (as the agent answerable or as the
 * entity) or its prefix. A prefix finding about a named entity counts only on that entity's
 * allocation: a number reassigned to someone else must not inherit the previous holder's findings.
 */
export function worstFindingOf(allocation: IndexedAllocation, marks: FindingMarks): Rank {
  const { lessee } = allocation;
  let rank = (lessee.kind === 'agent' ? marks.byAgent : marks.byEntity).get(lessee.key) ?? NO_FINDING;
  for (const mark of marks.byPrefix.get(allocation.prefix) ?? []) {
    if (mark.entity === null || mark.entity === lessee.key) rank = Math.max(rank, mark.rank);
  }
  return rank;
}

// ---------------------------------------------------------------- the tree on one day

export interface TreeNode {
  /** The allocation's id; null for the top (a carrier, or the agent of a profile). */
  id: number | null;
  allocation: IndexedAllocation | null;
  /** The allocation's lessee, or the top's party. */
  party: Party;
  depth: number;
  parent: TreeNode | null;
  children: TreeNode[];
  /** Numbers granted to using entities in the subtree, this node's included. */
  numbers: number;
  /** Nodes below this one. */
  descendants: number;
  /** Messages and complaints whose sender resolved through this allocation at their time. */
  messages: number;
  complaints: number;
  /**
   * The worst open finding on this node itself (what colours its box), the worst anywhere below it
   * (shown apart, as "risk below"), and the worse of the two.
   */
  worst: Rank;
  belowWorst: Rank;
  subtreeWorst: Rank;
}

export interface TreeInputs {
  treeIndex: TreeIndex;
  day: number;
  marks: FindingMarks;
  tally: TrafficTally;
}

/** A node per allocation valid on the day whose parent is in the tree: what chainAt would walk that day. */
export function growTree(top: Party, topWorst: Rank, tops: readonly DatedAllocation[], inputs: TreeInputs): TreeNode {
  const root: TreeNode = {
    id: null,
    allocation: null,
    party: top,
    depth: 0,
    parent: null,
    children: [],
    numbers: 0,
    descendants: 0,
    messages: 0,
    complaints: 0,
    worst: topWorst,
    belowWorst: NO_FINDING,
    subtreeWorst: topWorst,
  };
  const grow = (parent: TreeNode, entries: readonly DatedAllocation[]) => {
    for (const dated of entries) {
      if (!validOn(dated, inputs.day)) continue;
      const { allocation } = dated;
      const worst = worstFindingOf(allocation, inputs.marks);
      const node: TreeNode = {
        id: allocation.id,
        allocation,
        party: allocation.lessee,
        depth: parent.depth + 1,
        parent,
        children: [],
        numbers: allocation.lessee.kind === 'entity' ? 1 : 0,
        descendants: 0,
        messages: inputs.tally.messagesByAllocation.get(allocation.id) ?? 0,
        complaints: inputs.tally.complaintsByAllocation.get(allocation.id) ?? 0,
        worst,
        belowWorst: NO_FINDING,
        subtreeWorst: worst,
      };
      parent.children.push(node);
      if (node.depth < MAX_CHAIN) grow(node, inputs.treeIndex.children.get(allocation.id) ?? []);
      parent.numbers += node.numbers;
      parent.descendants += node.descendants + 1;
      parent.belowWorst = Math.max(parent.belowWorst, node.subtreeWorst);
      parent.subtreeWorst = Math.max(parent.subtreeWorst, node.subtreeWorst);
    }
  };
  grow(root, tops);
  // Each message's chain passes through exactly one of the top's subtrees, so these add up.
  for (const child of root.children) {
    root.messages += child.messages;
    root.complaints += child.complaints;
  }
  return root;
}

/**
 * The top's only child as the top: an agent holding one range is best drawn from that range,
 * rather than from a box naming the agent followed by a box naming it again.
 */
export function rerootAtOnlyChild(root: TreeNode): TreeNode {
  if (root.children.length !== 1) return root;
  const top = root.children[0];
  top.parent = null;
  for (const node of walkTree(top)) node.depth--;
  return top;
}

/** The allocations a tree holds: everything below the top, and the top when it is an allocation itself. */
export function allocationsIn(root: TreeNode): number {
  return root.descendants + (root.id === null ? 0 : 1);
}

/** Every node of a tree, parents before children, siblings in prefix order. */
export function* walkTree(root: TreeNode): IterableIterator<TreeNode> {
  const stack = [root];
  while (stack.length > 0) {
    const node = stack.pop()!;
    yield node;
    for (let i = node.children.length - 1; i >= 0; i--) stack.push(node.children[i]);
  }
}

// ---------------------------------------------------------------- what is drawn

/** Siblings beyond what is drawn, shown as one "+N more" node. */
export interface MoreAggregate {
  parent: TreeNode;
  count: number;
  numbers: number;
  messages: number;
  complaints: number;
  /** The worst open finding on the siblings themselves, and anywhere below them. */
  worst: Rank;
  belowWorst: Rank;
}

export interface VisibleNode {
  key: string;
  /** Null for a "+N more" aggregate. */
  node: TreeNode | null;
  more: MoreAggregate | null;
  children: VisibleNode[];
  /** Whether its children are drawn; null when it has none. */
  open: boolean | null;
  /** Descendants not drawn because the node is collapsed. */
  hidden: number;
  /** The user may flip `open` (not while a search holds the node open, not the top). */
  togglable: boolean;
  /** What the search asked for. */
  hit: boolean;
  /** On the way from the top to a hit. */
  onPath: boolean;
}

export interface VisibleOptions {
  /** Levels below the top drawn unless toggled. */
  depth: number;
  /** Allocation ids whose default (open above `depth`, shut below) is flipped. */
  toggled: ReadonlySet<number>;
  /** Nodes the search found: always drawn, with their ancestors open. */
  hits: ReadonlySet<TreeNode>;
  /** Children drawn under one node before the rest become "+N more". */
  maxChildren: number;
  /** Nodes drawn at most, however much is open (searched paths excepted). */
  maxNodes: number;
}

export const DEFAULT_VISIBLE: Omit<VisibleOptions, 'depth' | 'toggled' | 'hits'> = { maxChildren: 25, maxNodes: 1000 };

export interface VisibleTree {
  top: VisibleNode;
  /** Boxes drawn, "+N more" ones included. */
  drawn: number;
  /** Allocations drawn (the carrier's box and "+N more" boxes are not allocations). */
  allocationsDrawn: number;
  /** Something the user opened was left shut to stay within `maxNodes`. */
  budgetHit: boolean;
}

/**
 * Cuts the tree down to what is drawn, breadth first so that the levels near the top win when the
 * node budget runs out. Under a node with too many children the ones with the worst findings are
 * drawn (in prefix order) and the rest summed into a "+N more" node, coloured by the worst finding on
 * those siblings themselves, with what lies below them shown apart as on any node.
 */
export function visibleTree(root: TreeNode, options: VisibleOptions): VisibleTree {
  const onPath = new Set<TreeNode>();
  for (const hit of options.hits) for (let n: TreeNode | null = hit; n && !onPath.has(n); n = n.parent) onPath.add(n);
  const visible = (node: TreeNode): VisibleNode => ({
    key: node.id === null ? 'top' : `a${node.id}`,
    node,
    more: null,
    children: [],
    open: null,
    hidden: 0,
    togglable: false,
    hit: options.hits.has(node),
    onPath: onPath.has(node),
  });
  const top = visible(root);
  let drawn = 1;
  let budgetHit = false;
  const queue = [top];
  for (let i = 0; i < queue.length; i++) {
    const v = queue[i];
    const node = v.node!;
    if (node.children.length === 0) continue;
    const heldOpen = node.children.some((child) => onPath.has(child));
    const byDefault = node.depth < options.depth;
    const wanted = heldOpen || node.id === null || (options.toggled.has(node.id) ? !byDefault : byDefault);
    v.togglable = !heldOpen && node.id !== null;
    if (!wanted || (drawn >= options.maxNodes && !heldOpen)) {
      if (wanted) budgetHit = true;
      v.open = false;
      v.hidden = node.descendants;
      continue;
    }
    v.open = true;
    const forced = node.children.filter((child) => onPath.has(child));
    const rest = node.children.filter((child) => !onPath.has(child));
    const room = Math.max(0, Math.min(options.maxChildren, options.maxNodes - drawn) - forced.length);
    let chosen: Set<TreeNode>;
    if (rest.length <= room) chosen = new Set(rest);
    else {
      if (room < options.maxChildren - forced.length) budgetHit = true;
      // Array.prototype.sort is stable: equal severities keep their prefix order.
      chosen = new Set([...rest].sort((a, b) => b.subtreeWorst - a.subtreeWorst).slice(0, room));
    }
    for (const child of node.children) {
      if (!onPath.has(child) && !chosen.has(child)) continue;
      const childVisible = visible(child);
      v.children.push(childVisible);
      queue.push(childVisible);
    }
    const left = rest.filter((child) => !chosen.has(child));
    if (left.length > 0) {
      const more: MoreAggregate = {
        parent: node,
        count: 0,
        numbers: 0,
        messages: 0,
        complaints: 0,
        worst: NO_FINDING,
        belowWorst: NO_FINDING,
      };
      for (const child of left) {
        more.count += child.descendants + 1;
        more.numbers += child.numbers;
        more.messages += child.messages;
        more.complaints += child.complaints;
        more.worst = Math.max(more.worst, child.worst);
        more.belowWorst = Math.max(more.belowWorst, child.belowWorst);
      }
      v.children.push({
        key: `more${node.id ?? 'top'}`,
        node: null,
        more,
        children: [],
        open: null,
        hidden: 0,
        togglable: false,
        hit: false,
        onPath: false,
      });
    }
    drawn += v.children.length;
  }
  const allocationsDrawn = queue.filter((v) => v.node !== null && v.node.id !== null).length;
  return { top, drawn, allocationsDrawn, budgetHit };
}

// ---------------------------------------------------------------- layout

/** Sizes in SVG user units: a node is a box, one column per depth, one row per leaf. */
export const LAYOUT = { column: 330, row: 58, nodeWidth: 262, nodeHeight: 48, margin: 16, toggle: 28 };

export interface PlacedNode {
  visible: VisibleNode;
  /** Top-left corner of the node's box. */
  x: number;
  y: number;
}

export interface PlacedLink {
  child: VisibleNode;
  /** From the parent's right edge to the child's left edge, at their middles. */
  x1: number;
  y1: number;
  x2: number;
  y2: number;
}

export interface TreeLayout {
  nodes: PlacedNode[];
  links: PlacedLink[];
  width: number;
  height: number;
}

/** Tidy-tree layout (Reingold–Tilford, d3-hierarchy) of what is drawn, root on the left. */
export function layoutTree(top: VisibleNode): TreeLayout {
  const root = tidyTree<VisibleNode>()
    .nodeSize([LAYOUT.row, LAYOUT.column])
    .separation(() => 1)(hierarchy(top, (v) => v.children));
  // d3 lays out top-down (x across the siblings, y down the depth); the drawing runs left to right.
  let minX = Number.POSITIVE_INFINITY;
  let maxX = Number.NEGATIVE_INFINITY;
  let maxDepth = 0;
  root.each((d) => {
    minX = Math.min(minX, d.x);
    maxX = Math.max(maxX, d.x);
    maxDepth = Math.max(maxDepth, d.depth);
  });
  const placeX = (d: { y: number }) => LAYOUT.margin + d.y;
  const placeY = (d: { x: number }) => LAYOUT.margin + d.x - minX;
  const nodes: PlacedNode[] = root.descendants().map((d) => ({ visible: d.data, x: placeX(d), y: placeY(d) }));
  const links: PlacedLink[] = root.links().map(({ source, target }) => ({
    child: target.data,
    x1: placeX(source) + LAYOUT.nodeWidth,
    y1: placeY(source) + LAYOUT.nodeHeight / 2,
    x2: placeX(target),
    y2: placeY(target) + LAYOUT.nodeHeight / 2,
  }));
  return {
    nodes,
    links,
    width: LAYOUT.margin * 2 + maxDepth * LAYOUT.column + LAYOUT.nodeWidth + LAYOUT.toggle,
    height: LAYOUT.margin * 2 + (maxX - minX) + LAYOUT.nodeHeight,
  };
}

// ---------------------------------------------------------------- search

export type TreeSearch =
  | { kind: 'number'; number: string; found: true; chain: IndexedAllocation[] }
  /** Nothing in this tree held the number that day; `carrier` names another carrier in scope that did. */
  | { kind: 'number'; number: string; found: false; carrier: { code: string; name: string } | null }
  | { kind: 'party'; text: string; hits: number; held: number };

/** Hits held open at most, so that a loose name search cannot open the whole tree. */
export const MAX_SEARCH_HITS = 50;

function searchTree(
  root: TreeNode,
  q: string,
  inputs: {
    index: AllocationIndex;
    day: number;
    scope: Scope;
    carriers: Map<number, { code: string; name: string }>;
    carrierId: number;
  },
): { search: TreeSearch; hits: Set<TreeNode> } {
  const hits = new Set<TreeNode>();
  const number = parse106(q, 'number');
  if (number.ok) {
    // The day's chain, as the lookup page would give it at noon Beijing time.
    const chain = chainAt(inputs.index, number.value, new Date(noonOf(inputs.day)));
    const carrierId = chain && chain.links[0].holder.kind === 'carrier' ? chain.links[0].holder.id : null;
    const inScope = carrierId !== null && coversCarrier(inputs.scope, carrierId);
    if (!chain || !inScope || carrierId !== inputs.carrierId) {
      return {
        search: {
          kind: 'number',
          number: number.value,
          found: false,
          carrier: inScope ? (inputs.carriers.get(carrierId!) ?? null) : null,
        },
        hits,
      };
    }
    const leafId = chain.links[chain.links.length - 1].id;
    for (const node of walkTree(root)) if (node.id === leafId) hits.add(node);
    return { search: { kind: 'number', number: number.value, found: true, chain: chain.links }, hits };
  }
  const uscc = normaliseUscc(q);
  const text = q.trim().toLowerCase();
  let total = 0;
  for (const node of walkTree(root)) {
    if (node.id === null) continue;
    const matches = node.party.key === uscc || node.party.name.toLowerCase().includes(text);
    if (!matches) continue;
    total++;
    if (hits.size < MAX_SEARCH_HITS) hits.add(node);
  }
  return { search: { kind: 'party', text: q.trim(), hits: total, held: hits.size }, hits };
}

// ---------------------------------------------------------------- the tree page

const MS_PER_DAY = 86_400_000;
/** Noon Beijing time on a day number: a moment safely inside that Beijing day. */
export const noonOf = (day: number) => day * MS_PER_DAY + 4 * 3_600_000;

/** Asked for a carrier the user may not see, or that does not exist. */
export class TreeNotFound extends UserError {
  constructor(carrier: string) {
    super(404, 'error.not_found', {}, { message: carrier });
  }
}

export interface TreeRequest {
  /** Carrier code; null: the carrier in scope with the most allocations valid that day. */
  carrier: string | null;
  /** YYYY-MM-DD (already validated). */
  date: string;
  depth: number;
  toggled: ReadonlySet<number>;
  q: string;
}

export interface CarrierChoice {
  id: number;
  code: string;
  name: string;
}

export interface CarrierTree {
  carriers: CarrierChoice[];
  /** Null when there is no carrier in scope at all. */
  carrier: CarrierChoice | null;
  date: string;
  root: TreeNode | null;
  search: TreeSearch | null;
  hits: Set<TreeNode>;
}

/** Carriers the scope reaches, by code. */
async function carriersInScope(dataSource: DataSource, scope: Scope): Promise<CarrierChoice[]> {
  return (await dataSource.getRepository(Carrier).find({ order: { code: 'ASC' } }))
    .filter((c) => coversCarrier(scope, c.id))
    .map((c) => ({ id: c.id, code: c.code, name: c.name }));
}

/**
 * The carrier with the most allocations valid on the day (the first by code on a tie): the tree a
 * page opens on when no carrier is asked for, so that a regulator starts where most of the numbers are.
 */
export function largestCarrier(carriers: readonly CarrierChoice[], treeIndex: TreeIndex, day: number): CarrierChoice {
  const counts = new Map<number, number>();
  for (const dated of treeIndex.byId.values())
    if (dated.carrierId !== -1 && validOn(dated, day))
      counts.set(dated.carrierId, (counts.get(dated.carrierId) ?? 0) + 1);
  let largest = carriers[0];
  for (const carrier of carriers) if ((counts.get(carrier.id) ?? 0) > (counts.get(largest.id) ?? 0)) largest = carrier;
  return largest;
}

/**
 * One carrier's whole tree on a day, with findings and traffic on every node, and the search's
 * hits. The scope is enforced here, not in the page: a carrier's staff asking for another
 * carrier get TreeNotFound, and a number of another carrier is "not found".
 */
export async function carrierTree(
  dataSource: DataSource,
  scope: Scope,
  request: Pick<TreeRequest, 'carrier' | 'date' | 'q'>,
): Promise<CarrierTree> {
  const carriers = await carriersInScope(dataSource, scope);
  if (carriers.length === 0)
    return { carriers, carrier: null, date: request.date, root: null, search: null, hits: new Set() };
  const index = await allocationIndexFor(dataSource);
  const treeIndex = treeIndexOf(index);
  const day = dayNumber(request.date);
  const carrier =
    request.carrier === null
      ? largestCarrier(carriers, treeIndex, day)
      : (carriers.find((c) => c.code === request.carrier) ?? null);
  if (!carrier) throw new TreeNotFound(request.carrier ?? '');
  const [marks, tally] = await Promise.all([
    openFindingMarks(dataSource, [carrier.id]),
    trafficTallyFor(dataSource, index),
  ]);
  const root = growTree(
    { kind: 'carrier', id: carrier.id, key: carrier.code, name: carrier.name },
    NO_FINDING,
    treeIndex.rootsByCarrier.get(carrier.id) ?? [],
    { treeIndex, day, marks, tally },
  );
  if (request.q.trim() === '') return { carriers, carrier, date: request.date, root, search: null, hits: new Set() };
  const { search, hits } = searchTree(root, request.q, {
    index,
    day,
    scope,
    carriers: new Map(carriers.map((c) => [c.id, c])),
    carrierId: carrier.id,
  });
  return { carriers, carrier, date: request.date, root, search, hits };
}

export interface TreeDrawing extends CarrierTree {
  visible: VisibleTree | null;
  layout: TreeLayout | null;
}

/** The carrier's tree on a day, cut down and laid out for drawing. */
export async function drawCarrierTree(
  dataSource: DataSource,
  scope: Scope,
  request: TreeRequest,
): Promise<TreeDrawing> {
  const tree = await carrierTree(dataSource, scope, request);
  if (!tree.root) return { ...tree, visible: null, layout: null };
  const visible = visibleTree(tree.root, {
    ...DEFAULT_VISIBLE,
    depth: request.depth,
    toggled: request.toggled,
    hits: tree.hits,
  });
  return { ...tree, visible, layout: layoutTree(visible.top) };
}

// ---------------------------------------------------------------- CSV export

export const TREE_CSV_COLUMNS = [
  'carrier',
  'depth',
  'level',
  'prefix',
  'holder_kind',
  'holder',
  'holder_name',
  'lessee_kind',
  'lessee',
  'lessee_name',
  'valid_from',
  'valid_to',
  'declared',
  'miit_filing_no',
  'numbers',
  'messages',
  'complaints',
  'worst_open_finding',
  'path',
  'path_names',
] as const;

/** One row per allocation in the tree (parents first), with its depth, level and path from the carrier. */
export function* treeCsvRows(root: TreeNode): IterableIterator<string[]> {
  const paths = new Map<TreeNode, { prefixes: string; names: string }>([
    [root, { prefixes: '', names: root.party.name }],
  ]);
  for (const node of walkTree(root)) {
    if (!node.allocation) continue;
    const above = paths.get(node.parent!)!;
    const path = {
      prefixes: above.prefixes === '' ? node.allocation.prefix : `${above.prefixes}/${node.allocation.prefix}`,
      names: `${above.names} > ${node.party.name}`,
    };
    paths.set(node, path);
    const a = node.allocation;
    yield [
      root.party.key,
      String(node.depth),
      String(a.level),
      a.prefix,
      a.holder.kind,
      a.holder.key,
      a.holder.name,
      a.lessee.kind,
      a.lessee.key,
      a.lessee.name,
      a.validFrom,
      a.validTo ?? '',
      a.declared ? 'true' : 'false',
      a.miitFilingNo ?? '',
      String(node.numbers),
      String(node.messages),
      String(node.complaints),
      severityOfRank(node.worst) ?? '',
      path.prefixes,
      path.names,
    ];
  }
}
