/**
 * The page's side of the offline copy: registers /sw.js (built by
 * web/offline-plugin.ts) and follows what it says, as a small reactive state
 * that components/OfflineStatus.vue shows.
 */
import { reactive, readonly } from 'vue';
import type { FromServiceWorker, ToServiceWorker } from './messages';

export interface OfflineState {
  /** unsupported: no service worker here (or the dev server); downloading: being kept; ready: works with no connection. */
  state: 'unsupported' | 'downloading' | 'ready' | 'error';
  /** Bytes downloaded of `total` (0 of 0 until the worker says how much). */
  loaded: number;
  total: number;
  /** The kept copy's version (from its files' hashes), once ready. */
  version: string;
  /** Why it could not be kept, when state is error. */
  error: string;
}

/** Not on the dev server: its files are not the built ones, and a worker kept from there would serve stale code. */
const willRegister = 'serviceWorker' in navigator && !import.meta.env.DEV;

// 'downloading' from the start where a worker will be registered (a page shown before registerOffline runs never says 'unsupported').
const offline = reactive<OfflineState>({ state: willRegister ? 'downloading' : 'unsupported', loaded: 0, total: 0, version: '', error: '' });

export function useOffline(): Readonly<OfflineState> {
  return readonly(offline);
}

/** Registers the service worker, once the page itself has loaded (its tens of MB should not hold up the first paint). */
export function registerOffline(): void {
  if (!willRegister) return;
  const container = navigator.serviceWorker;
  container.addEventListener('message', (event: MessageEvent<FromServiceWorker>) => {
    // A worker replaced while its answer was on the way (an update took over) speaks for a version that is gone:
    // ask the one that replaced it.
    if ((event.source as ServiceWorker | null)?.state === 'redundant') return void askStatus(container);
    onMessage(event.data);
  });
  // An update took over this page (its 'ready' may have gone to the page this one replaced): ask the new worker.
  container.addEventListener('controllerchange', () => void askStatus(container));
  // Messages from a worker are held until the page starts listening; on the first visit the page is not controlled yet.
  container.startMessages();
  if (document.readyState === 'complete') void register(container);
  else window.addEventListener('load', () => void register(container), { once: true });
}

async function register(container: ServiceWorkerContainer): Promise<void> {
  try {
    // updateViaCache 'none': the browser checks sw.js itself on each visit, never from its HTTP cache.
    const registration = await container.register('/sw.js', { scope: '/', updateViaCache: 'none' });
    watchInstall(registration.installing);
    registration.waiting?.postMessage({ type: 'take-over' } satisfies ToServiceWorker);
    registration.addEventListener('updatefound', () => watchInstall(registration.installing));
  } catch (error) {
    // A worker kept from an earlier visit still serves (a failed update check changes nothing): ask it, below.
    if (!(await container.getRegistration())?.active) {
      fail(`the offline copy could not be set up (${(error as Error).message}); the page still works online`);
      return;
    }
  }
  // A later visit: the worker is already active; ask whether its copy is complete (it answers offline-ready).
  await askStatus(container);
}

/** Asks the active worker whether its copy is complete: it answers offline-ready (or offline-error). */
async function askStatus(container: ServiceWorkerContainer): Promise<void> {
  const ready = await container.ready;
  ready.active?.postMessage({ type: 'offline-status' } satisfies ToServiceWorker);
}

/** A worker that is dropped while installing failed (its own message says why, when it could send one). */
function watchInstall(worker: ServiceWorker | null): void {
  worker?.addEventListener('statechange', () => {
    // Installed beside an active worker: its copy is complete, so it may take over now rather than wait.
    if (worker.state === 'installed') worker.postMessage({ type: 'take-over' } satisfies ToServiceWorker);
    if (worker.state === 'redundant' && offline.state === 'downloading') fail('the offline copy could not be kept; the page still works online');
  });
}

function onMessage(message: FromServiceWorker | undefined): void {
  switch (message?.type) {
    case 'offline-progress':
      Object.assign(offline, { state: 'downloading', loaded: message.loaded, total: message.total, error: '' });
      break;
    case 'offline-ready':
      Object.assign(offline, { state: 'ready', version: message.version, error: '' });
      break;
    case 'offline-error':
      fail(message.message);
      break;
  }
}

/** A failed update leaves the copy kept before it in place: still ready, with that version. */
function fail(error: string): void {
  if (offline.version) Object.assign(offline, { state: 'ready', error: '' });
  else Object.assign(offline, { state: 'error', error });
}
