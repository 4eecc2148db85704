/**
 * The abort signal of the request being served, carried across awaits
 * (AsyncLocalStorage) so that an adapter which knows when its client has gone
 * (the local server) can stop the work done for it deep in the core, without
 * threading a signal through every service. Where no adapter set one (Azure,
 * the CLI) there is none, and work runs to its end.
 */
import { AsyncLocalStorage } from 'node:async_hooks';

const current = new AsyncLocalStorage<AbortSignal>();

/** Runs `work` with `signal` as its request's signal. */
export function withRequestSignal<T>(signal: AbortSignal, work: () => T): T {
  return current.run(signal, work);
}

/** The signal of the request this code serves, if its adapter gave one. */
export function requestSignal(): AbortSignal | undefined {
  return current.getStore();
}

/** The reason a request's signal aborts when its client hangs up: nobody is left to answer. */
export class ClientGoneError extends Error {
  constructor() {
    super('the client went away');
  }
}
