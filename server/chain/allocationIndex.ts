import { dayNumber } from '../numbering/time.ts';
import { float64Column, Interner, int32Column, type Column } from '../util/columns.ts';

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
  /**
   * That entity's number among the index's parties (AllocationIndex.party), -1 when `entity` is
   * null: for a caller that keeps something per entity in an array rather than a Map by party,
   * whose look-up reads the party object (rarely in cache) and a hash table.
   */
  entityNumber: number;
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

function entityFlags(parties: readonly Party[]): Uint8Array {
  const flags = new Uint8Array(parties.length);
  for (let i = 0; i < parties.length; i++) if (parties[i].kind === 'entity') flags[i] = 1;
  return flags;
}

function growStack(stack: Int32Array): Int32Array {
  const grown = new Int32Array(stack.length * 2);
  grown.set(stack);
  return grown;
}

/*
 * An allocation's record: 32 bytes, half a cache line, so that answering a lookup reads one line
 * per allocation instead of one in each of a dozen columns. The records sit inside the trie's
 * own array, each node's right after the node's block (see AllocationIndex.cells): the last
 * steps of a lookup, the leaf's block and the leaf's record, then share a cache line and a page
 * instead of costing a miss and a page walk in two buffers. The array is read through an
 * Int32Array and a Float64Array over it; a record starts at an even int offset, so its float
 * slot k overlays int slots 2k and 2k + 1 of the record. What an answer needs besides is found
 * without another miss: a parent's id in the parent's record (read by the walk already;
 * `orphanParents` for a parent the index does not hold), a day's date text in a small table, and
 * the filing number, which few allocations have, looked up only when the record's flag says
 * there is one.
 *
 * A lookup's scan of a trie node's run reads only slots 0–3, so they come first.
 */
const RECORD_INTS = 8;
/** Validity as day numbers; toDay is OPEN_END for an open-ended allocation. */
const FROM_DAY = 0;
const TO_DAY = 1;
/** The parent's record (its offset in the cells), NONE for a root or a parent that is not in the index. */
const PARENT = 2;
/** ROOT | DECLARED | HAS_CHILDREN, with the prefix's length and the level above them (see below). */
const FLAGS = 3;
/**
 * Float slot 2 of the record (int slots 4 and 5): the database id, exact to 2^53 (TiDB's AUTO_RANDOM ids:
 * docs/scaling.md).
 */
const ID = 2;
/** Holder and lessee as numbers in `parties`. */
const HOLDER = 6;
const LESSEE = 7;

// FLAGS bits.
/** No parent: the allocation starts a chain. Kept as a flag so the scan needs no other slot. */
const ROOT = 1;
const DECLARED = 2;
/** Another allocation names this one as parent. */
const HAS_CHILDREN = 4;
/** The allocation has a MIIT filing number (see AllocationIndex.filingOf). */
const FILED = 8;
/** Bits 8–15: the prefix's length (at most 20 digits); bits 16–31: the level. */
const PREFIX_LENGTH_SHIFT = 8;
const LEVEL_SHIFT = 16;
const MAX_LEVEL = 0xffff;
const MAX_PREFIX_LENGTH = 0xff;

const prefixLengthOf = (flags: number) => (flags >>> PREFIX_LENGTH_SHIFT) & MAX_PREFIX_LENGTH;
const levelOf = (flags: number) => flags >>> LEVEL_SHIFT;

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
 * Collects allocations one at a time into records (no object kept per allocation) and then
 * freezes them into an AllocationIndex. loadAllocationIndex feeds it page by page from the
 * database, so a million rows never sit in memory as objects.
 */
export class AllocationIndexBuilder {
  private records: Int32Array;
  private recordFloats: Float64Array;
  private count = 0;
  private readonly parties = new Interner<Party>();
  private readonly dayOfDate = new Map<string, number>();
  private readonly dateOfDay = new Map<number, string>();
  private readonly filingNumbers = new Interner<string>();
  /**
   * Per allocation, in the order added: its filing number's number (NONE for none), its trie
   * node and its parent's id (NaN for none), the last two only until the index is built.
   */
  private readonly filings: Column<Int32Array>;
  private readonly nodes: Column<Int32Array>;
  private readonly parentIds: Column<Float64Array>;
  private readonly trie = new DigitTrieBuilder();
  private taken = false;

  /**
   * `expected`: how many allocations will be added, when known. The records are then made that
   * many at once: no doubling on the way and no right-sizing copy at the end, which with a
   * million rows saves the server some hundred megabytes of short-lived buffers.
   */
  constructor(expected = 1024) {
    const capacity = Math.max(1, expected);
    this.records = new Int32Array(capacity * RECORD_INTS);
    this.recordFloats = floatsOf(this.records);
    this.filings = int32Column(capacity);
    this.nodes = int32Column(capacity);
    this.parentIds = float64Column(capacity);
  }

  add(allocation: AllocationRowInput): void {
    if (this.taken) throw new Error('an AllocationIndexBuilder builds one index: it takes no rows after build()');
    if (this.count * RECORD_INTS === this.records.length) {
      const grown = new Int32Array(this.records.length * 2);
      grown.set(this.records);
      this.records = grown;
      this.recordFloats = floatsOf(grown);
    }
    if (!Number.isInteger(allocation.level) || allocation.level < 0 || allocation.level > MAX_LEVEL)
      throw new RangeError(`an allocation level is 0–${MAX_LEVEL}: ${allocation.level}`);
    if (allocation.prefix.length > MAX_PREFIX_LENGTH)
      throw new RangeError(`an allocation prefix is at most ${MAX_PREFIX_LENGTH} digits: ${allocation.prefix}`);
    // First, as it refuses a prefix that is not digits: a refused row leaves nothing half added.
    const node = this.trie.insert(allocation.prefix);
    const r = this.count * RECORD_INTS;
    this.count++;
    const { records } = this;
    records[r + FROM_DAY] = this.dayOf(allocation.validFrom);
    records[r + TO_DAY] = allocation.validTo === null ? OPEN_END : this.dayOf(allocation.validTo);
    // The parent's record is known only once every allocation is in and placed (AllocationIndex).
    records[r + PARENT] = NONE;
    records[r + FLAGS] =
      (allocation.parentId === null ? ROOT : 0) |
      (allocation.declared ? DECLARED : 0) |
      (allocation.miitFilingNo === null ? 0 : FILED) |
      (allocation.prefix.length << PREFIX_LENGTH_SHIFT) |
      (allocation.level << LEVEL_SHIFT);
    this.recordFloats[(r >> 1) + ID] = allocation.id;
    records[r + HOLDER] = this.parties.of(allocation.holder);
    records[r + LESSEE] = this.parties.of(allocation.lessee);
    this.filings.push(allocation.miitFilingNo === null ? NONE : this.filingNumbers.of(allocation.miitFilingNo));
    this.nodes.push(node);
    this.parentIds.push(allocation.parentId ?? Number.NaN);
  }

  private dayOf(date: string): number {
    let day = this.dayOfDate.get(date);
    if (day === undefined) {
      day = dayNumber(date);
      this.dayOfDate.set(date, day);
      this.dateOfDay.set(day, date);
    }
    return day;
  }

  build(): AllocationIndex {
    return new AllocationIndex(this);
  }

  /**
   * @internal The collected records in insertion order (the first `count` of them), with the
   * other per-allocation columns. The index copies them into its trie; a builder is built once.
   */
  collected() {
    if (this.taken) throw new Error('an AllocationIndexBuilder builds one index');
    this.taken = true;
    return {
      count: this.count,
      records: this.records,
      filings: this.filings.data,
      nodes: this.nodes.data,
      parentIds: this.parentIds.data,
      parties: this.parties.values,
      dateOfDay: this.dateOfDay,
      filingNumbers: this.filingNumbers.values,
      trie: this.trie.freeze(),
    };
  }
}

/**
 * A digit trie as the builder leaves it: node 0 is the empty prefix; a node's children are 10
 * slots in `children`. The arrays are the builder's own, not right-sized (the index reads them
 * once, to lay out its cells, and drops them): only the first `nodeCount` entries of `childBase`
 * are nodes.
 */
interface DigitTrie {
  nodeCount: number;
  /** Per node: where its 10 child slots start in `children`, or NONE for a node without children. */
  childBase: Int32Array;
  /** Child node per digit; 0 = no child (node 0 is the root, never anyone's child). */
  children: Int32Array;
}

class DigitTrieBuilder {
  private readonly childBase = int32Column();
  private readonly children = int32Column();

  constructor() {
    this.childBase.push(NONE);
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
        child = this.childBase.push(NONE);
        this.children.data[base + d] = child;
      }
      node = child;
    }
    return node;
  }

  freeze(): DigitTrie {
    return { nodeCount: this.childBase.length, childBase: this.childBase.data, children: this.children.data };
  }
}

/** An AllocationIndex's frozen state (AllocationIndex.shareableParts), for another thread. */
export interface IndexParts {
  kind: 'allocation-index-parts';
  size: number;
  cells: Int32Array;
  filedAt: Int32Array;
  filedNumbers: Int32Array;
  orphanParents: Map<number, number>;
  parties: Party[];
  dateOfDay: Map<number, string>;
  filingNumbers: string[];
  lengths: number[];
}

function isIndexParts(source: unknown): source is IndexParts {
  return (
    typeof source === 'object' && source !== null && (source as { kind?: unknown }).kind === 'allocation-index-parts'
  );
}

/** Where a node's run ends, from its block's second slot: stored as ~end when the node has children. */
const runEnd = (slot: number) => (slot < 0 ? ~slot : slot);

/** The Float64Array view over the same cells. */
function floatsOf(cells: Int32Array): Float64Array {
  return new Float64Array(cells.buffer, cells.byteOffset, cells.length >> 1);
}

/** Days spanned by the dense date-text table at most: 2^17 days, some 360 years. */
const DENSE_DAYS = 1 << 17;

/**
 * The date texts of `dateOfDay` as an array from the first day on, and that day; the array
 * stops before a day that would make it longer than DENSE_DAYS (such dates, like 9999-12-31 for
 * "never", stay in the map alone).
 */
function denseDayTexts(dateOfDay: Map<number, string>): [number, string[]] {
  const days = [...dateOfDay.keys()].sort((a, b) => a - b);
  if (days.length === 0) return [0, []];
  const first = days[0];
  const texts: string[] = [];
  for (const day of days) {
    if (day - first >= DENSE_DAYS) break;
    while (texts.length < day - first) texts.push('');
    texts.push(dateOfDay.get(day)!);
  }
  return [first, texts];
}

/**
 * Frees the arrays' memory now instead of at the next garbage collection, and leaves them empty:
 * transferred into a message that is never delivered, their buffers go with the message when the
 * channel closes. For the buffers a build no longer needs (some 100 MB for a million
 * allocations): in a server that has just loaded its index and then sits idle, the next
 * collection can be a long while away. An array whose buffer is shared or was already released
 * is skipped.
 */
function release(...arrays: ArrayBufferView[]): Promise<void> {
  const buffers = new Set<ArrayBuffer>();
  for (const array of arrays)
    if (array.buffer instanceof ArrayBuffer && array.buffer.byteLength > 0) buffers.add(array.buffer);
  const { port1, port2 } = new MessageChannel();
  port1.postMessage(null, [...buffers]);
  // The channel is closed a few event-loop turns later; by then the message and its buffers are gone.
  const closed = new Promise<void>((resolve) => port2.once('close', resolve));
  port1.close();
  port2.close();
  return closed;
}

/** A copy of a typed array in memory other threads can see. */
function shared<T extends Int32Array | Float64Array>(array: T): T {
  const Type = array.constructor as new (buffer: SharedArrayBuffer) => T;
  const copy = new Type(new SharedArrayBuffer(array.byteLength));
  copy.set(array as never);
  return copy;
}

/**
 * Where an allocation id was added (its first, when ids repeat), NONE if absent. Database ids are
 * dense, so a table over their range is a few bytes a row; a Map is the fallback for sparse ids.
 */
function positionsById(
  size: number,
  idAt: (p: number) => number,
): { positionOf: (id: number) => number; table: Int32Array | null } {
  let min = Number.POSITIVE_INFINITY;
  let max = Number.NEGATIVE_INFINITY;
  for (let p = 0; p < size; p++) {
    const id = idAt(p);
    if (id < min) min = id;
    if (id > max) max = id;
  }
  if (size > 0 && Number.isInteger(min) && Number.isInteger(max) && max - min < 4 * size + 1024) {
    const table = new Int32Array(max - min + 1).fill(NONE);
    for (let p = 0; p < size; p++) if (table[idAt(p) - min] === NONE) table[idAt(p) - min] = p;
    return { positionOf: (id) => (Number.isInteger(id) && id >= min && id <= max ? table[id - min] : NONE), table };
  }
  const positions = new Map<number, number>();
  for (let p = 0; p < size; p++) if (!positions.has(idAt(p))) positions.set(idAt(p), p);
  return { positionOf: (id) => positions.get(id) ?? NONE, table: null };
}

/**
 * Every allocation, reachable by its exact prefix through a digit trie. A number has at most 20
 * digits, so looking it up walks at most 20 trie nodes — one array read per digit — and reads
 * the allocations hanging at each, whatever the number of allocations: longest-prefix match
 * without scanning or hashing.
 *
 * The allocations are kept as 32-byte records inside the trie (parties interned, see
 * RECORD_INTS), each prefix's allocations one run, parents first; an IndexedAllocation object is
 * made only for what a lookup returns. A million allocations cost about 50 MB with the trie,
 * instead of the half gigabyte an object per allocation (with its strings) took.
 */
export class AllocationIndex {
  readonly size: number;
  /**
   * The trie as a lookup walks it, with the allocations in it: one block per node, laid out
   * depth-first (a node, its allocations' records, then its children's subtrees in digit order),
   * so a deep node sits a few bytes after its parent and its records right after it, and the
   * last steps of a lookup share cache lines instead of each costing a miss. A block at offset o:
   * cells[o] and cells[o + 1] are where the node's run of records starts and ends (exclusive),
   * the end stored as ~end (negative) when the node has children, whose blocks' offsets follow
   * in cells[o + 2 + d] for digit d (0 = no child: the root's block is at 0 and is nobody's
   * child). The run follows the block. A node without children, most of them, is two ints and
   * its records. An allocation is known by its record's offset.
   */
  private cells: Int32Array;
  private cellFloats: Float64Array;
  /** The offsets of the records with a filing number, ascending, and each one's number in `filingNumbers`. */
  private filedAt: Int32Array;
  private filedNumbers: Int32Array;
  /**
   * Per record of an allocation whose parent is not in the index (the store lost it): the
   * parent's id, which is otherwise read in the parent's record.
   */
  private readonly orphanParents: Map<number, number>;
  private readonly parties: Party[];
  /** Per party number: 1 for a using entity. Read instead of the party object, which is likely not in cache. */
  private readonly entityParties: Uint8Array;
  /** The text of each day an allocation starts or ends on. */
  private readonly dateOfDay: Map<number, string>;
  /**
   * The same texts by day from `firstDay` on, when the days span a few centuries at most: an array read, not a hash.
   */
  private readonly dayTexts: string[];
  private readonly firstDay: number;
  private readonly filingNumbers: string[];
  /** Distinct prefix lengths, shortest first. */
  private readonly lengths: number[];
  private readonly sharedLinks = new Map<number, IndexedAllocation>();
  /**
   * Settles once the memory the build used besides the index (its copies and temporary arrays,
   * freed when the build ends) is given back: a server awaits it before it reports itself started.
   */
  readonly buildFreed: Promise<void> = Promise.resolve();
  /** The chain being walked, as record offsets (lookups are synchronous, so one stack serves them all). */
  private stack: Int32Array = new Int32Array(64);

  constructor(source: Iterable<IndexedAllocation> | AllocationIndexBuilder | IndexParts) {
    if (isIndexParts(source)) {
      this.size = source.size;
      this.cells = source.cells;
      this.cellFloats = floatsOf(source.cells);
      this.filedAt = source.filedAt;
      this.filedNumbers = source.filedNumbers;
      this.orphanParents = source.orphanParents;
      this.parties = source.parties;
      this.entityParties = entityFlags(this.parties);
      this.dateOfDay = source.dateOfDay;
      this.filingNumbers = source.filingNumbers;
      this.lengths = source.lengths;
      [this.firstDay, this.dayTexts] = denseDayTexts(this.dateOfDay);
      return;
    }
    let builder: AllocationIndexBuilder;
    if (source instanceof AllocationIndexBuilder) builder = source;
    else {
      builder = new AllocationIndexBuilder();
      for (const allocation of source) builder.add(allocation);
    }
    const c = builder.collected();
    const n = c.count;
    const added = c.records;
    const addedFloats = floatsOf(added);
    const { nodeCount, childBase, children } = c.trie;
    this.size = n;
    this.parties = c.parties;
    this.entityParties = entityFlags(this.parties);
    this.dateOfDay = c.dateOfDay;
    [this.firstDay, this.dayTexts] = denseDayTexts(this.dateOfDay);
    this.filingNumbers = c.filingNumbers;

    const runs = new Int32Array(nodeCount);
    for (let i = 0; i < n; i++) runs[c.nodes[i]]++;
    let internal = 0;
    for (let node = 0; node < nodeCount; node++) if (childBase[node] !== NONE) internal++;
    const cells = new Int32Array(2 * nodeCount + 10 * internal + n * RECORD_INTS);
    // Lays the blocks out depth first, each followed by room for its run. `firstRecord` is where
    // each node's run starts; `rank` numbers the allocations by node in that same order (a
    // counting sort), and is then the cursor that fills each node's part of `order`.
    const firstRecord = new Int32Array(nodeCount);
    const rank = new Int32Array(nodeCount);
    {
      // Visits nodes depth first, each with the slot that must point at it (none for the root).
      let pending: Int32Array = new Int32Array(64);
      let top = 0;
      let offset = 0;
      let ranked = 0;
      pending[top++] = 0;
      pending[top++] = 0;
      while (top > 0) {
        const slot = pending[--top];
        const node = pending[--top];
        if (node !== 0) cells[slot] = offset;
        const base = childBase[node];
        const first = offset + (base === NONE ? 2 : 12);
        const end = first + runs[node] * RECORD_INTS;
        cells[offset] = first;
        cells[offset + 1] = base === NONE ? end : ~end;
        firstRecord[node] = first;
        rank[node] = ranked;
        ranked += runs[node];
        if (base !== NONE) {
          if (top + 20 > pending.length) pending = growStack(pending);
          // Pushed from 9 down so that digit 0's subtree comes first.
          for (let d = 9; d >= 0; d--) {
            const child = children[base + d];
            if (child === 0) continue;
            pending[top++] = child;
            pending[top++] = offset + 2 + d;
          }
        }
        offset = end;
      }
    }
    // Within a node, by level and then id: a re-lease of a whole prefix shares its parent's
    // node, and parents must be met first.
    const order = new Int32Array(n);
    for (let i = 0; i < n; i++) order[rank[c.nodes[i]]++] = i;
    const byLevelThenId = (a: number, b: number) =>
      levelOf(added[a * RECORD_INTS + FLAGS]) - levelOf(added[b * RECORD_INTS + FLAGS]) ||
      addedFloats[((a * RECORD_INTS) >> 1) + ID] - addedFloats[((b * RECORD_INTS) >> 1) + ID];
    // Each node's part of `order` now ends where its cursor stopped.
    for (let node = 0; node < nodeCount; node++) {
      if (runs[node] > 1) order.subarray(rank[node] - runs[node], rank[node]).sort(byLevelThenId);
    }

    // Each allocation's record copied to its place; `placed` is where, by the order added.
    const placed = new Int32Array(n);
    const filed = int32Column();
    const filedNumbers = int32Column();
    const lengths = new Set<number>();
    for (let k = 0; k < n; k++) {
      const i = order[k];
      const node = c.nodes[i];
      const r = firstRecord[node] + (k - (rank[node] - runs[node])) * RECORD_INTS;
      cells.set(added.subarray(i * RECORD_INTS, (i + 1) * RECORD_INTS), r);
      placed[i] = r;
      // In the order of the cells, so the offsets come ascending.
      if (cells[r + FLAGS] & FILED) {
        filed.push(r);
        filedNumbers.push(c.filings[i]);
      }
      lengths.add(prefixLengthOf(cells[r + FLAGS]));
    }
    this.cells = cells;
    this.cellFloats = floatsOf(cells);
    this.filedAt = filed.trimmed();
    this.filedNumbers = filedNumbers.trimmed();
    this.orphanParents = new Map();
    const { positionOf: addedOfId, table: idTable } = positionsById(
      n,
      (i) => addedFloats[((i * RECORD_INTS) >> 1) + ID],
    );
    for (let i = 0; i < n; i++) {
      const r = placed[i];
      if (cells[r + FLAGS] & ROOT) continue;
      const parentId = c.parentIds[i];
      const parentAdded = addedOfId(parentId);
      if (parentAdded === NONE) {
        this.orphanParents.set(r, parentId);
        continue;
      }
      const parent = placed[parentAdded];
      cells[r + PARENT] = parent;
      cells[parent + FLAGS] |= HAS_CHILDREN;
    }
    this.lengths = [...lengths].sort((a, b) => a - b);
    // Everything but the cells was for the build: the builder's records and columns, its trie
    // and this layout's own arrays.
    this.buildFreed = release(
      added,
      c.filings,
      c.nodes,
      c.parentIds,
      childBase,
      children,
      runs,
      firstRecord,
      rank,
      order,
      placed,
      ...(idTable ? [idTable] : []),
    );
  }

  /**
   * The index as plain parts another thread can rebuild it from (`new AllocationIndex(parts)`),
   * its arrays moved to shared memory on the first call: the audit's worker threads read the
   * same million records instead of a copy each. The index is never written after it is built.
   */
  shareableParts(): IndexParts {
    if (!(this.cells.buffer instanceof SharedArrayBuffer)) {
      this.cells = shared(this.cells);
      this.cellFloats = floatsOf(this.cells);
      this.filedAt = shared(this.filedAt);
      this.filedNumbers = shared(this.filedNumbers);
    }
    return {
      kind: 'allocation-index-parts',
      size: this.size,
      cells: this.cells,
      filedAt: this.filedAt,
      filedNumbers: this.filedNumbers,
      orphanParents: this.orphanParents,
      parties: this.parties,
      dateOfDay: this.dateOfDay,
      filingNumbers: this.filingNumbers,
      lengths: this.lengths,
    };
  }

  /** The allocations with exactly this prefix and their validity as day numbers, parents first. */
  entries(prefix: string): readonly Entry[] | undefined {
    const o = this.blockOfPrefix(prefix);
    if (o === NONE) return undefined;
    const { cells } = this;
    const end = runEnd(cells[o + 1]);
    if (cells[o] === end) return undefined;
    const entries: Entry[] = [];
    for (let r = cells[o]; r < end; r += RECORD_INTS) {
      const toDay = cells[r + TO_DAY];
      entries.push({
        allocation: this.allocationAt(r, prefix),
        fromDay: cells[r + FROM_DAY],
        toDay: toDay === OPEN_END ? Number.POSITIVE_INFINITY : toDay,
      });
    }
    return entries;
  }

  /** Every allocation, made afresh on each call, in prefix order (a depth-first walk of the trie). */
  *all(): IterableIterator<IndexedAllocation> {
    const { cells } = this;
    const pending = [{ o: 0, prefix: '' }];
    for (let next = pending.pop(); next !== undefined; next = pending.pop()) {
      const { o, prefix } = next;
      const end = runEnd(cells[o + 1]);
      for (let r = cells[o]; r < end; r += RECORD_INTS) yield this.allocationAt(r, prefix);
      if (cells[o + 1] >= 0) continue;
      for (let d = 9; d >= 0; d--)
        if (cells[o + 2 + d] !== 0)
          pending.push({ o: cells[o + 2 + d], prefix: prefix + String.fromCharCode(DIGIT_0 + d) });
    }
  }

  /** How many parties (carriers, agents, entities) the index knows: the numbers `party` takes are below it. */
  get partyCount(): number {
    return this.parties.length;
  }

  /** The party numbered `n` (Chain.entityNumber). */
  party(n: number): Party {
    const party = this.parties[n];
    if (party === undefined) throw new RangeError(`the index knows ${this.parties.length} parties, not party ${n}`);
    return party;
  }

  /** The distinct prefix lengths, shortest first. */
  prefixLengths(): readonly number[] {
    return this.lengths;
  }

  /**
   * The chain that held `number` on `day` (see chainAt). Walks the trie one digit at a time; at
   * each node, a root valid that day starts the chain afresh and any other allocation valid that
   * day joins only right under its own parent. The chain is kept as record offsets on a reused
   * stack; objects are made only for the answer.
   */
  chainOn(number: string, at: Date, day: number): Chain | null {
    const { cells } = this;
    let stack = this.stack;
    let depth = 0;
    let o = 0;
    for (let i = 0; ; i++) {
      let end = cells[o + 1];
      const hasChildren = end < 0;
      if (hasChildren) end = ~end;
      for (let r = cells[o]; r < end; r += RECORD_INTS) {
        if (day < cells[r + FROM_DAY] || day > cells[r + TO_DAY]) continue;
        if (cells[r + FLAGS] & ROOT) {
          stack[0] = r;
          depth = 1;
          continue;
        }
        const parent = cells[r + PARENT];
        let k = 0;
        while (k < depth && stack[k] !== parent) k++;
        if (k === depth) continue;
        depth = k + 1;
        if (depth === stack.length) this.stack = stack = growStack(stack);
        stack[depth++] = r;
      }
      if (i === number.length || !hasChildren) break;
      const d = number.charCodeAt(i) - DIGIT_0;
      if (d < 0 || d > 9) break;
      o = cells[o + 2 + d];
      if (o === 0) break;
    }
    if (depth === 0) return null;
    const links: IndexedAllocation[] = new Array(depth);
    for (let k = 0; k < depth; k++) links[k] = this.linkAt(stack[k], number);
    const lessee = this.cells[stack[depth - 1] + LESSEE];
    const entity = this.entityParties[lessee] === 1;
    return { number, at, links, entity: entity ? links[depth - 1].lessee : null, entityNumber: entity ? lessee : -1 };
  }

  /**
   * The allocation of a record, as a link of a chain for `number`. Allocations that other
   * allocations hang from (roots and re-leases, few next to the numbers' grants) appear in many
   * chains: their objects are made once and shared, as the objects of the index were before it
   * went columnar. A grant without children is made afresh for each answer.
   */
  private linkAt(r: number, number: string): IndexedAllocation {
    const flags = this.cells[r + FLAGS];
    if ((flags & HAS_CHILDREN) === 0) return this.allocationAt(r, number.slice(0, prefixLengthOf(flags)));
    let shared = this.sharedLinks.get(r);
    if (shared === undefined) {
      shared = this.allocationAt(r, number.slice(0, prefixLengthOf(flags)));
      this.sharedLinks.set(r, shared);
    }
    return shared;
  }

  private allocationAt(r: number, prefix: string): IndexedAllocation {
    const { cells, cellFloats } = this;
    const flags = cells[r + FLAGS];
    const parent = cells[r + PARENT];
    const toDay = cells[r + TO_DAY];
    return {
      id: cellFloats[(r >> 1) + ID],
      prefix,
      parentId: flags & ROOT ? null : parent !== NONE ? cellFloats[(parent >> 1) + ID] : this.orphanParents.get(r)!,
      level: levelOf(flags),
      holder: this.parties[cells[r + HOLDER]],
      lessee: this.parties[cells[r + LESSEE]],
      validFrom: this.dateText(cells[r + FROM_DAY]),
      validTo: toDay === OPEN_END ? null : this.dateText(toDay),
      declared: (flags & DECLARED) !== 0,
      miitFilingNo: flags & FILED ? this.filingOf(r) : null,
    };
  }

  /** The filing number of a FILED record: a binary search of `filedAt`. */
  private filingOf(r: number): string {
    const { filedAt } = this;
    let low = 0;
    let high = filedAt.length - 1;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if (filedAt[middle] < r) low = middle + 1;
      else high = middle;
    }
    return this.filingNumbers[this.filedNumbers[low]];
  }

  private dateText(day: number): string {
    const i = day - this.firstDay;
    return i >= 0 && i < this.dayTexts.length ? this.dayTexts[i] : this.dateOfDay.get(day)!;
  }

  /** The block of the node for exactly `prefix`, NONE if no allocation's prefix passes there. */
  private blockOfPrefix(prefix: string): number {
    const { cells } = this;
    let o = 0;
    for (let i = 0; i < prefix.length; i++) {
      const d = prefix.charCodeAt(i) - DIGIT_0;
      if (cells[o + 1] >= 0 || d < 0 || d > 9) return NONE;
      o = cells[o + 2 + d];
      if (o === 0) return NONE;
    }
    return o;
  }
}

/**
 * docs/domain.md#resolving-a-number: resolving a number = longest-prefix match over the allocations
 * valid at that moment. Walking the number's prefixes from short to long, a root (carrier grant)
 * starts the chain and an allocation joins it only under its own parent, so the answer is the
 * deepest allocation whose whole ancestry was valid at `at`, with that ancestry. `number` is
 * normalised (bare digits, see numbering/number106.ts). Returns null when nothing covered the
 * number then.
 */
export function chainAt(index: AllocationIndex, number: string, at: Date): Chain | null {
  return index.chainOn(number, at, shanghaiDayNumber(at));
}
