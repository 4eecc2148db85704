/** Reads a `game` request (JSON body or query string) into cards and options, or throws a 400. */
import type { HttpRequest } from '@azure/functions';
import { CardParseError, CARDS, parseCards, type Card } from '../cards.js';
import type { LengthUnit } from '../game/solver.js';
import { badRequest } from './errors.js';
import { readJsonObject } from './json-body.js';

export interface GameRequest {
  hand: Card[];
  deck: Card;
  lengthUnit: LengthUnit;
  clampAtZero: boolean;
  alternatives: number;
}

const MAX_BODY_BYTES = 64 * 1024;

export async function readGameRequest(request: HttpRequest): Promise<GameRequest> {
  if (request.method === 'GET') return parseGameInput(Object.fromEntries(request.query.entries()));
  return parseGameInput(await readJsonObject(request, '{"hand": "a/cl/g/in", "deck": "n"}', 'missing_body', MAX_BODY_BYTES));
}

/** Validates the fields shared by the JSON body, the query string and the CLI. */
export function parseGameInput(input: Record<string, unknown>): GameRequest {
  // The hand's size is a rule of the turn: decideTurn's validateTurn checks it for every caller.
  const hand = readCards(input.hand, 'hand');
  const deckCards = readCards(input.deck, 'deck');
  if (deckCards.length !== 1) {
    throw badRequest('invalid_deck', `"deck" must be exactly one card (the face-up discard), got ${deckCards.length}`);
  }
  return {
    hand,
    deck: deckCards[0]!,
    lengthUnit: readChoice(input.length_unit, 'length_unit', ['letters', 'cards'] as const, 'letters'),
    clampAtZero: readBoolean(input.clamp_at_zero, 'clamp_at_zero'),
    alternatives: readInteger(input.alternatives, 'alternatives', 0, 10, 4),
  };
}

function readCards(value: unknown, field: 'hand' | 'deck'): Card[] {
  if (value === undefined || value === null || value === '') {
    throw badRequest(`missing_${field}`, `"${field}" is required, e.g. ${field === 'hand' ? '"a/cl/g/in"' : '"n"'}`);
  }
  if (typeof value !== 'string' && !Array.isArray(value)) {
    throw badRequest(`invalid_${field}`, `"${field}" must be a string like "a/cl/in" or an array of card tokens`);
  }
  if (Array.isArray(value) && value.length === 0) return [];
  try {
    return parseCards(value as string | string[]);
  } catch (error) {
    if (error instanceof CardParseError) {
      throw badRequest('unknown_card', `${field}: ${error.message}`, { field, valid_cards: CARDS });
    }
    throw error;
  }
}

function readChoice<T extends string>(value: unknown, field: string, choices: readonly T[], fallback: T): T {
  if (value === undefined) return fallback;
  if (typeof value === 'string' && (choices as readonly string[]).includes(value)) return value as T;
  throw badRequest('invalid_option', `"${field}" must be one of ${choices.join(', ')}`);
}

function readBoolean(value: unknown, field: string): boolean {
  if (value === undefined || value === false || value === 'false' || value === '0') return false;
  if (value === true || value === 'true' || value === '1' || value === '') return true;
  throw badRequest('invalid_option', `"${field}" must be true or false`);
}

function readInteger(value: unknown, field: string, min: number, max: number, fallback: number): number {
  if (value === undefined) return fallback;
  const number = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
  if (typeof number === 'number' && Number.isInteger(number) && number >= min && number <= max) return number;
  throw badRequest('invalid_option', `"${field}" must be an integer from ${min} to ${max}`);
}
