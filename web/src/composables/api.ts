/** The API client: /api/cards reads photos, /api/game finds the best play (shapes as in README.md). */
import axios, { type AxiosError } from 'axios';

export interface Detail {
  token: string;
  score: number;
  /** [x1, y1, x2, y2] in the photo's pixels */
  box: [number, number, number, number];
}

export interface CountCertainty {
  cards: number;
  /** False when the photo may show another number of cards: `maybe` lists them. */
  sure: boolean;
  maybe: number[];
  /** Cards read surely without the hint. */
  seen: number;
  /** The count sent as a hint, and whether the photo surely shows fewer. */
  hint?: number;
  fewer_than_hint?: boolean;
}

export interface PhotoReading {
  cards: string;
  tokens: string[];
  details: Detail[];
  count: CountCertainty;
  width: number;
  height: number;
  timing_ms: { decode: number; inference: number };
}

export interface CardsResponse {
  model: { name: string; version: string };
  hand?: PhotoReading;
  deck?: PhotoReading;
  timing_ms: number;
}

export interface WordDetail {
  cards: string;
  word: string;
  points: number;
  length: number;
}

export interface Play {
  drop: string | null;
  score: number;
  complete: boolean;
  words: string[];
  unused: string[];
  longest_word: string | null;
  word_details: WordDetail[];
}

export interface GameResponse extends Play {
  hand: string;
  deck: string;
  action: 'take' | 'draw';
  summary: string;
  pick_up: string;
  margin: number;
  draw: {
    expected_score: number;
    unseen_cards: number;
    outcomes: { card: string; remaining: number; score: number; drop: string }[];
  };
  bonus_plays: { longest_word: Play | null; most_words: Play | null };
  alternatives: Play[];
}

const http = axios.create({ baseURL: '/api', timeout: 60_000, headers: { 'Content-Type': 'application/json' } });

/** Reads the photos; `handCount` is the player's hint for the hand photo (left out: the reader counts). */
export async function readCards(
  photos: { hand?: string; deck?: string },
  handCount: number | null,
  signal?: AbortSignal,
): Promise<CardsResponse> {
  const body = { ...photos, ...(handCount !== null ? { n_cards: handCount } : {}), images: false };
  return (await http.post<CardsResponse>('/cards', body, { signal })).data;
}

export async function solveGame(hand: readonly string[], deck: string, signal?: AbortSignal): Promise<GameResponse> {
  const body = { hand: hand.join('/'), deck, alternatives: 4 };
  return (await http.post<GameResponse>('/game', body, { signal })).data;
}

export function isCancel(error: unknown): boolean {
  return axios.isCancel(error);
}

/** A sentence for the player: the API's own message when it sent one. */
export function errorMessage(error: unknown): string {
  const e = error as AxiosError<{ error?: { code?: string; message?: string } }>;
  const apiMessage = e?.response?.data?.error?.message;
  if (apiMessage) return apiMessage;
  if (e?.response) return `The server answered ${e.response.status} ${e.response.statusText || ''}`.trim() + '.';
  if (e?.code === 'ECONNABORTED') return 'The server took too long to answer.';
  if (e?.message === 'Network Error') return 'Could not reach the server. Check your connection and try again.';
  return e?.message || 'Something went wrong.';
}
