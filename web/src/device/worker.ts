/**
 * The assistant on the device: a Web Worker that reads photos and solves
 * turns with the server's own code. The reader (api/src/vision/reader.ts),
 * the answer builders (app/photo-json.ts, app/game-service.ts) and the engine
 * are imported, not copied; only the edges differ: createImageBitmap and an
 * OffscreenCanvas decode the photo (sharp on the server), onnxruntime-web runs
 * model/quiddler.onnx, model/corner-reader.onnx and model/face-reader.onnx (onnxruntime-node there), and the word graph comes from
 * a fetch (a file read there). Off the main thread, so the page stays smooth
 * while an inference takes a few hundred milliseconds.
 */
import type { CardsResponse, ErrorResponse, GameRequest, GameResponse, PhotoReadingJson } from '../../../api/src/app/contract';
import { answerTurn, parseGameInput } from '../../../api/src/app/game-service';
import { PHOTO_KINDS, photoHint, photoJson } from '../../../api/src/app/photo-json';
import { parseReadOptions } from '../../../api/src/app/read-options';
import { DomainError } from '../../../api/src/errors';
import { deserializeWordGraph } from '../../../api/src/game/word-graph';
import { DEFAULT_MAX_IMAGE_PIXELS, FORMAT_NAMES, refusal, sizeProblem, sniffFormat } from '../../../api/src/vision/photo-format';
import { inPhotoPixels } from '../../../api/src/vision/photo-reading';
import { withCornerReader, type ReadCorners } from '../../../api/src/vision/corner-reader';
import type { ReadFaces } from '../../../api/src/vision/face-reader';
import { detectionsFrom } from '../../../api/src/vision/postprocess';
import { readImage, READER_DEFAULTS, WORKING_LONG_SIDE, type Detect } from '../../../api/src/vision/reader';
import type { InferenceSession } from 'onnxruntime-web';
import dictionaryUrl from '../../../dictionary/sowpods.dawg?url';
import cornerReaderUrl from '../../../model/corner-reader.onnx?url';
import faceReaderUrl from '../../../model/face-reader.onnx?url';
import modelUrl from '../../../model/quiddler.onnx?url';
import wasmUrl from 'onnxruntime-web/ort-wasm-simd-threaded.wasm?url';
import { readStream, sha256Hex } from '../shared/bytes';
import type { DeviceAnswer, Download, FromDevice, Part, Prepared, ReadJob, ToDevice } from './protocol';

/** How often download progress is posted to the page. */
const PROGRESS_INTERVAL_MS = 150;
/** The file name the server reports its model under (GET /api/model `name`). */
const MODEL_NAME = 'quiddler.onnx';

interface WorkerScope {
  postMessage(message: FromDevice): void;
  addEventListener(type: 'message', listener: (event: MessageEvent<ToDevice>) => void): void;
  name: string;
}
const scope = self as unknown as WorkerScope;

// onnxruntime-web starts its thread workers from its own module: those run none of this.
if (!scope.name.startsWith('em-pthread')) scope.addEventListener('message', (event) => void answer(event.data));

/** The readings under way, to stop when the page no longer waits for them. */
const cancels = new Map<number, AbortController>();

async function answer(message: ToDevice): Promise<void> {
  if (message.kind === 'cancel') return void cancels.get(message.id)?.abort();
  const cancel = new AbortController();
  cancels.set(message.id, cancel);
  try {
    const result = await handle(message, cancel.signal);
    scope.postMessage({ id: message.id, ok: true, result });
  } catch (error) {
    if (!cancel.signal.aborted) scope.postMessage({ id: message.id, ok: false, error: asError(error) });
  } finally {
    cancels.delete(message.id);
  }
}

function handle(message: Exclude<ToDevice, { kind: 'cancel' }>, signal: AbortSignal): Promise<DeviceAnswer[keyof DeviceAnswer]> {
  switch (message.kind) {
    case 'prepare':
      return prepare(message.parts, message.cachedOnly ?? false);
    case 'read':
      return read(message.job, signal);
    case 'advise':
      return advise(message.request);
  }
}

/** The same error body the API sends (its code, message and details), so the page explains both paths alike. */
function asError(error: unknown): ErrorResponse['error'] {
  if (error instanceof DomainError) return { ...error.details, code: error.code, message: error.message };
  return { code: 'device_error', message: `this device could not do it: ${(error as Error)?.message ?? String(error)}` };
}

// ---- files: from the offline cache when there, else downloaded with progress ----

async function cachedResponse(url: string): Promise<Response | undefined> {
  if (typeof caches === 'undefined') return undefined;
  return caches.match(url).catch(() => undefined);
}

/** The file's bytes, reporting progress as they arrive. */
async function download(url: string, what: Download): Promise<Uint8Array> {
  const response = (await cachedResponse(url)) ?? (await fetch(url));
  if (!response.ok || !response.body) throw new Error(`${url} answered ${response.status}`);
  const total = Number(response.headers.get('Content-Length')) || 0;
  let loaded = 0;
  let said = 0;
  const say = () => scope.postMessage({ kind: 'progress', download: what, loaded, total: Math.max(total, loaded) });
  const bytes = await readStream(response.body, (n) => {
    loaded += n;
    // At most a few times a second: a 14 MB file arrives in hundreds of chunks.
    if (performance.now() - said < PROGRESS_INTERVAL_MS) return;
    said = performance.now();
    say();
  });
  say();
  return bytes;
}

// ---- the two parts, each loaded once behind a shared promise ----

interface Reader {
  detect: Detect;
  readFaces: ReadFaces;
  version: string;
  warmMs: number;
  threads: number;
}

/** Loads on first use, shares that one load with every later caller, and forgets a failed one (offline, say) so it may be tried again. */
function loadedOnce<T>(load: () => Promise<T>): () => Promise<T> {
  let loading: Promise<T> | undefined;
  return () => {
    if (!loading) {
      loading = load();
      loading.catch(() => (loading = undefined));
    }
    return loading;
  };
}

const loadReader = loadedOnce(createReader);
const loadSolver = loadedOnce(async () => deserializeWordGraph(await download(dictionaryUrl, 'dictionary')));

async function createReader(): Promise<Reader> {
  const ort = await import('onnxruntime-web/wasm');
  // Threads need SharedArrayBuffer, which only a cross-origin isolated page has; every core helps (the server uses all of its).
  const threads = globalThis.crossOriginIsolated ? Math.max(1, Math.min(navigator.hardwareConcurrency || 1, 8)) : 1;
  ort.env.wasm.numThreads = threads;
  ort.env.wasm.proxy = false; // this is already a worker
  // Both fetched here, with progress; the runtime is handed its WASM's bytes rather than fetching them again.
  const [model, cornerModel, faceModel, wasm] = await Promise.all([
    download(modelUrl, 'model'),
    download(cornerReaderUrl, 'corner-reader'),
    download(faceReaderUrl, 'face-reader'),
    download(wasmUrl, 'runtime'),
  ]);
  ort.env.wasm.wasmBinary = wasm;
  const options = { executionProviders: ['wasm'], graphOptimizationLevel: 'all' } as const;
  const session = await ort.InferenceSession.create(model, options);
  const cornerSession = await ort.InferenceSession.create(cornerModel, options);
  const faceSession = await ort.InferenceSession.create(faceModel, options);
  const inputName = session.inputNames[0]!;
  const found: Detect = async (tensor, width, height) =>
    toDetections(await session.run({ [inputName]: new ort.Tensor('float32', tensor, [3, height, width]) }));
  const readCorners: ReadCorners = async (tensor, width, height, boxes) => {
    const feeds = {
      image: new ort.Tensor('float32', tensor, [3, height, width]),
      boxes: new ort.Tensor('float32', Float32Array.from(boxes.flat()), [boxes.length, 4]),
    };
    return (await cornerSession.run(feeds)).probs!.data as Float32Array;
  };
  const both = withCornerReader(found, readCorners);
  const faces: ReadFaces = async (tensor, width, height) => {
    const probs = (await faceSession.run({ image: new ort.Tensor('float32', tensor, [3, height, width]) })).probs!;
    return { probs: probs.data as Float32Array, rows: probs.dims[1]!, cols: probs.dims[2]! };
  };
  let queue: Promise<unknown> = Promise.resolve();
  // One inference at a time, in order: a session runs one at a time anyway.
  const inTurn = <T>(run: () => Promise<T>): Promise<T> => {
    const result = queue.then(run);
    queue = result.catch(() => {});
    return result;
  };
  const detect: Detect = (tensor, width, height) => inTurn(() => both(tensor, width, height));
  const readFaces: ReadFaces = (tensor, width, height) => inTurn(() => faces(tensor, width, height));
  // Warm-up: the first run plans and allocates; the second's time says how fast this device reads.
  const blank = new Float32Array(3 * 480 * 640).fill(0.5);
  await detect(blank, 640, 480);
  const started = performance.now();
  await detect(blank, 640, 480);
  const warmMs = performance.now() - started;
  return { detect, readFaces, version: await contentVersion(model, cornerModel, faceModel), warmMs, threads };
}

function toDetections(output: InferenceSession.OnnxValueMapType) {
  return detectionsFrom(output.boxes!.data as Float32Array, output.labels!.data as BigInt64Array | Int32Array, output.scores!.data as Float32Array);
}

/** The models' version as the server gives it (GET /api/model, modelVersion): SHA-256 over the detector's bytes, then the corner reader's, then the face reader's; 12 hex digits. */
async function contentVersion(...files: Uint8Array[]): Promise<string> {
  const all = new Uint8Array(files.reduce((sum, f) => sum + f.length, 0));
  files.reduce((at, f) => (all.set(f, at), at + f.length), 0);
  return (await sha256Hex(all)).slice(0, 12);
}

async function prepare(parts: Part[], cachedOnly: boolean): Promise<Prepared> {
  const files: Record<Part, string[]> = { reader: [modelUrl, cornerReaderUrl, faceReaderUrl, wasmUrl], solver: [dictionaryUrl] };
  const load: Record<Part, () => Promise<unknown>> = { reader: loadReader, solver: loadSolver };
  const prepared: Prepared & { failed: Partial<Record<Part, string>> } = { parts: [], failed: {} };
  const notCached: Part[] = [];
  // Each part on its own: a browser that cannot run the WASM runtime still solves turns.
  await Promise.all(
    parts.map(async (part) => {
      if (cachedOnly && !(await Promise.all(files[part].map(cachedResponse))).every(Boolean)) return void notCached.push(part);
      try {
        await load[part]();
        prepared.parts.push(part);
      } catch (error) {
        prepared.failed[part] = (error as Error)?.message ?? String(error);
      }
    }),
  );
  if (prepared.parts.includes('reader')) {
    const reader = await loadReader();
    Object.assign(prepared, { warmMs: reader.warmMs, threads: reader.threads });
  }
  return { ...prepared, ...(notCached.length ? { notCached } : {}) };
}

// ---- reading photos ----

/**
 * The photo as the reader's working copy: EXIF turn applied, alpha on white,
 * at most WORKING_LONG_SIDE a side, 8-bit RGB; as the server's decodePhoto does.
 */
async function decode(photo: Blob): Promise<{ rgb: Uint8Array; width: number; height: number; originalWidth: number; originalHeight: number }> {
  // The server's checks first, in its words: photo formats only (told from the bytes), then the size.
  const head = new Uint8Array(await photo.slice(0, 1024).arrayBuffer());
  if (!sniffFormat(head)) throw new DomainError('unsupported', 'unsupported_image', refusal(head));
  let full: ImageBitmap;
  try {
    full = await createImageBitmap(photo, { imageOrientation: 'from-image' });
  } catch {
    throw new DomainError('unsupported', 'unsupported_image', `not a readable image (${FORMAT_NAMES}): this browser could not decode it`);
  }
  const { width: originalWidth, height: originalHeight } = full;
  const oversize = sizeProblem(originalWidth, originalHeight, DEFAULT_MAX_IMAGE_PIXELS);
  if (oversize) {
    full.close();
    throw new DomainError('too_large', 'image_too_large', oversize);
  }
  const scale = Math.min(1, WORKING_LONG_SIDE / Math.max(originalWidth, originalHeight));
  const width = Math.max(1, Math.round(originalWidth * scale));
  const height = Math.max(1, Math.round(originalHeight * scale));
  let bitmap = full;
  if (scale < 1) {
    bitmap = await createImageBitmap(full, { resizeWidth: width, resizeHeight: height, resizeQuality: 'high' });
    full.close();
  }
  const canvas = new OffscreenCanvas(width, height);
  const context = canvas.getContext('2d', { willReadFrequently: true })!;
  context.fillStyle = '#ffffff';
  context.fillRect(0, 0, width, height);
  context.drawImage(bitmap, 0, 0);
  bitmap.close();
  const rgba = context.getImageData(0, 0, width, height).data;
  const rgb = new Uint8Array(width * height * 3);
  for (let i = 0, j = 0; i < rgba.length; i += 4, j += 3) {
    rgb[j] = rgba[i]!;
    rgb[j + 1] = rgba[i + 1]!;
    rgb[j + 2] = rgba[i + 2]!;
  }
  return { rgb, width, height, originalWidth, originalHeight };
}

async function readOne(detect: Detect, readFaces: ReadFaces, photo: Blob, hint: number | undefined): Promise<PhotoReadingJson> {
  const started = performance.now();
  const image = await decode(photo);
  const decoded = performance.now();
  const pixels = { data: image.rgb, width: image.width, height: image.height };
  const reading = await readImage(detect, pixels, { ...READER_DEFAULTS, expectedCount: hint }, readFaces);
  const timing = { decodeMs: decoded - started, inferenceMs: performance.now() - decoded };
  const original = { width: image.originalWidth, height: image.originalHeight };
  return photoJson({ reading: inPhotoPixels(reading, image, original, timing), ...(hint !== undefined ? { hint } : {}) });
}

/** The same answer as POST /api/cards with `images: false` (the page draws the boxes itself). */
async function read(job: ReadJob, signal: AbortSignal): Promise<CardsResponse> {
  const started = performance.now();
  // The same checks, and words, as the server's.
  const { nCards } = parseReadOptions({ n_cards: job.nCards });
  if (!job.hand && !job.deck) throw new DomainError('invalid', 'missing_image', 'send a "hand" and/or a "deck" photo');
  const reader = await loadReader();
  // Checked before every inference: a reading the page no longer waits for stops at its next step.
  const detect: Detect = (tensor, width, height) => {
    signal.throwIfAborted();
    return reader.detect(tensor, width, height);
  };
  const readFaces: ReadFaces = (tensor, width, height) => {
    signal.throwIfAborted();
    return reader.readFaces(tensor, width, height);
  };
  const answer: CardsResponse = { model: { name: MODEL_NAME, version: reader.version }, timing_ms: 0 };
  for (const kind of PHOTO_KINDS) {
    const photo = job[kind];
    if (photo) answer[kind] = await readOne(detect, readFaces, photo, photoHint(kind, nCards));
  }
  answer.timing_ms = Math.round(performance.now() - started);
  return answer;
}

// ---- solving turns ----

/** The same answer as POST /api/game with this body. */
async function advise(request: GameRequest): Promise<GameResponse> {
  const input = parseGameInput(request as unknown as Record<string, unknown>);
  return answerTurn(await loadSolver(), input);
}
