/**
 * The page's end of the device worker (worker.ts): one worker, started on
 * first use, asked by message; its state (what is loaded, how fast it reads,
 * what is downloading) is reactive so the page can show it.
 */
import { reactive } from 'vue';
import type { CardsResponse, ErrorResponse, GameRequest, GameResponse } from '../../../api/src/app/contract';
import { untilAborted } from '../../../api/src/vision/gate';
import type { DeviceAnswer, Download, FromDevice, Part, Prepared, ReadJob, ToDevice } from './protocol';

/** The device reads well enough to prefer it to the server when its warm-up inference (640×480) takes at most this. */
export const FAST_ENOUGH_MS = 800;

type PartState = 'idle' | 'loading' | 'ready' | 'error';

export const device = reactive({
  reader: 'idle' as PartState,
  solver: 'idle' as PartState,
  /** The warm-up inference, ms (null until the reader has loaded). */
  warmMs: null as number | null,
  threads: 1,
  downloads: {} as Partial<Record<Download, { loaded: number; total: number }>>,
  error: '',
});

/** A problem the worker reported, with the API's error body (code, message, details). */
export class DeviceError extends Error {
  constructor(readonly body: ErrorResponse['error']) {
    super(body.message);
  }
}

type Request = ToDevice extends infer M ? (M extends { id: number; kind: infer K } ? (K extends 'cancel' ? never : Omit<M, 'id'>) : never) : never;

/**
 * How long a request may take before the worker is taken for lost (a worker
 * the browser stopped for memory sends no error): loading may download 24 MB.
 */
const DEADLINE_MS: Record<Request['kind'], number> = { prepare: 180_000, read: 60_000, advise: 30_000 };

let worker: Worker | undefined;
let nextId = 1;
const pending = new Map<number, { resolve: (value: unknown) => void; reject: (error: Error) => void }>();

function started(): Worker {
  if (worker) return worker;
  const w = new Worker(new URL('./worker.ts', import.meta.url), { type: 'module', name: 'quiddler-device' });
  w.addEventListener('message', (event: MessageEvent<FromDevice>) => {
    const message = event.data;
    if ('kind' in message) {
      device.downloads[message.download] = { loaded: message.loaded, total: message.total };
      return;
    }
    const waiting = pending.get(message.id);
    pending.delete(message.id);
    if (message.ok) waiting?.resolve(message.result);
    else waiting?.reject(new DeviceError(message.error));
  });
  // A worker that fails to start, crashes or garbles a message fails what it had; the next call starts another.
  w.addEventListener('error', (event) => {
    event.preventDefault();
    stopWorker(w, event.message || 'it could not start');
  });
  w.addEventListener('messageerror', () => stopWorker(w, 'a message could not be read'));
  return (worker = w);
}

/** Ends the worker and everything it had in hand; what was loaded must load again in the next one. */
function stopWorker(w: Worker, why: string): void {
  w.terminate();
  if (worker !== w) return;
  worker = undefined;
  const error = new DeviceError({ code: 'device_error', message: `the on-device assistant stopped: ${why}` });
  for (const waiting of pending.values()) waiting.reject(error);
  pending.clear();
  for (const part of ['reader', 'solver'] as const) device[part] = device[part] === 'loading' || device[part] === 'error' ? 'error' : 'idle';
}

function call<K extends Request['kind']>(request: Request & { kind: K }, signal?: AbortSignal): Promise<DeviceAnswer[K]> {
  const id = nextId++;
  const w = started();
  return new Promise<DeviceAnswer[K]>((resolve, reject) => {
    const timer = setTimeout(() => stopWorker(w, `no answer in ${DEADLINE_MS[request.kind] / 1000} s`), DEADLINE_MS[request.kind]);
    const cancel = () => {
      // The worker stops the reading at its next inference; the caller has already moved on.
      w.postMessage({ kind: 'cancel', id } satisfies ToDevice);
      settle(() => reject(new DOMException('cancelled', 'AbortError')));
    };
    const settle = (done: () => void) => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', cancel);
      pending.delete(id);
      done();
    };
    pending.set(id, { resolve: (value) => settle(() => resolve(value as DeviceAnswer[K])), reject: (error) => settle(() => reject(error)) });
    if (signal?.aborted) return cancel();
    signal?.addEventListener('abort', cancel, { once: true });
    w.postMessage({ ...request, id } as ToDevice);
  });
}

/** Loads in flight, per part: a part shows 'loading' while any is, whoever asked. */
const loads: Record<Part, number> = { reader: 0, solver: 0 };

/** Loads the parts (downloading their files unless `cachedOnly`, when only cached ones load); each part settles on its own. */
export async function prepare(parts: Part[], cachedOnly = false): Promise<Prepared> {
  const loading = parts.filter((part) => device[part] !== 'ready');
  for (const part of loading) {
    loads[part]++;
    device[part] = 'loading';
  }
  // What this load leaves a part as, unless another load of it is still under way (that one will say).
  const settle = (part: Part, state: PartState) => {
    if (--loads[part] === 0 && device[part] !== 'ready') device[part] = state;
  };
  try {
    const prepared = await call({ kind: 'prepare', parts, cachedOnly });
    for (const part of prepared.parts) device[part] = 'ready';
    const failed = prepared.failed ?? {};
    for (const part of loading) settle(part, prepared.parts.includes(part) ? 'ready' : failed[part] ? 'error' : 'idle');
    if (prepared.warmMs !== undefined) device.warmMs = Math.round(prepared.warmMs);
    if (prepared.threads !== undefined) device.threads = prepared.threads;
    device.error = Object.values(failed).join('; ');
    // The WASM runtime remembers a failed start: a new worker gives the next try a clean one.
    if (failed.reader && worker) stopWorker(worker, failed.reader);
    return prepared;
  } catch (error) {
    for (const part of loading) settle(part, 'error');
    device.error = (error as Error).message;
    throw error;
  }
}

/** Loads a part, or says why it could not. */
async function ready(part: Part): Promise<void> {
  const prepared = await prepare([part]);
  const why = prepared.failed?.[part];
  if (why) throw new DeviceError({ code: 'device_error', message: `this device could not do it: ${why}` });
}

/**
 * Reads the photos on the device; when `signal` aborts, the answer is its
 * reason (the page's AbortError) at once, a part still loading goes on loading
 * for the next caller, and the reading stops at its next inference.
 */
export async function readOnDevice(job: ReadJob, signal?: AbortSignal): Promise<CardsResponse> {
  await untilAborted(ready('reader'), signal);
  return call({ kind: 'read', job }, signal);
}

export async function adviseOnDevice(request: GameRequest, signal?: AbortSignal): Promise<GameResponse> {
  await untilAborted(ready('solver'), signal);
  return call({ kind: 'advise', request }, signal);
}

/** The device reads fast enough to be preferred (its reader is loaded and warmed up). */
export function deviceReadsWell(): boolean {
  return device.reader === 'ready' && device.warmMs !== null && device.warmMs <= FAST_ENOUGH_MS;
}
