/** The API client: /api/cards reads photos, /api/game finds the best play; the shapes are the API's own contract. */
import axios, { type AxiosError } from 'axios';
import type { CardsRequest, CardsResponse, ErrorResponse, GameRequest, GameResponse } from '../../../api/src/app/contract';

export type {
  CardsResponse,
  CountJson,
  GameResponse,
  LastTurnResponse,
  PhotoReadingJson,
  PlayJson,
  TurnResponse,
} from '../../../api/src/app/contract';

const http = axios.create({ baseURL: '/api', timeout: 60_000, headers: { 'Content-Type': 'application/json' } });

/** Reads the photos; `handCount` is the player's hint for the hand photo (left out: the reader counts). */
export async function readCards(photos: { hand?: string; deck?: string }, handCount: number | null, signal?: AbortSignal): Promise<CardsResponse> {
  const body: CardsRequest = { ...photos, ...(handCount !== null ? { n_cards: handCount } : {}), images: false };
  return (await http.post<CardsResponse>('/cards', body, { signal })).data;
}

/** The advice for the turn: a normal turn (optionally after drawing `drawn`), or the last one. */
export async function solveGame(
  hand: readonly string[],
  deck: string,
  turn: { phase: 'turn' | 'last'; drawn: string | null },
  signal?: AbortSignal,
): Promise<GameResponse> {
  const body: GameRequest = { hand: hand.join('/'), deck, phase: turn.phase, ...(turn.drawn ? { drawn: turn.drawn } : {}), alternatives: 4 };
  return (await http.post<GameResponse>('/game', body, { signal })).data;
}

export function isCancel(error: unknown): boolean {
  return axios.isCancel(error);
}

/** A sentence for the player: the API's own message when it sent one. */
export function errorMessage(error: unknown): string {
  const e = error as AxiosError<Partial<ErrorResponse>>;
  const apiMessage = e?.response?.data?.error?.message;
  if (apiMessage) return apiMessage;
  if (e?.response) return `The server answered ${e.response.status} ${e.response.statusText || ''}`.trim() + '.';
  if (e?.code === 'ECONNABORTED') return 'The server took too long to answer.';
  if (e?.message === 'Network Error') return 'Could not reach the server. Check your connection and try again.';
  return e?.message || 'Something went wrong.';
}
