/**
 * The detector's thread: the ONNX session, and the photo readings that use it
 * (decode, then the pure reader over the session). onnxruntime-node runs an
 * inference synchronously on the thread that calls it, and the reader's pixel
 * work is plain JavaScript: on the main thread both would stall the event loop
 * for 50–150 ms at a time, and every other request (/api/game among them) with
 * it. Here they stall only this thread. Requests and answers go by message
 * (model.ts is the other end).
 */
import { availableParallelism } from 'node:os';
import { parentPort, workerData } from 'node:worker_threads';
import ort from 'onnxruntime-node';
import { asWork } from '../idle-memory.js';
import { Gate, Precedence } from './gate.js';
import { decodePhoto, ImageDecodeError, type DecodedPhoto, type PhotoHeader } from './image.js';
import { withCornerReader, type ReadCorners } from './corner-reader.js';
import type { ReadFaces } from './face-reader.js';
import { detectionsFrom, type Box, type Detection } from './postprocess.js';
import { readImage, type Detect, type ImageReading, type ReaderOptions } from './reader.js';
import { lowerThisThread } from '../thread-priority.js';
import type { AnswerMessage, ReadyMessage } from '../worker-thread.js';

/** A photo to decode and read, with the limits to decode it within. */
export interface ReadJob extends ReaderOptions {
  bytes: Uint8Array;
  header: PhotoHeader;
  maxPixels: number;
  timeoutSeconds: number;
  /** Lower first: a light photo's inferences go before a heavy one's. */
  priority: number;
}

/** A reading as the worker sends it back (boxes in the working copy's pixels). */
export interface WorkerReading extends ImageReading {
  image: DecodedPhoto;
  decodeMs: number;
  inferenceMs: number;
}

/** What failed, in a form that crosses threads (an ImageDecodeError is rebuilt on the other side). */
export type WorkerError = { message: string; decode?: ImageDecodeError['reason']; aborted?: boolean };

export type ToWorker =
  | { kind: 'detect'; id: number; tensor: Float32Array; width: number; height: number }
  | ({ kind: 'read'; id: number } & ReadJob)
  | { kind: 'cancel'; id: number };

/** What a call is answered with: a detect call's detections, a read call's reading. */
export type DetectorAnswer = { detections: Detection[] } | { reading: WorkerReading };
export type FromWorker = ReadyMessage<{ inputName: string }> | AnswerMessage<DetectorAnswer, WorkerError>;

const port = parentPort!;
const { path, cornerReaderPath, faceReaderPath } = workerData as { path: string; cornerReaderPath?: string; faceReaderPath?: string };

// Below the event loop, with the threads it starts (see thread-priority.ts).
lowerThisThread();
try {
  const session = await ort.InferenceSession.create(path, { intraOpNumThreads: availableParallelism(), graphOptimizationLevel: 'all' });
  const inputName = session.inputNames[0]!;
  const found: Detect = async (tensor, width, height) =>
    toDetections(await session.run({ [inputName]: new ort.Tensor('float32', tensor, [3, height, width]) }));
  const detect = cornerReaderPath ? withCornerReader(found, await cornerReader(cornerReaderPath)) : found;
  const faces = faceReaderPath ? await faceReader(faceReaderPath) : undefined;
  // One inference at a time: concurrent readings queue instead of oversubscribing the cores.
  const oneAtATime = new Gate(1);
  const infer = (tensor: Float32Array, width: number, height: number, priority = 0) =>
    oneAtATime.run(() => detect(tensor, width, height), { priority });
  const inferFaces = faces
    ? (tensor: Float32Array, width: number, height: number, priority = 0) => oneAtATime.run(() => faces(tensor, width, height), { priority })
    : undefined;
  const cancels = new Map<number, AbortController>();
  // A heavy photo's inferences wait while a light photo is being read, not only while one of its inferences is queued.
  const precedence = new Precedence();

  port.on('message', (message: ToWorker) => {
    if (message.kind === 'cancel') return cancels.get(message.id)?.abort();
    const { id } = message;
    // Counted as this thread's work: its decoded photos and tensors are given back once readings stop (idle-memory.ts).
    const answer = asWork(() =>
      message.kind === 'detect'
        ? infer(message.tensor, message.width, message.height).then((detections) => port.postMessage({ id, detections } satisfies FromWorker))
        : precedence
            .during(message.priority, () => read(message, { infer, inferFaces }, precedence, cancels))
            .then(({ reading, transfer }) => port.postMessage({ id, reading } satisfies FromWorker, transfer)),
    );
    answer.catch((error: unknown) => port.postMessage({ id, error: crossing(error) } satisfies FromWorker));
  });
  port.postMessage({ ready: true, inputName } satisfies FromWorker);
} catch (error) {
  port.postMessage({ ready: false, error: (error as Error).message } satisfies FromWorker);
}

type Infer = (tensor: Float32Array, width: number, height: number, priority?: number) => Promise<Detection[]>;
type InferFaces = (...args: [...Parameters<ReadFaces>, priority?: number]) => ReturnType<ReadFaces>;

async function read(
  { id, bytes, header, maxPixels, timeoutSeconds, priority, ...options }: ReadJob & { id: number },
  { infer, inferFaces }: { infer: Infer; inferFaces?: InferFaces },
  precedence: Precedence,
  cancels: Map<number, AbortController>,
) {
  const cancel = new AbortController();
  cancels.set(id, cancel);
  try {
    const started = performance.now();
    const image = await decodePhoto(bytes, maxPixels, { header, timeoutSeconds });
    cancel.signal.throwIfAborted();
    const decoded = performance.now();
    // Checked before every inference: a reading nobody waits for any more stops at its next step.
    const detect: Detect = async (tensor, width, height) => {
      await precedence.clear(priority, cancel.signal);
      cancel.signal.throwIfAborted();
      return infer(tensor, width, height, priority);
    };
    const readFaces: ReadFaces | undefined =
      inferFaces &&
      (async (tensor, width, height) => {
        await precedence.clear(priority, cancel.signal);
        cancel.signal.throwIfAborted();
        return inferFaces(tensor, width, height, priority);
      });
    const reading = await readImage(detect, { data: image.rgb, width: image.width, height: image.height }, options, readFaces);
    // The pixels go back moved, not cloned: a copy of our own (sharp's buffer may not be movable), handed over.
    const rgb = new Uint8Array(image.rgb);
    const result: WorkerReading = {
      ...reading,
      image: { ...image, rgb: Buffer.from(rgb.buffer) },
      decodeMs: decoded - started,
      inferenceMs: performance.now() - decoded,
    };
    return { reading: result, transfer: [rgb.buffer] };
  } finally {
    cancels.delete(id);
  }
}

function crossing(error: unknown): WorkerError {
  if (error instanceof ImageDecodeError) return { message: error.message, decode: error.reason };
  if (error instanceof DOMException && error.name === 'AbortError') return { message: 'cancelled', aborted: true };
  return { message: (error as Error).message ?? String(error) };
}

/** The corner reader's session (model/corner-reader.onnx): boxes of the detector's input in, class probabilities out. */
async function cornerReader(path: string): Promise<ReadCorners> {
  const session = await ort.InferenceSession.create(path, { intraOpNumThreads: availableParallelism(), graphOptimizationLevel: 'all' });
  return async (tensor, width, height, boxes: readonly Box[]) => {
    const image = new ort.Tensor('float32', tensor, [3, height, width]);
    const flat = new ort.Tensor('float32', Float32Array.from(boxes.flat()), [boxes.length, 4]);
    return (await session.run({ image, boxes: flat })).probs!.data as Float32Array;
  };
}

/** The face reader's session (model/face-reader.onnx): an image in, each window's class probabilities out. */
async function faceReader(path: string): Promise<ReadFaces> {
  const session = await ort.InferenceSession.create(path, { intraOpNumThreads: availableParallelism(), graphOptimizationLevel: 'all' });
  return async (tensor, width, height) => {
    const probs = (await session.run({ image: new ort.Tensor('float32', tensor, [3, height, width]) })).probs!;
    return { probs: probs.data as Float32Array, rows: probs.dims[1]!, cols: probs.dims[2]! };
  };
}

function toDetections(output: ort.InferenceSession.OnnxValueMapType): Detection[] {
  return detectionsFrom(output.boxes!.data as Float32Array, output.labels!.data as BigInt64Array | Int32Array, output.scores!.data as Float32Array);
}
