/**
 * Starts the worker thread whose entry sits beside a module: built, the `.js`
 * file; run from source (tsx), the `.ts` file, with tsx's hooks registered
 * inside the worker first (Node 20 does not apply a parent's hooks to a
 * worker's entry file).
 */
import { Worker, type WorkerOptions } from 'node:worker_threads';

export function startWorkerBeside(moduleUrl: string, entry: string, workerData: unknown, options: WorkerOptions = {}): Worker {
  if (!moduleUrl.endsWith('.ts')) return new Worker(new URL(`./${entry}.js`, moduleUrl), { ...options, workerData });
  const [tsx, worker] = [import.meta.resolve('tsx/esm/api'), new URL(`./${entry}.ts`, moduleUrl).href].map((url) => JSON.stringify(url));
  return new Worker(`import(${tsx}).then((tsx) => { tsx.register(); return import(${worker}); })`, { ...options, eval: true, workerData });
}
