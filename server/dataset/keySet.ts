/**
 * Remembers which keys a file has shown so far, in typed arrays (16 bytes a key) rather than a
 * Map of strings: a 1,000,000-row file costs about 24 MB instead of the keys themselves. It
 * stores a 53-bit hash of each key, so a hit means "probably the same key": the caller confirms
 * it against the real keys before reporting anything.
 */
export class HashedKeySet {
  private hashes: Float64Array;
  private lines: Int32Array;
  private count = 0;

  constructor(initialCapacity = 1024) {
    let capacity = 1;
    while (capacity < initialCapacity * 2) capacity *= 2;
    this.hashes = new Float64Array(capacity);
    this.lines = new Int32Array(capacity);
  }

  /** Records `key` seen on `line`; returns the line it was (probably) first seen on, or null. */
  add(key: string, line: number): number | null {
    const hash = hashKey(key);
    const mask = this.hashes.length - 1;
    for (let slot = hash % (mask + 1); ; slot = (slot + 1) & mask) {
      const stored = this.hashes[slot];
      if (stored === 0) {
        this.hashes[slot] = hash;
        this.lines[slot] = line;
        if (++this.count * 2 > this.hashes.length) this.grow();
        return null;
      }
      if (stored === hash) return this.lines[slot];
    }
  }

  private grow(): void {
    const { hashes, lines } = this;
    this.hashes = new Float64Array(hashes.length * 2);
    this.lines = new Int32Array(hashes.length * 2);
    const mask = this.hashes.length - 1;
    for (let i = 0; i < hashes.length; i++) {
      if (hashes[i] === 0) continue;
      let slot = hashes[i] % (mask + 1);
      while (this.hashes[slot] !== 0) slot = (slot + 1) & mask;
      this.hashes[slot] = hashes[i];
      this.lines[slot] = lines[i];
    }
  }
}

/** Two FNV-1a lanes with different offsets combined into a positive integer below 2^53 (never 0). */
function hashKey(key: string): number {
  let a = 0x811c9dc5;
  let b = 0x050c5d1f;
  for (let i = 0; i < key.length; i++) {
    const c = key.charCodeAt(i);
    a = Math.imul(a ^ c, 0x01000193);
    b = Math.imul(b ^ c, 0x01000193) ^ (b >>> 13);
  }
  return (a >>> 0) * 2 ** 21 + ((b >>> 0) >>> 11) + 1;
}
