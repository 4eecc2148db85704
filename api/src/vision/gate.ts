/**
 * At most `size` tasks run at once; the rest wait, by priority and then in
 * arrival order. Photos pass through one so that a burst of requests holds a
 * few decoded images at a time, not one per queued request: memory stays flat
 * however many clients pile up. The queue is bounded by the caller
 * (`queueLimit`: past it a task is refused at once, not made to wait longer
 * and longer), and a waiting task whose signal aborts leaves the queue before
 * it ever starts.
 */

/** The queue is full: the task was refused without waiting. */
export class QueueFullError extends Error {
  constructor(readonly waiting: number) {
    super(`${waiting} tasks are already waiting`);
  }
}

export interface Entry {
  /** When it aborts before the task's turn, the task leaves the queue and run() rejects with its reason. */
  signal?: AbortSignal;
  /** At most this many tasks may be waiting; past it run() rejects at once with QueueFullError. */
  queueLimit?: number;
  /** Lower goes first (equal priorities by arrival). */
  priority?: number;
}

interface Waiter {
  priority: number;
  start: () => void;
}

export class Gate {
  #free: number;
  readonly #waiting: Waiter[] = [];

  constructor(size: number) {
    if (!Number.isInteger(size) || size < 1) throw new RangeError(`a gate needs at least one slot, not ${size}`);
    this.#free = size;
  }

  /** Tasks waiting for a slot. */
  get waiting(): number {
    return this.#waiting.length;
  }

  async run<T>(task: () => Promise<T>, { signal, queueLimit = Infinity, priority = 0 }: Entry = {}): Promise<T> {
    signal?.throwIfAborted();
    if (this.#free > 0) this.#free--;
    else if (this.#waiting.length >= queueLimit) throw new QueueFullError(this.#waiting.length);
    else await this.#wait(priority, signal);
    try {
      return await task();
    } finally {
      // Hand the slot straight to the next in line, or give it back.
      const next = this.#waiting.shift();
      if (next) next.start();
      else this.#free++;
    }
  }

  #wait(priority: number, signal: AbortSignal | undefined): Promise<void> {
    return new Promise((resolve, reject) => {
      const drop = () => {
        this.#waiting.splice(this.#waiting.indexOf(waiter), 1);
        reject(signal!.reason);
      };
      const waiter: Waiter = {
        priority,
        start: () => {
          signal?.removeEventListener('abort', drop);
          resolve();
        },
      };
      // Behind every waiter of the same or a more urgent priority.
      let at = this.#waiting.length;
      while (at > 0 && this.#waiting[at - 1]!.priority > priority) at--;
      this.#waiting.splice(at, 0, waiter);
      signal?.addEventListener('abort', drop, { once: true });
    });
  }
}

/**
 * Which work is under way at which priority, so that less urgent work can
 * stand aside for the whole of more urgent work, not just for the part of it
 * that is queued. A photo's reading is a chain of inferences with pixel work
 * between them: a gate orders only the inferences waiting at the moment, so a
 * heavy photo's next inference slips into every gap of a light photo's reading,
 * and the light photo waits behind one heavy inference per step.
 */
export class Precedence {
  readonly #underWay = new Map<number, number>();
  /** Called (and emptied) whenever some work ends. */
  #onEnd: (() => void)[] = [];

  /** Runs `task` as work of this priority (lower is more urgent). */
  async during<T>(priority: number, task: () => Promise<T>): Promise<T> {
    this.#underWay.set(priority, (this.#underWay.get(priority) ?? 0) + 1);
    try {
      return await task();
    } finally {
      const left = this.#underWay.get(priority)! - 1;
      if (left === 0) this.#underWay.delete(priority);
      else this.#underWay.set(priority, left);
      for (const wake of this.#onEnd.splice(0)) wake();
    }
  }

  /** Resolves once no work more urgent than `priority` is under way; rejects when `signal` aborts first. */
  async clear(priority: number, signal?: AbortSignal): Promise<void> {
    while ([...this.#underWay.keys()].some((p) => p < priority)) {
      signal?.throwIfAborted();
      await new Promise<void>((resolve, reject) => {
        const abort = () => reject(signal!.reason);
        this.#onEnd.push(() => {
          signal?.removeEventListener('abort', abort);
          resolve();
        });
        signal?.addEventListener('abort', abort, { once: true });
      });
    }
  }
}

/**
 * The work's result, or the signal's reason as soon as it aborts: the caller
 * stops waiting at once, and the work settles on its own, unwatched (what it
 * does on abort is its own affair: a reading stops at its next step).
 */
export function untilAborted<T>(work: Promise<T>, signal?: AbortSignal): Promise<T> {
  if (!signal) return work;
  work.catch(() => {});
  return new Promise((resolve, reject) => {
    const stop = () => reject(signal.reason);
    if (signal.aborted) return stop();
    signal.addEventListener('abort', stop, { once: true });
    work.then(resolve, reject).finally(() => signal.removeEventListener('abort', stop));
  });
}
