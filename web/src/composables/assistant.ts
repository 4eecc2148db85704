/**
 * Where the work happens: each photo reading and each turn's advice is done
 * on this device (device/worker.ts) or by the server (/api/cards, /api/game),
 * as the player's setting says. Both give the same answer (the same code and
 * the same contract types); the answer says which one it came from.
 *
 * Automatic: the device when it is ready (its files cached and loaded, and it
 * reads fast enough), the server otherwise, and the device when the server
 * cannot be reached.
 */
import axios, { type AxiosError } from 'axios';
import type { CardsResponse, ErrorResponse, GameRequest, GameResponse } from '../../../api/src/app/contract';
import { adviseOnDevice, device, DeviceError, deviceReadsWell, prepare, readOnDevice } from '../device/client';
import type { ReadJob } from '../device/protocol';
import { gameRequest, readCards as readOnServer, solveGame as adviseOnServer } from './api';

export type Compute = 'auto' | 'device' | 'server';
export type Where = 'device' | 'server';
export const COMPUTE_CHOICES: readonly Compute[] = ['auto', 'device', 'server'];

export interface Answer<T> {
  answer: T;
  where: Where;
}

/** The player moved on (a new photo, a new turn): the answer is no longer wanted, on the server (axios) or the device (an AbortError). */
export function isCancel(error: unknown): boolean {
  return (error instanceof DOMException && error.name === 'AbortError') || axios.isCancel(error);
}

/**
 * The server did not answer (offline, not running, or a gateway in front of it
 * said so with no answer of the API's own): not an answer to explain, a reason
 * to use the device.
 */
function unreachable(error: unknown): boolean {
  const e = error as AxiosError<Partial<ErrorResponse>>;
  if (!axios.isAxiosError(e) || axios.isCancel(e) || e.code === 'ECONNABORTED') return false;
  return !e.response || (e.response.status >= 502 && !e.response.data?.error?.code);
}

/** The device itself failed (its runtime, its worker), not the request: the server may still answer. */
const deviceFailed = (error: unknown) => error instanceof DeviceError && error.body.code === 'device_error';

/** Runs on the device, on the server, or (automatic) on whichever is fit now, trying the other when one cannot. */
async function route<T>(compute: Compute, deviceIsReady: boolean, onDevice: () => Promise<T>, onServer: () => Promise<T>): Promise<Answer<T>> {
  const device = async () => ({ answer: await onDevice(), where: 'device' as const });
  const server = async () => ({ answer: await onServer(), where: 'server' as const });
  if (compute === 'device') return device();
  if (compute === 'server') return server();
  if (deviceIsReady) return device().catch((error: unknown) => (deviceFailed(error) ? server() : Promise.reject(error)));
  return server().catch((error: unknown) => (unreachable(error) ? device() : Promise.reject(error)));
}

/** A data: URL's bytes (a fetch of a data: URL would need the CSP to allow it). */
export function dataUrlToBlob(src: string): Blob {
  const comma = src.indexOf(',');
  const head = src.slice(0, comma);
  const body = src.slice(comma + 1);
  const type = /^data:([^;,]+)/.exec(head)?.[1] ?? 'application/octet-stream';
  if (!head.endsWith(';base64')) return new Blob([decodeURIComponent(body)], { type });
  const binary = atob(body);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return new Blob([bytes], { type });
}

/** Reads the photos (data URLs); `handCount` is the player's hint for the hand photo (null: the reader counts). */
export function readCards(
  photos: { hand?: string; deck?: string },
  handCount: number | null,
  compute: Compute,
  signal?: AbortSignal,
): Promise<Answer<CardsResponse>> {
  const onDevice = () => {
    const job: ReadJob = { ...(handCount !== null ? { nCards: handCount } : {}) };
    if (photos.hand) job.hand = dataUrlToBlob(photos.hand);
    if (photos.deck) job.deck = dataUrlToBlob(photos.deck);
    return readOnDevice(job, signal);
  };
  return route(compute, deviceReadsWell(), onDevice, () => readOnServer(photos, handCount, signal));
}

/** The advice for the turn: a normal turn (optionally after drawing `drawn`), or the last one. */
export function solveGame(
  hand: readonly string[],
  deck: string,
  turn: { phase: 'turn' | 'last'; drawn: string | null },
  compute: Compute,
  signal?: AbortSignal,
): Promise<Answer<GameResponse>> {
  const request = gameRequest(hand, deck, turn);
  return route(
    compute,
    device.solver === 'ready',
    () => adviseOnDevice(request, signal),
    () => adviseOnServer(hand, deck, turn, signal),
  );
}

/**
 * Gets the device ready for the setting: 'device' loads (and downloads) both
 * parts now; 'auto' loads them only from the offline cache, so a first visit
 * does not download 24 MB before it is asked to; 'server' loads nothing.
 */
export async function getReady(compute: Compute): Promise<void> {
  if (compute === 'server') return;
  await prepare(['solver', 'reader'], compute === 'auto').catch(() => {
    /* shown by device.error; the server still answers */
  });
}

/** A sentence for the player: the API's (or the device's) own message when there is one. */
export function errorMessage(error: unknown): string {
  if (error instanceof DeviceError) return error.message;
  const e = error as AxiosError<Partial<ErrorResponse>>;
  const apiMessage = e?.response?.data?.error?.message;
  if (apiMessage) return apiMessage;
  if (e?.response) return `The server answered ${e.response.status} ${e.response.statusText || ''}`.trim() + '.';
  if (e?.code === 'ECONNABORTED') return 'The server took too long to answer.';
  if (e?.message === 'Network Error') return 'Could not reach the server. Check your connection and try again.';
  return e?.message || 'Something went wrong.';
}

/**
 * For automation and the tests: the same request answered on the device or
 * by the server, as raw JSON (window.quiddler in the page).
 */
export const automation = {
  advise: (request: GameRequest, where: Where) =>
    where === 'device' ? adviseOnDevice(request) : axios.post<GameResponse>('/api/game', request).then((r) => r.data),
  read: async (photos: { hand?: string; deck?: string }, where: Where, handCount: number | null = null) =>
    (await readCards(photos, handCount, where)).answer,
  prepare: (compute: Compute) => getReady(compute),
  state: device,
};
