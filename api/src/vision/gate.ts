/**
 * At most `size` tasks run at once; the rest wait in arrival order. Photos pass
 * through one so that a burst of requests holds a few decoded images at a time,
 * not one per queued request: memory stays flat however many clients pile up.
 */
export class Gate {
  #free: number;
  readonly #waiting: Array<() => void> = [];

  constructor(size: number) {
    if (!Number.isInteger(size) || size < 1) throw new RangeError(`a gate needs at least one slot, not ${size}`);
    this.#free = size;
  }

  /** Tasks waiting for a slot. */
  get waiting(): number {
    return this.#waiting.length;
  }

  async run<T>(task: () => Promise<T>): Promise<T> {
    if (this.#free > 0) this.#free--;
    else await new Promise<void>((resolve) => this.#waiting.push(resolve));
    try {
      return await task();
    } finally {
      // Hand the slot straight to the next in line, or give it back.
      const next = this.#waiting.shift();
      if (next) next();
      else this.#free++;
    }
  }
}
