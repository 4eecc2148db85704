/**
 * Turns answered in threads of their own (advise-worker.ts), each with its own
 * copy of the word graph: the event loop only parses requests and writes
 * answers, so it keeps accepting connections and serving other requests while
 * turns are searched (a Node event loop busy with synchronous work accepts one
 * new connection per turn of the loop: 32 clients connecting at once waited up
 * to 10 s for their first answer). One turn per thread at a time; the rest
 * wait in a bounded queue (busy past it, which the HTTP adapters answer 503
 * with Retry-After) and leave it, unsearched, when their request's signal
 * aborts. Off by default (settings.gameThreads): a thread's V8 heap made the
 * server's settled size move by ±50 MB between measurements, and that is not
 * understood yet (README, "Load").
 */
import type { Worker } from 'node:worker_threads';
import { DomainError } from '../errors.js';
import { Gate, QueueFullError } from '../vision/gate.js';
import { requestThreadStarting } from '../thread-priority.js';
import { callsInto, startWorkerBeside, type WorkerCalls } from '../worker-thread.js';
import type { CrossingError } from './advise-worker.js';
import type { GameResponse } from './contract.js';
import type { GameInput } from './game-service.js';

/** Turns that may wait for a thread; past it a turn is refused at once (a normal turn takes ~30 ms, so these wait ~1 s at most). */
export const ADVISE_QUEUE = 64;
/**
 * A thread's young generation: a search makes much short-lived garbage, and V8
 * keeps this space committed once grown, collections or not. With Node's own
 * (about 48 MB) the soak's settled size was about 100 MB above the server's
 * without a game thread; at 16 MB, about 50, for about 4 % fewer turns a second.
 */
const YOUNG_GENERATION_MB = 16;
/** What a busy answer tells a client to wait before trying again. */
const RETRY_AFTER_S = 1;

export interface Adviser {
  /** The best play for a validated turn; rejects with a busy DomainError when the queue is full, or with the signal's reason when it aborts first. */
  advise(input: GameInput, signal?: AbortSignal): Promise<GameResponse>;
  /** Resolves once every thread has loaded the word graph. */
  warm(): Promise<void>;
}

const advisers = new Map<string, { adviser: Adviser; close: () => Promise<void> }>();

/**
 * The process's adviser over the word list at `dictionaryPath`, with `threads`
 * threads (started on first use, shared by every caller; the first call's count holds).
 */
export function adviserFor(dictionaryPath: string, threads: number): Adviser {
  let entry = advisers.get(dictionaryPath);
  if (!entry) {
    entry = createAdviser(dictionaryPath, threads);
    advisers.set(dictionaryPath, entry);
  }
  return entry.adviser;
}

/** Stops every adviser's threads once their turns in hand are answered (a turn's search is bounded: tens of milliseconds). */
export async function closeAdvisers(): Promise<void> {
  const all = [...advisers.values()];
  advisers.clear();
  await Promise.all(all.map(({ close }) => close()));
}

function createAdviser(dictionaryPath: string, size: number) {
  const gate = new Gate(size);
  const threads: (AdviserThread | undefined)[] = Array.from({ length: size });
  // A thread that stopped (a crash, an exhausted heap) is replaced by the next turn that needs it.
  const thread = (slot: number) => {
    const current = threads[slot];
    if (current && !current.stopped) return current;
    return (threads[slot] = new AdviserThread(dictionaryPath));
  };
  // Most recently used last, and taken first: one turn at a time stays on one thread, whose caches are warm.
  const idle = [...threads.keys()].reverse();
  const advise = async (input: GameInput, signal?: AbortSignal) => {
    try {
      return await gate.run(
        async () => {
          // The gate lets at most `size` turns in, so one slot is always free here.
          const slot = idle.pop()!;
          try {
            return await thread(slot).answer(input);
          } finally {
            idle.push(slot);
          }
        },
        { signal, queueLimit: ADVISE_QUEUE },
      );
    } catch (error) {
      if (!(error instanceof QueueFullError)) throw error;
      throw new DomainError('busy', 'busy', `the game solver is busy (${error.waiting} turns waiting); try again in ${RETRY_AFTER_S} s`, {
        retry_after_s: RETRY_AFTER_S,
      });
    }
  };
  const warm = async () => {
    await Promise.all(threads.map((_, slot) => thread(slot).ready));
  };
  const close = async () => {
    await Promise.all(threads.map((t) => t?.close()));
  };
  return { adviser: { advise, warm }, close };
}

/** One solving thread and the turns sent to it. It holds the process open only while a turn is pending (worker-thread.ts). */
class AdviserThread {
  readonly ready: Promise<void>;
  readonly #worker: Worker;
  readonly #calls: WorkerCalls<{ input: GameInput }, { response: GameResponse }, object>;

  constructor(dictionaryPath: string) {
    const resourceLimits = { maxYoungGenerationSizeMb: YOUNG_GENERATION_MB };
    this.#worker = startWorkerBeside(import.meta.url, 'advise-worker', { path: dictionaryPath }, { resourceLimits });
    this.#calls = callsInto(this.#worker, { failure: rebuilt, stopped: (code) => `a game-solving thread stopped (exit ${code})` });
    this.ready = this.#calls.ready.then(
      () => {},
      (error: Error) => {
        throw new Error(`the word list could not be loaded: ${error.message}`);
      },
    );
    // Photo work is lowered only once this thread has named itself (it has, when it is ready): see thread-priority.ts.
    requestThreadStarting(this.ready);
  }

  get stopped(): boolean {
    return this.#calls.stopped;
  }

  async answer(input: GameInput): Promise<GameResponse> {
    await this.ready;
    return (await this.#calls.call({ input })).response;
  }

  async close(): Promise<void> {
    await this.#calls.idle();
    await this.#worker.terminate();
  }
}

/** A failure from the thread as the callers expect it: a DomainError stays one (an invalid turn is still a 400). */
function rebuilt({ message, domain }: CrossingError): Error {
  return domain ? new DomainError(domain.kind, domain.code, message, domain.details) : new Error(message);
}
