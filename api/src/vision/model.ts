/**
 * The ONNX detector: one session per process, created and warmed once, shared
 * by every caller. The session, and the photo readings that use it, live in a
 * worker thread (model-worker.ts): inferences and pixel work leave the event
 * loop free for other requests.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Worker } from 'node:worker_threads';
import { PROJECT_ROOT } from '../settings.js';
import { startWorkerBeside } from '../worker-thread.js';
import { ImageDecodeError } from './image.js';
import type { FromWorker, ReadJob, ToWorker, WorkerError, WorkerReading } from './model-worker.js';
import type { Detection } from './postprocess.js';
import { lowerBackgroundThreads } from '../thread-priority.js';

export interface Detector {
  path: string;
  /** Class names by label id, from model/classes.json. */
  labels: string[];
  inputName: string;
  /** Milliseconds to create the session and run the warm-up. */
  loadMs: number;
  detect(tensor: Float32Array, width: number, height: number): Promise<Detection[]>;
  /**
   * Decodes and reads a photo in the detector's thread. Settles when that
   * thread is done with it: when `signal` aborts, the reading stops at its
   * next step (a decode under way runs to its end or its time limit).
   */
  read(job: ReadJob, signal?: AbortSignal): Promise<WorkerReading>;
}

const sessions = new Map<string, Promise<Detector>>();
/** Each detector thread, and when its work in hand is done. */
const threads = new Set<{ worker: Worker; idle: () => Promise<void> }>();

export function loadDetector(path: string): Promise<Detector> {
  let detector = sessions.get(path);
  if (!detector) {
    detector = createDetector(path);
    sessions.set(path, detector);
    detector.catch(() => sessions.delete(path));
  }
  return detector;
}

async function createDetector(path: string): Promise<Detector> {
  const started = performance.now();
  const classes = readFile(join(PROJECT_ROOT, 'model', 'classes.json'), 'utf8').then((text) => JSON.parse(text) as { labels: string[] });
  const worker = startWorkerBeside(import.meta.url, 'model-worker', { path });
  // A worker that dies takes its session along: the next caller starts another.
  worker.once('exit', () => sessions.delete(path));
  const { inputName, call, idle } = await connect(worker);
  const thread = { worker, idle };
  threads.add(thread);
  worker.once('exit', () => threads.delete(thread));
  const detect = async (tensor: Float32Array, width: number, height: number) => {
    // The caller may keep its tensor (the reader does, for a second look): the worker gets a copy, moved rather than cloned.
    const copy = tensor.slice();
    return (await call({ kind: 'detect', tensor: copy, width, height }, [copy.buffer])) as Detection[];
  };
  const read = async (job: ReadJob, signal?: AbortSignal) => {
    const bytes = new Uint8Array(job.bytes);
    const reading = (await call({ kind: 'read', ...job, bytes }, [bytes.buffer], signal)) as WorkerReading;
    const { rgb } = reading.image;
    return { ...reading, image: { ...reading.image, rgb: Buffer.from(rgb.buffer, rgb.byteOffset, rgb.byteLength) } };
  };
  // Warm-up: the first run allocates and plans; pay that now, not on a user's request.
  await detect(new Float32Array(3 * 480 * 640).fill(0.5), 640, 480);
  // Every thread that does photo work now exists (libuv's pool, the detector's): all go below the event loop.
  await lowerBackgroundThreads();
  return { path, labels: (await classes).labels, inputName, loadMs: performance.now() - started, detect, read };
}

type Request = DistributiveOmit<ToWorker, 'id'>;
type DistributiveOmit<T, K extends keyof T> = T extends unknown ? Omit<T, K> : never;

/**
 * Waits for the worker's session, then calls it by message. The worker holds
 * the process open only while a call is pending: a CLI run still exits when
 * its work is done.
 */
async function connect(worker: Worker) {
  const pending = new Map<number, { resolve: (value: unknown) => void; reject: (error: Error) => void }>();
  let nextId = 0;
  let failure: Error | undefined;
  const ready = new Promise<string>((resolve, reject) => {
    worker.on('message', (message: FromWorker) => {
      if ('ready' in message) return message.ready ? resolve(message.inputName) : reject(new Error(message.error));
      const call = pending.get(message.id);
      pending.delete(message.id);
      if (pending.size === 0) worker.unref();
      if ('error' in message) call?.reject(rebuilt(message.error));
      else call?.resolve('reading' in message ? message.reading : message.detections);
    });
    const fail = (error: Error) => {
      failure ??= error;
      reject(error);
      for (const call of pending.values()) call.reject(error);
      pending.clear();
    };
    worker.on('error', fail);
    worker.on('exit', (code) => fail(new Error(`the detector's worker stopped (exit ${code})`)));
  });
  const inputName = await ready;
  worker.unref();
  const idle = () =>
    new Promise<void>((resolve) => {
      const check = () => (pending.size === 0 || failure ? resolve() : setTimeout(check, 20));
      check();
    });
  const call = (request: Request, transfer: ArrayBuffer[], signal?: AbortSignal) =>
    new Promise<unknown>((resolve, reject) => {
      if (failure) return reject(failure);
      const id = nextId++;
      pending.set(id, { resolve, reject });
      worker.ref();
      worker.postMessage({ ...request, id } as ToWorker, transfer);
      const cancel = () => worker.postMessage({ kind: 'cancel', id } satisfies ToWorker);
      if (signal?.aborted) cancel();
      else signal?.addEventListener('abort', cancel, { once: true });
    });
  return { inputName, call, idle };
}

/**
 * Stops every detector thread once its work in hand is done (a cancelled
 * reading may still be decoding), waiting at most `ms`: a thread stopped in
 * the middle of a native call can abort the whole process on its way out.
 */
export async function closeDetectors(ms = 2000): Promise<void> {
  const limit = new Promise<void>((resolve) => setTimeout(resolve, ms).unref());
  await Promise.all(
    [...threads].map(async ({ worker, idle }) => {
      await Promise.race([idle(), limit]);
      await worker.terminate();
    }),
  );
}

/** An error from the worker as the main thread's callers expect it: an ImageDecodeError stays one. */
function rebuilt({ message, decode }: WorkerError): Error {
  return decode ? new ImageDecodeError(decode, message) : new Error(message);
}
