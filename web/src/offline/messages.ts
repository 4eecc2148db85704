/**
 * What the service worker (sw.ts), the page (register.ts) and the build
 * plugin (web/offline-plugin.ts) agree on. Types only: each side compiles
 * with its own libraries (DOM, WebWorker, Node), so nothing here may need one.
 */

/** One file the service worker keeps for offline use, as the build plugin lists it. */
export interface PrecacheEntry {
  /** The path the page requests, from the site root: `/index.html`, `/assets/quiddler-1a2b3c.onnx`. */
  url: string;
  /** Its size, for the download's progress. */
  bytes: number;
  /** SHA-256 of its content, hex: a file already kept under an older version is copied, not downloaded again. */
  hash: string;
}

/** From the service worker to every window of the site. */
export type FromServiceWorker =
  /** Precaching: `loaded` of `total` bytes still to download have arrived. */
  | { type: 'offline-progress'; loaded: number; total: number }
  /** Every listed file is kept, and this worker is active: the page works with no connection. */
  | { type: 'offline-ready'; version: string }
  /** Precaching failed (a download, the storage quota…): the page still works online. */
  | { type: 'offline-error'; message: string };

/** From a page to the active service worker: "is the offline copy complete?" (answered with offline-ready). */
/** offline-status: is the copy complete? take-over: a waiting worker is asked to take over now (its copy is complete). */
export type ToServiceWorker = { type: 'offline-status' } | { type: 'take-over' };
