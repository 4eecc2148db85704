/**
 * Worker threads of our own: starting one from its built or its source file,
 * and calling into it by message (the detector's thread, the game threads).
 */
import { Worker, type Transferable, type WorkerOptions } from 'node:worker_threads';

/**
 * Starts the worker thread whose entry sits beside a module: built, the `.js`
 * file; run from source (tsx), the `.ts` file, with tsx's hooks registered
 * inside the worker first (Node 20 does not apply a parent's hooks to a
 * worker's entry file).
 */
export function startWorkerBeside(moduleUrl: string, entry: string, workerData: unknown, options: WorkerOptions = {}): Worker {
  if (!moduleUrl.endsWith('.ts')) return new Worker(new URL(`./${entry}.js`, moduleUrl), { ...options, workerData });
  const [tsx, worker] = [import.meta.resolve('tsx/esm/api'), new URL(`./${entry}.ts`, moduleUrl).href].map((url) => JSON.stringify(url));
  return new Worker(`import(${tsx}).then((tsx) => { tsx.register(); return import(${worker}); })`, { ...options, eval: true, workerData });
}

/** What a worker says once it has loaded (with what else it reports then), or why it could not. */
export type ReadyMessage<Extra extends object = object> = ({ ready: true } & Extra) | { ready: false; error: string };
/** A worker's answer to call `id`: its result, or a failure in a form that crossed threads. */
export type AnswerMessage<Result extends object, Failure> = ({ id: number } & Result) | { id: number; error: Failure };

export interface CallOptions {
  /** Buffers moved to the worker rather than cloned. */
  transfer?: readonly Transferable[];
  /** When it aborts, `cancel(id)` is posted to the worker: the call still settles when the worker answers. */
  signal?: AbortSignal;
  cancel?: (id: number) => unknown;
}

export interface WorkerCalls<Request extends object, Result extends object, Extra extends object> {
  /** Resolves with the ready message's extras once the worker has loaded; rejects if it could not. */
  readonly ready: Promise<Extra>;
  /** Whether the worker has stopped (every later call rejects). */
  readonly stopped: boolean;
  /** Sends `request` with a fresh `id`; settles with the worker's answer. */
  call(request: Request, options?: CallOptions): Promise<Result>;
  /** Resolves once no call is pending (or the worker has stopped). */
  idle(): Promise<void>;
}

/**
 * Calls into `worker` by message: each call carries an id, and the worker
 * answers it with the same id. The worker holds the process open while it
 * loads and while a call is pending, and not otherwise: a CLI run still exits
 * when its work is done. When the worker errs or exits, every pending call
 * and every later one rejects.
 */
export function callsInto<Request extends object, Result extends object, Extra extends object, Failure>(
  worker: Worker,
  { failure, stopped }: { failure: (error: Failure) => Error; stopped: (exitCode: number) => string },
): WorkerCalls<Request, Result, Extra> {
  const pending = new Map<number, { resolve: (result: Result) => void; reject: (error: Error) => void }>();
  let nextId = 0;
  let failed: Error | undefined;
  const ready = new Promise<Extra>((resolve, reject) => {
    worker.on('message', (message: ReadyMessage<Extra> | AnswerMessage<Result, Failure>) => {
      if ('ready' in message) {
        if (!message.ready) return reject(new Error(message.error));
        const { ready: _, ...extra } = message;
        return resolve(extra as unknown as Extra);
      }
      const call = pending.get(message.id);
      pending.delete(message.id);
      if (pending.size === 0) worker.unref();
      if ('error' in message) call?.reject(failure(message.error));
      else call?.resolve(message);
    });
    const fail = (error: Error) => {
      failed ??= error;
      reject(error);
      for (const call of pending.values()) call.reject(error);
      pending.clear();
    };
    worker.on('error', fail);
    worker.on('exit', (code) => fail(new Error(stopped(code))));
  });
  ready.then(
    () => pending.size === 0 && worker.unref(),
    () => {}, // its failure reaches whoever waits on it
  );
  return {
    ready,
    get stopped() {
      return failed !== undefined;
    },
    call: (request, { transfer = [], signal, cancel } = {}) =>
      new Promise<Result>((resolve, reject) => {
        if (failed) return reject(failed);
        const id = nextId++;
        pending.set(id, { resolve, reject });
        worker.ref();
        worker.postMessage({ ...request, id }, transfer);
        if (!cancel || !signal) return;
        const post = () => worker.postMessage(cancel(id));
        if (signal.aborted) post();
        else signal.addEventListener('abort', post, { once: true });
      }),
    idle: () =>
      new Promise<void>((resolve) => {
        const check = () => (pending.size === 0 || failed ? resolve() : setTimeout(check, 10));
        check();
      }),
  };
}
