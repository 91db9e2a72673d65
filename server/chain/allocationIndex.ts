import { dayNumber } from '../numbering/time.ts';
import { float64Column, int32Column, Interner, type Column } from '../util/columns.ts';

/** A carrier, agent or using entity as the index knows it. */
export interface Party {
  kind: 'carrier' | 'agent' | 'entity';
  id: number;
  /** Carrier code or USCC. */
  key: string;
  name: string;
}

export interface IndexedAllocation {
  id: number;
  prefix: string;
  parentId: number | null;
  level: number;
  holder: Party;
  lessee: Party;
  validFrom: string;
  validTo: string | null;
  declared: boolean;
  miitFilingNo: string | null;
}

export interface Entry {
  allocation: IndexedAllocation;
  fromDay: number;
  toDay: number;
}

/** The chain root→leaf that held a number at one moment. */
export interface Chain {
  number: string;
  at: Date;
  links: IndexedAllocation[];
  /** The leaf's lessee when it is a using entity: the number's registered using entity. */
  entity: Party | null;
}

const MS_PER_DAY = 86_400_000;
const SHANGHAI_OFFSET_MS = 8 * 3_600_000;
/** toDay of an open-ended allocation: later than any day a Date can name. */
const OPEN_END = 0x7fffffff;
const NONE = -1;
const DIGIT_0 = 48;

/** The calendar day (as a day number) of an instant in Asia/Shanghai, which has no DST. */
export function shanghaiDayNumber(at: Date): number {
  return Math.floor((at.getTime() + SHANGHAI_OFFSET_MS) / MS_PER_DAY);
}

function growStack(stack: Int32Array): Int32Array {
  const grown = new Int32Array(stack.length * 2);
  grown.set(stack);
  return grown;
}

/** One allocation as the builder takes it: validity already as day numbers and dates. */
export interface AllocationRowInput {
  id: number;
  prefix: string;
  parentId: number | null;
  level: number;
  holder: Party;
  lessee: Party;
  validFrom: string;
  validTo: string | null;
  declared: boolean;
  miitFilingNo: string | null;
}

/**
 * Collects allocations one at a time into columns (no object kept per allocation) and then
 * freezes them into an AllocationIndex. loadAllocationIndex feeds it page by page from the
 * database, so a million rows never sit in memory as objects.
 */
export class AllocationIndexBuilder {
  private readonly ids: Column<Float64Array>;
  private readonly parentIds: Column<Float64Array>;
  private readonly levels: Column<Int32Array>;
  private readonly holders: Column<Int32Array>;
  private readonly lessees: Column<Int32Array>;
  private readonly fromDates: Column<Int32Array>;
  private readonly toDates: Column<Int32Array>;
  private readonly flags: Column<Int32Array>;
  private readonly filings: Column<Int32Array>;
  private readonly nodes: Column<Int32Array>;
  private readonly parties = new Interner<Party>();
  private readonly dates = new Interner<string>();
  private readonly dateDays: number[] = [];
  private readonly filingNumbers = new Interner<string>();
  private readonly trie = new DigitTrieBuilder();
  private taken = false;

  /**
   * `expected`: how many allocations will be added, when known. The columns are then made that
   * size at once: no doubling on the way and no right-sizing copy at the end, which with a
   * million rows saves the server some hundred megabytes of short-lived arrays.
   */
  constructor(expected = 1024) {
    const capacity = Math.max(1, expected);
    this.ids = float64Column(capacity);
    this.parentIds = float64Column(capacity);
    this.levels = int32Column(capacity);
    this.holders = int32Column(capacity);
    this.lessees = int32Column(capacity);
    this.fromDates = int32Column(capacity);
    this.toDates = int32Column(capacity);
    this.flags = int32Column(capacity);
    this.filings = int32Column(capacity);
    this.nodes = int32Column(capacity);
  }

  add(allocation: AllocationRowInput): void {
    this.ids.push(allocation.id);
    this.parentIds.push(allocation.parentId ?? Number.NaN);
    this.levels.push(allocation.level);
    this.holders.push(this.parties.of(allocation.holder));
    this.lessees.push(this.parties.of(allocation.lessee));
    this.fromDates.push(this.dateOf(allocation.validFrom));
    this.toDates.push(allocation.validTo === null ? NONE : this.dateOf(allocation.validTo));
    this.flags.push(allocation.declared ? 1 : 0);
    this.filings.push(allocation.miitFilingNo === null ? NONE : this.filingNumbers.of(allocation.miitFilingNo));
    this.nodes.push(this.trie.insert(allocation.prefix));
  }

  private dateOf(date: string): number {
    const n = this.dates.of(date);
    if (n === this.dateDays.length) this.dateDays.push(dayNumber(date));
    return n;
  }

  build(): AllocationIndex {
    return new AllocationIndex(this);
  }

  /**
   * @internal The collected columns, right-sized, in insertion order. The index sorts them in
   * place and keeps them, so a builder is built once.
   */
  columns() {
    if (this.taken) throw new Error('an AllocationIndexBuilder builds one index');
    this.taken = true;
    return {
      count: this.ids.length,
      ids: this.ids.trimmed(), parentIds: this.parentIds.trimmed(), levels: this.levels.trimmed(), holders: this.holders.trimmed(), lessees: this.lessees.trimmed(),
      fromDates: this.fromDates.trimmed(), toDates: this.toDates.trimmed(), flags: this.flags.trimmed(), filings: this.filings.trimmed(), nodes: this.nodes.trimmed(),
      parties: this.parties.values, dates: this.dates.values, dateDays: this.dateDays, filingNumbers: this.filingNumbers.values,
      trie: this.trie.freeze(),
    };
  }
}

/** A frozen digit trie: node 0 is the empty prefix; a node's children are 10 slots in `children`. */
interface DigitTrie {
  /** Per node: where its 10 child slots start in `children`, or NONE for a node without children. */
  childBase: Int32Array;
  /** Child node per digit; 0 = no child (node 0 is the root, never anyone's child). */
  children: Int32Array;
  /** Per node: the node one digit shorter, and the digit that leads here (to spell a prefix back). */
  parent: Int32Array;
  digit: Uint8Array;
  depth: Uint8Array;
}

/** The trie as the index keeps it: the child slots' starts live in AllocationIndex.nodes. */
type IndexTrie = Omit<DigitTrie, 'childBase'>;

class DigitTrieBuilder {
  private readonly childBase = int32Column();
  private readonly children = int32Column();
  private readonly parent = int32Column();
  private readonly digit = int32Column();
  private readonly depth = int32Column();

  constructor() {
    this.newNode(NONE, 0, 0);
  }

  private newNode(parent: number, digit: number, depth: number): number {
    this.childBase.push(NONE);
    this.parent.push(parent);
    this.digit.push(digit);
    return this.depth.push(depth);
  }

  /** The node for `prefix`, created (with the nodes above it) if new. */
  insert(prefix: string): number {
    let node = 0;
    for (let i = 0; i < prefix.length; i++) {
      const d = prefix.charCodeAt(i) - DIGIT_0;
      if (d < 0 || d > 9) throw new RangeError(`an allocation prefix is digits only: ${JSON.stringify(prefix)}`);
      let base = this.childBase.data[node];
      if (base === NONE) {
        base = this.children.length;
        for (let k = 0; k < 10; k++) this.children.push(0);
        this.childBase.data[node] = base;
      }
      let child = this.children.data[base + d];
      if (child === 0) {
        child = this.newNode(node, d, i + 1);
        this.children.data[base + d] = child;
      }
      node = child;
    }
    return node;
  }

  freeze(): DigitTrie {
    const digits = new Uint8Array(this.digit.length);
    const depths = new Uint8Array(this.depth.length);
    for (let i = 0; i < digits.length; i++) {
      digits[i] = this.digit.data[i];
      depths[i] = this.depth.data[i];
    }
    return { childBase: this.childBase.trimmed(), children: this.children.trimmed(), parent: this.parent.trimmed(), digit: digits, depth: depths };
  }
}

/** An AllocationIndex's frozen state (AllocationIndex.shareableParts), for another thread. */
export interface IndexParts {
  kind: 'allocation-index-parts';
  size: number;
  trie: IndexTrie;
  nodes: Int32Array;
  ids: Float64Array;
  parentIds: Float64Array;
  parentPositions: Int32Array;
  levels: Int32Array;
  holders: Int32Array;
  lessees: Int32Array;
  fromDays: Int32Array;
  toDays: Int32Array;
  fromDates: Int32Array;
  toDates: Int32Array;
  declared: Int32Array;
  filings: Int32Array;
  nodeOf: Int32Array;
  parties: Party[];
  dates: string[];
  filingNumbers: string[];
  lengths: number[];
  hasChildren: Uint8Array;
}

function isIndexParts(source: unknown): source is IndexParts {
  return typeof source === 'object' && source !== null && (source as { kind?: unknown }).kind === 'allocation-index-parts';
}

/** A copy of a typed array in memory other threads can see. */
function shared<T extends Int32Array | Float64Array | Uint8Array>(array: T): T {
  const Type = array.constructor as new (buffer: SharedArrayBuffer) => T;
  const copy = new Type(new SharedArrayBuffer(array.byteLength));
  copy.set(array as never);
  return copy;
}

/**
 * Reorders columns in place so that position p holds what was at order[p], following each cycle
 * of the permutation once.
 */
function permuteInPlace(order: Int32Array, columns: Array<Int32Array | Float64Array>): void {
  const done = new Uint8Array(order.length);
  for (let start = 0; start < order.length; start++) {
    if (done[start] || order[start] === start) continue;
    const saved = columns.map((column) => column[start]);
    let p = start;
    for (;;) {
      done[p] = 1;
      const from = order[p];
      if (from === start) break;
      for (const column of columns) column[p] = column[from];
      p = from;
    }
    columns.forEach((column, k) => (column[p] = saved[k]));
  }
}

/**
 * The position of an allocation id (its first, when ids repeat), NONE if absent. Database ids are
 * dense, so a table over their range is a few bytes a row; a Map is the fallback for sparse ids.
 */
function positionsById(ids: Float64Array): (id: number) => number {
  let min = Number.POSITIVE_INFINITY;
  let max = Number.NEGATIVE_INFINITY;
  for (const id of ids) {
    if (id < min) min = id;
    if (id > max) max = id;
  }
  if (ids.length > 0 && Number.isInteger(min) && Number.isInteger(max) && max - min < 4 * ids.length + 1024) {
    const table = new Int32Array(max - min + 1).fill(NONE);
    for (let p = 0; p < ids.length; p++) if (table[ids[p] - min] === NONE) table[ids[p] - min] = p;
    return (id) => (Number.isInteger(id) && id >= min && id <= max ? table[id - min] : NONE);
  }
  const positions = new Map<number, number>();
  for (let p = 0; p < ids.length; p++) if (!positions.has(ids[p])) positions.set(ids[p], p);
  return (id) => positions.get(id) ?? NONE;
}

/**
 * Every allocation, reachable by its exact prefix through a digit trie. A number has at most 20
 * digits, so looking it up walks at most 20 trie nodes — one array read per digit — and reads
 * the allocations hanging at each, whatever the number of allocations: longest-prefix match
 * without scanning or hashing.
 *
 * The allocations are kept in columns (typed arrays, parties and dates interned), sorted so that
 * each prefix's allocations are one run, parents first; an IndexedAllocation object is made
 * only for what a lookup returns. A million allocations cost about 60 MB instead of the half
 * gigabyte an object per allocation (with its strings) took.
 */
export class AllocationIndex {
  readonly size: number;
  private trie: IndexTrie;
  /**
   * Per trie node, side by side (one cache line serves a step of a lookup): at 2 × node where its
   * allocations start (positions nodes[2 × node] .. nodes[2 × (node + 1)] - 1, a last node closes
   * the run), at 2 × node + 1 where its 10 child slots start in trie.children (NONE for none).
   */
  private nodes: Int32Array;
  // Per position (allocations sorted by node, then level, then id):
  private ids: Float64Array;
  /** NaN for a root (no parent). */
  private parentIds: Float64Array;
  /** The parent's position, NONE when it has none or the parent is not in the index. */
  private parentPositions: Int32Array;
  private levels: Int32Array;
  private holders: Int32Array;
  private lessees: Int32Array;
  private fromDays: Int32Array;
  private toDays: Int32Array;
  private fromDates: Int32Array;
  private toDates: Int32Array;
  /** 1 when declared. */
  private declared: Int32Array;
  private filings: Int32Array;
  private nodeOf: Int32Array;
  private readonly parties: Party[];
  private readonly dates: string[];
  private readonly filingNumbers: string[];
  /** Distinct prefix lengths, shortest first. */
  private readonly lengths: number[];
  /** Per position: 1 when another allocation names it as parent. */
  private hasChildren: Uint8Array;
  private readonly sharedLinks = new Map<number, IndexedAllocation>();
  /** The chain being walked, as positions (lookups are synchronous, so one stack serves them all). */
  private stack: Int32Array = new Int32Array(64);

  constructor(source: Iterable<IndexedAllocation> | AllocationIndexBuilder | IndexParts) {
    if (isIndexParts(source)) {
      this.size = source.size;
      this.trie = source.trie;
      this.nodes = source.nodes;
      this.ids = source.ids;
      this.parentIds = source.parentIds;
      this.parentPositions = source.parentPositions;
      this.levels = source.levels;
      this.holders = source.holders;
      this.lessees = source.lessees;
      this.fromDays = source.fromDays;
      this.toDays = source.toDays;
      this.fromDates = source.fromDates;
      this.toDates = source.toDates;
      this.declared = source.declared;
      this.filings = source.filings;
      this.nodeOf = source.nodeOf;
      this.parties = source.parties;
      this.dates = source.dates;
      this.filingNumbers = source.filingNumbers;
      this.lengths = source.lengths;
      this.hasChildren = source.hasChildren;
      return;
    }
    let builder: AllocationIndexBuilder;
    if (source instanceof AllocationIndexBuilder) builder = source;
    else {
      builder = new AllocationIndexBuilder();
      for (const allocation of source) builder.add(allocation);
    }
    const c = builder.columns();
    const n = c.count;
    const nodeCount = c.trie.depth.length;
    this.size = n;
    const { childBase, ...trie } = c.trie;
    this.trie = trie;
    this.parties = c.parties;
    this.dates = c.dates;
    this.filingNumbers = c.filingNumbers;

    // Positions grouped by trie node (a counting sort), then within a node by level and id:
    // a re-lease of a whole prefix shares its parent's node, and parents must be met first.
    const nodes = new Int32Array(2 * (nodeCount + 1));
    for (let i = 0; i < n; i++) nodes[2 * (c.nodes[i] + 1)]++;
    for (let node = 0; node < nodeCount; node++) {
      nodes[2 * (node + 1)] += nodes[2 * node];
      nodes[2 * node + 1] = childBase[node];
    }
    nodes[2 * nodeCount + 1] = NONE;
    this.nodes = nodes;
    const order = new Int32Array(n);
    const fill = new Int32Array(nodeCount);
    for (let node = 0; node < nodeCount; node++) fill[node] = nodes[2 * node];
    for (let i = 0; i < n; i++) order[fill[c.nodes[i]]++] = i;
    const byLevelThenId = (a: number, b: number) => c.levels[a] - c.levels[b] || c.ids[a] - c.ids[b];
    for (let node = 0; node < nodeCount; node++) {
      const start = nodes[2 * node];
      const end = nodes[2 * node + 2];
      if (end - start > 1) order.subarray(start, end).sort(byLevelThenId);
    }

    // The builder's columns, put in that order in place: no second copy of a million rows.
    permuteInPlace(order, [c.ids, c.parentIds, c.levels, c.holders, c.lessees, c.fromDates, c.toDates, c.flags, c.filings, c.nodes]);
    this.ids = c.ids;
    this.parentIds = c.parentIds;
    this.levels = c.levels;
    this.holders = c.holders;
    this.lessees = c.lessees;
    this.fromDates = c.fromDates;
    this.toDates = c.toDates;
    this.declared = c.flags;
    this.filings = c.filings;
    this.nodeOf = c.nodes;
    this.fromDays = new Int32Array(n);
    this.toDays = new Int32Array(n);
    for (let p = 0; p < n; p++) {
      this.fromDays[p] = c.dateDays[this.fromDates[p]];
      this.toDays[p] = this.toDates[p] === NONE ? OPEN_END : c.dateDays[this.toDates[p]];
    }
    const positionOfId = positionsById(this.ids);
    this.parentPositions = new Int32Array(n);
    for (let p = 0; p < n; p++) {
      const parentId = this.parentIds[p];
      this.parentPositions[p] = Number.isNaN(parentId) ? NONE : positionOfId(parentId);
    }
    this.hasChildren = new Uint8Array(n);
    for (let p = 0; p < n; p++) if (this.parentPositions[p] !== NONE) this.hasChildren[this.parentPositions[p]] = 1;
    const lengths = new Set<number>();
    for (let p = 0; p < n; p++) lengths.add(this.trie.depth[this.nodeOf[p]]);
    this.lengths = [...lengths].sort((a, b) => a - b);
  }

  /**
   * The index as plain parts another thread can rebuild it from (`new AllocationIndex(parts)`),
   * its columns moved to shared memory on the first call: the audit's worker threads read the
   * same million rows instead of a copy each. The index is never written after it is built.
   */
  shareableParts(): IndexParts {
    if (!(this.ids.buffer instanceof SharedArrayBuffer)) {
      this.trie = { children: shared(this.trie.children), parent: shared(this.trie.parent), digit: shared(this.trie.digit), depth: shared(this.trie.depth) };
      this.nodes = shared(this.nodes);
      this.ids = shared(this.ids);
      this.parentIds = shared(this.parentIds);
      this.parentPositions = shared(this.parentPositions);
      this.levels = shared(this.levels);
      this.holders = shared(this.holders);
      this.lessees = shared(this.lessees);
      this.fromDays = shared(this.fromDays);
      this.toDays = shared(this.toDays);
      this.fromDates = shared(this.fromDates);
      this.toDates = shared(this.toDates);
      this.declared = shared(this.declared);
      this.filings = shared(this.filings);
      this.nodeOf = shared(this.nodeOf);
      this.hasChildren = shared(this.hasChildren);
    }
    return {
      kind: 'allocation-index-parts', size: this.size, trie: this.trie, nodes: this.nodes, ids: this.ids, parentIds: this.parentIds,
      parentPositions: this.parentPositions, levels: this.levels, holders: this.holders, lessees: this.lessees, fromDays: this.fromDays,
      toDays: this.toDays, fromDates: this.fromDates, toDates: this.toDates, declared: this.declared, filings: this.filings, nodeOf: this.nodeOf,
      parties: this.parties, dates: this.dates, filingNumbers: this.filingNumbers, lengths: this.lengths, hasChildren: this.hasChildren,
    };
  }

  /** The allocations with exactly this prefix and their validity as day numbers, parents first. */
  entries(prefix: string): readonly Entry[] | undefined {
    const node = this.nodeOfPrefix(prefix);
    if (node === NONE || this.nodes[2 * node] === this.nodes[2 * node + 2]) return undefined;
    const entries: Entry[] = [];
    for (let p = this.nodes[2 * node]; p < this.nodes[2 * node + 2]; p++) {
      entries.push({ allocation: this.allocationAt(p, prefix), fromDay: this.fromDays[p], toDay: this.toDays[p] === OPEN_END ? Number.POSITIVE_INFINITY : this.toDays[p] });
    }
    return entries;
  }

  /** Every allocation, in no particular order (made afresh on each call). */
  *all(): IterableIterator<IndexedAllocation> {
    for (let p = 0; p < this.size; p++) yield this.allocationAt(p, this.prefixOfNode(this.nodeOf[p]));
  }

  /** The distinct prefix lengths, shortest first. */
  prefixLengths(): readonly number[] {
    return this.lengths;
  }

  /**
   * The chain that held `number` on `day` (see chainAt). Walks the trie one digit at a time; at
   * each node, a root valid that day starts the chain afresh and any other allocation valid that
   * day joins only right under its own parent. The chain is kept as positions on a reused stack;
   * objects are made only for the answer.
   */
  chainOn(number: string, at: Date, day: number): Chain | null {
    const { children } = this.trie;
    const { nodes, fromDays, toDays, parentIds, parentPositions } = this;
    let stack = this.stack;
    let depth = 0;
    let node = 0;
    for (let i = 0; ; i++) {
      const end = nodes[2 * node + 2];
      for (let p = nodes[2 * node]; p < end; p++) {
        if (day < fromDays[p] || day > toDays[p]) continue;
        if (parentIds[p] !== parentIds[p]) {
          // NaN: a root.
          stack[0] = p;
          depth = 1;
          continue;
        }
        const parent = parentPositions[p];
        let k = 0;
        while (k < depth && stack[k] !== parent) k++;
        if (k === depth) continue;
        depth = k + 1;
        if (depth === stack.length) this.stack = stack = growStack(stack);
        stack[depth++] = p;
      }
      if (i === number.length) break;
      const base = nodes[2 * node + 1];
      if (base === NONE) break;
      const d = number.charCodeAt(i) - DIGIT_0;
      if (d < 0 || d > 9) break;
      node = children[base + d];
      if (node === 0) break;
    }
    if (depth === 0) return null;
    const links: IndexedAllocation[] = new Array(depth);
    for (let k = 0; k < depth; k++) links[k] = this.linkAt(stack[k], number);
    const leaf = links[depth - 1];
    return { number, at, links, entity: leaf.lessee.kind === 'entity' ? leaf.lessee : null };
  }

  /**
   * The allocation at a position, as a link of a chain for `number`. Allocations that other
   * allocations hang from (roots and re-leases, few next to the numbers' grants) appear in many
   * chains: their objects are made once and shared, as the objects of the index were before it
   * went columnar. A grant without children is made afresh for each answer.
   */
  private linkAt(p: number, number: string): IndexedAllocation {
    if (this.hasChildren[p] === 0) return this.allocationAt(p, number.slice(0, this.trie.depth[this.nodeOf[p]]));
    let shared = this.sharedLinks.get(p);
    if (shared === undefined) {
      shared = this.allocationAt(p, number.slice(0, this.trie.depth[this.nodeOf[p]]));
      this.sharedLinks.set(p, shared);
    }
    return shared;
  }

  private allocationAt(p: number, prefix: string): IndexedAllocation {
    const parentId = this.parentIds[p];
    const toDate = this.toDates[p];
    const filing = this.filings[p];
    return {
      id: this.ids[p],
      prefix,
      parentId: Number.isNaN(parentId) ? null : parentId,
      level: this.levels[p],
      holder: this.parties[this.holders[p]],
      lessee: this.parties[this.lessees[p]],
      validFrom: this.dates[this.fromDates[p]],
      validTo: toDate === NONE ? null : this.dates[toDate],
      declared: this.declared[p] === 1,
      miitFilingNo: filing === NONE ? null : this.filingNumbers[filing],
    };
  }

  private nodeOfPrefix(prefix: string): number {
    const { children } = this.trie;
    let node = 0;
    for (let i = 0; i < prefix.length; i++) {
      const base = this.nodes[2 * node + 1];
      const d = prefix.charCodeAt(i) - DIGIT_0;
      if (base === NONE || d < 0 || d > 9) return NONE;
      node = children[base + d];
      if (node === 0) return NONE;
    }
    return node;
  }

  private prefixOfNode(node: number): string {
    const digits: number[] = [];
    for (let at = node; at > 0; at = this.trie.parent[at]) digits.push(DIGIT_0 + this.trie.digit[at]);
    return String.fromCharCode(...digits.reverse());
  }
}

/**
 * DOMAIN.md: resolving a number = longest-prefix match over the allocations valid at that
 * moment. Walking the number's prefixes from short to long, a root (carrier grant) starts the
 * chain and an allocation joins it only under its own parent, so the answer is the deepest
 * allocation whose whole ancestry was valid at `at`, with that ancestry. `number` is normalised
 * (bare digits, see numbering/number106.ts). Returns null when nothing covered the number then.
 */
export function chainAt(index: AllocationIndex, number: string, at: Date): Chain | null {
  return index.chainOn(number, at, shanghaiDayNumber(at));
}
