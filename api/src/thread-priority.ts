/**
 * CPU priorities of the process's threads, so that requests stay quick while
 * photos are decoded and read on every core. On Linux each thread has its own
 * nice value and a thread inherits its creator's; elsewhere these do nothing.
 */
import { readdirSync, readFileSync, readlinkSync, writeFileSync } from 'node:fs';
import { getPriority, setPriority } from 'node:os';

/** How much less CPU priority (nice) the detector's threads take than the event loop that answers requests. */
export const READING_NICENESS = 10;
/** And decodes, below those: a 25 MP decode is bulk work, and a normal photo's inferences go before it. */
export const DECODING_NICENESS = 19;

/**
 * Lowers the calling thread (the detector's worker), and so the threads it
 * starts later: onnxruntime's pool, and libvips' when it decodes from here.
 */
export function lowerThisThread(): void {
  try {
    const thread = Number(readlinkSync('/proc/thread-self').split('/').pop());
    if (Number.isInteger(thread)) lower(thread, READING_NICENESS);
  } catch {
    // no per-thread priorities here: the reading runs at the process's
  }
}

/**
 * The name a thread that answers requests (a game-solving thread) gives
 * itself, so that lowerBackgroundThreads leaves it at the event loop's
 * priority: a turn must not wait behind photo work.
 */
const REQUEST_THREAD_NAME = 'quiddler-turns';

/** Request threads that have not named themselves yet: a lowering waits for them. */
const starting = new Set<Promise<unknown>>();

/** Tells a lowering to wait for a request thread until `named` settles (it settles once the thread has named itself). */
export function requestThreadStarting(named: Promise<unknown>): void {
  starting.add(named);
  const done = () => starting.delete(named);
  named.then(done, done);
}

/** Names the calling thread a request thread. Call it first thing in the thread: a lowering after that passes it by. */
export function markRequestThread(): void {
  try {
    writeFileSync('/proc/thread-self/comm', REQUEST_THREAD_NAME);
  } catch {
    // no per-thread names (and so no per-thread priorities) here
  }
}

/**
 * Lowers every thread of the process but the main one and the request threads
 * (once those starting have named themselves) (whose thread id is the
 * process id). libuv's pool is shared by the whole process and was started by
 * the main thread, at its priority: sharp decodes there, and the libvips
 * threads it starts inherit that. Left at the event loop's priority, one 25 MP
 * decode takes a core away from the detector's threads (nice 10 weigh a tenth
 * of nice 0), and a normal photo read beside it waits seconds. Run once the
 * pool and the detector's threads exist; threads started later by those inherit
 * the lower priority. V8's helper threads are lowered too.
 */
export async function lowerBackgroundThreads(): Promise<void> {
  // Nothing is awaited between the last check and the listing: a request thread started before it is named by then.
  while (starting.size > 0) await Promise.allSettled([...starting]);
  try {
    for (const name of readdirSync('/proc/self/task')) {
      const thread = Number(name);
      if (Number.isInteger(thread) && thread !== process.pid && !isRequestThread(name)) lower(thread, DECODING_NICENESS);
    }
  } catch {
    // not Linux: nothing to lower
  }
}

function isRequestThread(thread: string): boolean {
  try {
    return readFileSync(`/proc/self/task/${thread}/comm`, 'utf8').trim() === REQUEST_THREAD_NAME;
  } catch {
    return false;
  }
}

/** Lowers a thread to `niceness` below the main thread (not past 19), unless it is already lower than the main thread. */
function lower(thread: number, niceness: number): void {
  try {
    // Relative to the main thread's: a server started under `nice` keeps the same gaps.
    const main = getPriority(process.pid);
    const current = getPriority(thread);
    if (current <= main) setPriority(thread, Math.min(19, main + niceness));
  } catch {
    // the thread has ended since it was listed
  }
}
