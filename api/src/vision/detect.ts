/**
 * Photo in, cards out: the header checked here, then a bounded queue, then
 * decode with sharp and the pure reader (reader.ts) over the ONNX detector, in
 * the detector's thread (model.ts).
 */
import { DomainError } from '../errors.js';
import { requestSignal } from '../request-signal.js';
import { settings as processSettings, type Settings } from '../settings.js';
import { Gate, QueueFullError, untilAborted } from './gate.js';
import { inspectPhoto, type DecodedPhoto } from './image.js';
import { loadDetector } from './model.js';
import type { WorkerReading } from './model-worker.js';
import { inPhotoPixels, type PhotoReading } from './photo-reading.js';

export { SMALL_CORNER, SURE_SCORE } from './reader.js';

/** A reading, with the decoded photo (at its working size) for drawing on. */
export interface Reading extends PhotoReading {
  image: DecodedPhoto;
}

/** Two photos in flight: one decoding while the other is in the (serialized) detector. */
const photoGate = new Gate(2);
/**
 * Heavy decodes (image.ts HEAVY_PIXELS) pass one at a time before they may
 * take a photo slot, and wait behind light photos there: a burst of large
 * photos holds one large decode in memory and one slot, and ordinary photos
 * keep moving through the other.
 */
const heavyGate = new Gate(1);
/**
 * A heavy read takes seconds (a 25 MP decode, then the reader's closer looks
 * at a large photo): a sixteenth of the queue (2 of 32) may wait for one, so
 * that a waiting one is read within the deadline; the rest are turned away at once.
 */
const HEAVY_QUEUE_SHARE = 1 / 16;
/** What a 503 tells a client to wait before trying again. */
export const RETRY_AFTER_S = 2;

export interface ReadOptions {
  /** The number of cards the photo shows, when the player said: a hint. */
  expectedCount?: number;
  /** The settings to read with (the model, the limits, the turned views); the process's by default. */
  settings?: Settings;
  /** Drops the photo from the queue, or stops its reading at the next step, when it aborts; by default the request's (request-signal.ts). */
  signal?: AbortSignal;
  /**
   * A service answering requests sheds a photo not read this long after it
   * arrived (settings.readTimeoutMs); a command-line read or a benchmark waits
   * as long as the reading takes (the default).
   */
  deadlineMs?: number;
}

/**
 * Checks the photo's header (refused at once, before waiting, if it is no
 * photo or too large), waits its turn in a bounded queue (503 past it), then
 * decodes and reads it in the detector's thread within the settings' time
 * limits. When the request's signal or the deadline ends it, the answer comes
 * at once; the slot is held until the detector's thread has really stopped.
 */
export async function readPhoto(
  bytes: Uint8Array,
  { expectedCount, settings = processSettings(), signal = requestSignal(), deadlineMs }: ReadOptions = {},
): Promise<Reading> {
  const header = await inspectPhoto(bytes, settings.maxImagePixels);
  const detector = await loadDetector(settings);
  const limits = [signal, deadlineMs === undefined ? undefined : AbortSignal.timeout(deadlineMs)].filter((s) => s !== undefined);
  const stop = AbortSignal.any(limits);
  const { maxImagePixels: maxPixels, decodeTimeoutS: timeoutSeconds, turnedViews, viewDegrees, viewScope } = settings;
  const priority = header.heavy ? 1 : 0;
  const job = { bytes, header, maxPixels, timeoutSeconds, priority, expectedCount, turnedViews, viewDegrees, viewScope };
  const queue = { signal: stop, queueLimit: settings.readQueue };
  const read = () => photoGate.run(() => detector.read(job, stop), { ...queue, priority });
  const work = header.heavy ? heavyGate.run(read, { ...queue, queueLimit: Math.max(1, Math.floor(settings.readQueue * HEAVY_QUEUE_SHARE)) }) : read();
  try {
    return inPhotoPixelsWithImage(await untilAborted(work, stop));
  } catch (error) {
    throw explain(error, deadlineMs);
  }
}

function inPhotoPixelsWithImage({ image, decodeMs, inferenceMs, ...reading }: WorkerReading): Reading {
  const original = { width: image.originalWidth, height: image.originalHeight };
  return { ...inPhotoPixels(reading, image, original, { decodeMs, inferenceMs }), image };
}

/** A full queue and a passed deadline become 503s a client can act on; anything else (a hang-up, a bad photo) goes on as it is. */
function explain(error: unknown, deadlineMs: number | undefined): unknown {
  const retry = { retry_after_s: RETRY_AFTER_S };
  if (error instanceof QueueFullError) {
    return new DomainError('busy', 'busy', `the photo reader is busy (${error.waiting} photos waiting); try again in ${RETRY_AFTER_S} s`, retry);
  }
  if (error instanceof DOMException && error.name === 'TimeoutError') {
    return new DomainError('busy', 'read_timeout', `the photo could not be read within ${(deadlineMs ?? 0) / 1000} s; try again shortly`, retry);
  }
  return error;
}
