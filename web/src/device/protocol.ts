/** The messages between the page and its device worker (worker.ts): requests with ids, answers and download progress. */
import type { CardsResponse, ErrorResponse, GameRequest, GameResponse } from '../../../api/src/app/contract';

/** What the worker loads: the reader (WASM runtime, detector, corner reader and face reader) and the solver (the word graph). */
export type Part = 'reader' | 'solver';
/** The files behind them. */
export type Download = 'runtime' | 'model' | 'corner-reader' | 'face-reader' | 'dictionary';

export interface ReadJob {
  /** The photos' bytes as the player gave them (JPEG, PNG, WebP…). */
  hand?: Blob;
  deck?: Blob;
  /** The player's count for the hand photo: a hint. */
  nCards?: number;
}

export type ToDevice =
  /** Load these parts now (and warm the reader up); `cachedOnly`: only if their files are already in the offline cache. */
  | { id: number; kind: 'prepare'; parts: Part[]; cachedOnly?: boolean }
  | { id: number; kind: 'read'; job: ReadJob }
  | { id: number; kind: 'advise'; request: GameRequest }
  /** Nobody waits for request `id` any more: its reading stops at its next inference. */
  | { id: number; kind: 'cancel' };

export interface Prepared {
  parts: Part[];
  /** The warm-up inference of a 640×480 photo, ms: how fast this device reads. */
  warmMs?: number;
  /** The WASM runtime's threads (1 unless the page is cross-origin isolated). */
  threads?: number;
  /** Parts not loaded because their files were not cached (cachedOnly). */
  notCached?: Part[];
  /** Parts that failed to load, and why. */
  failed?: Partial<Record<Part, string>>;
}

export type DeviceAnswer = { prepare: Prepared; read: CardsResponse; advise: GameResponse; cancel: never };

export type FromDevice =
  | { kind: 'progress'; download: Download; loaded: number; total: number }
  | { id: number; ok: true; result: DeviceAnswer[keyof DeviceAnswer] }
  | { id: number; ok: false; error: ErrorResponse['error'] };
