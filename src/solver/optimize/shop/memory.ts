/**
 * Tabu memory: "op a before op b on a machine" and "op on machine k" attributes, each forbidden
 * until an iteration. Pairs are a dense n² table up to 2048 ops, a hashed table beyond (a rare
 * collision only forbids an extra pair for a while).
 */
export class TabuMemory {
  /** The current iteration: an attribute is tabu while its expiry is later. */
  now = 0;
  private readonly pairs: Int32Array;
  private readonly hashed: boolean;
  private readonly assign: Int32Array;

  constructor(
    private readonly n: number,
    private readonly m: number,
  ) {
    this.hashed = n > 2048;
    this.pairs = new Int32Array(this.hashed ? HASH_SIZE : n * n);
    this.assign = new Int32Array(n * m);
  }

  private slot(a: number, b: number): number {
    const key = a * this.n + b;
    return this.hashed ? (Math.imul(key, 0x9e3779b1) >>> 10) & (HASH_SIZE - 1) : key;
  }

  /** Would putting a before b again be tabu? */
  pairTabu(a: number, b: number): boolean {
    return this.pairs[this.slot(a, b)]! > this.now;
  }

  forbidPair(a: number, b: number, until: number): void {
    this.pairs[this.slot(a, b)] = until;
  }

  assignTabu(op: number, machine: number): boolean {
    return this.assign[op * this.m + machine]! > this.now;
  }

  forbidAssign(op: number, machine: number, until: number): void {
    this.assign[op * this.m + machine] = until;
  }
}

const HASH_SIZE = 1 << 22;
