/**
 * Gives memory back once work stops. V8 collects garbage when it allocates, so
 * a burst's garbage (request bodies, decoded photos, tensors: mostly buffers
 * outside the heap that only a collection frees) stays resident after the
 * burst, until the next one; the process sits at its peak, not its working
 * size. One full collection a moment after the last piece of work ends frees
 * it, at a time nobody is waiting on this thread. Each thread (the event loop,
 * the detector's worker) has its own heap and so its own collector.
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

/** How long a thread must have been without work before it collects. */
export const QUIET_MS = 1000;

/**
 * V8's full collection, which Node keeps behind --expose-gc: the flag can be
 * set at run time, and a context made after that has `gc`. Undefined where
 * that fails (the collector then does nothing).
 */
function fullCollection(): (() => void) | undefined {
  const existing = (globalThis as { gc?: unknown }).gc;
  if (typeof existing === 'function') return existing as () => void;
  try {
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as unknown;
    return typeof gc === 'function' ? (gc as () => void) : undefined;
  } catch {
    return undefined;
  }
}

export class IdleCollector {
  #busy = 0;
  /** Whether work has run since the last collection: an idle process is not collected over and over. */
  #worked = false;
  #timer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly collect = fullCollection(),
    private readonly quietMs = QUIET_MS,
  ) {}

  /** Runs `task` as work: the thread collects once it has been without work for quietMs. */
  async during<T>(task: () => Promise<T>): Promise<T> {
    this.#busy++;
    this.#worked = true;
    clearTimeout(this.#timer);
    try {
      return await task();
    } finally {
      if (--this.#busy === 0) this.#timer = setTimeout(() => this.#collectIfQuiet(), this.quietMs).unref();
    }
  }

  #collectIfQuiet(): void {
    if (this.#busy > 0 || !this.#worked) return;
    this.#worked = false;
    this.collect?.();
  }
}

/** This thread's collector: modules are loaded once per thread, and so is this. */
const thisThread = new IdleCollector();

/** Runs `task` as this thread's work (see IdleCollector). */
export function asWork<T>(task: () => Promise<T>): Promise<T> {
  return thisThread.during(task);
}
