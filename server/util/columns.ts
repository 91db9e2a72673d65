/** Column storage: numbers in typed arrays instead of an object per row. */

/** A growable typed array, for columns built from a stream of rows whose count is not known up front. */
export class Column<T extends Uint8Array | Int32Array | Float64Array> {
  data: T;
  length = 0;
  constructor(
    private readonly allocate: (length: number) => T,
    capacity = 1024,
  ) {
    this.data = allocate(capacity);
  }
  push(value: number): number {
    if (this.length === this.data.length) {
      const grown = this.allocate(this.data.length * 2);
      grown.set(this.data);
      this.data = grown;
    }
    this.data[this.length] = value;
    return this.length++;
  }
  /** Right-sized: the array itself when it is full, else a copy without the slack of doubling. */
  trimmed(): T {
    return this.length === this.data.length ? this.data : (this.data.slice(0, this.length) as T);
  }
}

export const uint8Column = (capacity?: number) => new Column((length) => new Uint8Array(length), capacity);
export const int32Column = (capacity?: number) => new Column((length) => new Int32Array(length), capacity);
export const float64Column = (capacity?: number) => new Column((length) => new Float64Array(length), capacity);

/** Gives each distinct value a small number, so a column stores 4 bytes instead of a reference per row. */
export class Interner<T> {
  readonly values: T[] = [];
  private readonly numbers = new Map<T, number>();
  of(value: T): number {
    let n = this.numbers.get(value);
    if (n === undefined) {
      n = this.values.length;
      this.values.push(value);
      this.numbers.set(value, n);
    }
    return n;
  }
}
