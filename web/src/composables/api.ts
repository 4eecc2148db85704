/** The server's API client: /api/cards reads photos, /api/game finds the best play; the shapes are the API's own contract. */
import axios from 'axios';
import type { CardsRequest, CardsResponse, GameRequest, GameResponse } from '../../../api/src/app/contract';

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

/** The body /api/game is sent for a turn (the device answers the same body). */
export function gameRequest(hand: readonly string[], deck: string, turn: { phase: 'turn' | 'last'; drawn: string | null }): GameRequest {
  return { hand: hand.join('/'), deck, phase: turn.phase, ...(turn.drawn ? { drawn: turn.drawn } : {}), alternatives: 4 };
}

/** The advice for the turn: a normal turn (optionally after drawing `drawn`), or the last one. */
export async function solveGame(
  hand: readonly string[],
  deck: string,
  turn: { phase: 'turn' | 'last'; drawn: string | null },
  signal?: AbortSignal,
): Promise<GameResponse> {
  return (await http.post<GameResponse>('/game', gameRequest(hand, deck, turn), { signal })).data;
}
