/**
 * The ONNX detector: one session per process, created and warmed once, shared
 * by every caller. The session, and the photo readings that use it, live in a
 * worker thread (model-worker.ts): inferences and pixel work leave the event
 * loop free for other requests.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Worker } from 'node:worker_threads';
import { PROJECT_ROOT, type Settings } from '../settings.js';
import { callsInto, startWorkerBeside } from '../worker-thread.js';
import { ImageDecodeError } from './image.js';
import type { DetectorAnswer, ReadJob, ToWorker, WorkerError, WorkerReading } from './model-worker.js';
import type { Detection } from './postprocess.js';
import { lowerBackgroundThreads } from '../thread-priority.js';

export interface Detector {
  path: string;
  /** The corner reader that reads the detector's finds again, if any. */
  cornerReaderPath?: string;
  /** The face reader that reads cards from their faces when the corners read none, if any. */
  faceReaderPath?: string;
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

/** The model files a detector runs: the detector, the corner reader that reads its finds again and the face reader (each optional). */
export type DetectorFiles = Pick<Settings, 'modelPath' | 'cornerReaderPath' | 'faceReaderPath'>;

export function loadDetector(files: DetectorFiles): Promise<Detector> {
  const key = `${files.modelPath}\n${files.cornerReaderPath ?? ''}\n${files.faceReaderPath ?? ''}`;
  let detector = sessions.get(key);
  if (!detector) {
    detector = createDetector(files, () => sessions.delete(key));
    sessions.set(key, detector);
    detector.catch(() => sessions.delete(key));
  }
  return detector;
}

async function createDetector({ modelPath: path, cornerReaderPath, faceReaderPath }: DetectorFiles, forget: () => void): Promise<Detector> {
  const started = performance.now();
  const classes = readFile(join(PROJECT_ROOT, 'model', 'classes.json'), 'utf8').then((text) => JSON.parse(text) as { labels: string[] });
  const worker = startWorkerBeside(import.meta.url, 'model-worker', { path, cornerReaderPath, faceReaderPath });
  // A worker that dies takes its session along: the next caller starts another.
  worker.once('exit', forget);
  const calls = callsInto<Request, DetectorAnswer, { inputName: string }, WorkerError>(worker, {
    failure: rebuilt,
    stopped: (code) => `the detector's worker stopped (exit ${code})`,
  });
  const { inputName } = await calls.ready;
  const thread = { worker, idle: calls.idle };
  threads.add(thread);
  worker.once('exit', () => threads.delete(thread));
  const detect = async (tensor: Float32Array, width: number, height: number) => {
    // The caller may keep its tensor (the reader does, for a second look): the worker gets a copy, moved rather than cloned.
    const copy = tensor.slice();
    const answer = await calls.call({ kind: 'detect', tensor: copy, width, height }, { transfer: [copy.buffer] });
    return (answer as { detections: Detection[] }).detections;
  };
  const read = async (job: ReadJob, signal?: AbortSignal) => {
    const bytes = new Uint8Array(job.bytes);
    const cancel = (id: number): ToWorker => ({ kind: 'cancel', id });
    const answer = await calls.call({ kind: 'read', ...job, bytes }, { transfer: [bytes.buffer], signal, cancel });
    const { reading } = answer as { reading: WorkerReading };
    const { rgb } = reading.image;
    return { ...reading, image: { ...reading.image, rgb: Buffer.from(rgb.buffer, rgb.byteOffset, rgb.byteLength) } };
  };
  // Warm-up: the first run allocates and plans; pay that now, not on a user's request.
  await detect(new Float32Array(3 * 480 * 640).fill(0.5), 640, 480);
  // Every thread that does photo work now exists (libuv's pool, the detector's): all go below the event loop.
  await lowerBackgroundThreads();
  return { path, cornerReaderPath, faceReaderPath, labels: (await classes).labels, inputName, loadMs: performance.now() - started, detect, read };
}

type Request = DistributiveOmit<ToWorker, 'id'>;
type DistributiveOmit<T, K extends keyof T> = T extends unknown ? Omit<T, K> : never;

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
