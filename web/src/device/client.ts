/**
 * The page's end of the device worker (worker.ts): one worker, started on
 * first use, asked by message; its state (what is loaded, how fast it reads,
 * what is downloading) is reactive so the page can show it.
 */
import { reactive } from 'vue';
import type { CardsResponse, ErrorResponse, GameRequest, GameResponse } from '../../../api/src/app/contract';
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

type Request = ToDevice extends infer M ? (M extends { id: number } ? Omit<M, 'id'> : never) : never;

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
  // A worker that fails to start (or crashes) fails what it had; the next call starts another.
  w.addEventListener('error', (event) => {
    event.preventDefault();
    const error = new DeviceError({ code: 'device_error', message: `the on-device assistant stopped: ${event.message || 'it could not start'}` });
    for (const waiting of pending.values()) waiting.reject(error);
    pending.clear();
    w.terminate();
    if (worker === w) worker = undefined;
    device.reader = device.reader === 'ready' ? 'idle' : device.reader === 'loading' ? 'error' : device.reader;
    device.solver = device.solver === 'ready' ? 'idle' : device.solver === 'loading' ? 'error' : device.solver;
  });
  return (worker = w);
}

function call<K extends keyof DeviceAnswer>(request: Request & { kind: K }): Promise<DeviceAnswer[K]> {
  const id = nextId++;
  return new Promise((resolve, reject) => {
    pending.set(id, { resolve: resolve as (value: unknown) => void, reject });
    started().postMessage({ ...request, id } as ToDevice);
  });
}

/** Loads in flight, per part: a part shows 'loading' while any is, whoever asked. */
const loads: Record<Part, number> = { reader: 0, solver: 0 };

/** Loads the parts (downloading their files unless `cachedOnly`, when only cached ones load). */
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
    for (const part of loading) settle(part, prepared.parts.includes(part) ? 'ready' : 'idle');
    if (prepared.warmMs !== undefined) device.warmMs = Math.round(prepared.warmMs);
    if (prepared.threads !== undefined) device.threads = prepared.threads;
    device.error = '';
    return prepared;
  } catch (error) {
    for (const part of loading) settle(part, 'error');
    device.error = (error as Error).message;
    throw error;
  }
}

export async function readOnDevice(job: ReadJob): Promise<CardsResponse> {
  await prepare(['reader']);
  return call({ kind: 'read', job });
}

export async function adviseOnDevice(request: GameRequest): Promise<GameResponse> {
  await prepare(['solver']);
  return call({ kind: 'advise', request });
}

/** The device reads fast enough to be preferred (its reader is loaded and warmed up). */
export function deviceReadsWell(): boolean {
  return device.reader === 'ready' && device.warmMs !== null && device.warmMs <= FAST_ENOUGH_MS;
}
