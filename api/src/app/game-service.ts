/**
 * The game service: a turn's fields in (from JSON, a query string or the
 * command line, all as one plain record), validated; the decision out, as the
 * wire contract's GameResponse or as text for a terminal. Transport-neutral:
 * every problem is a DomainError.
 */
import { CardParseError, CARDS, formatCards, parseCards, points, type Card } from '../cards.js';
import { invalid } from '../errors.js';
import { decideTurn, type Decision } from '../game/decide.js';
import { loadDictionary } from '../game/dictionary.js';
import type { Play, Word } from '../game/solver.js';
import type { GameResponse, LengthUnit, PlayJson, WordDetail } from './contract.js';

/** A turn to decide, validated. */
export interface GameInput extends GameOptions {
  hand: Card[];
  deck: Card;
}

export interface GameOptions {
  lengthUnit: LengthUnit;
  clampAtZero: boolean;
  alternatives: number;
}

/** Validates the fields shared by the JSON body, the query string and the CLI. */
export function parseGameInput(input: Record<string, unknown>): GameInput {
  // The hand's size is a rule of the turn: decideTurn's validateTurn checks it for every caller.
  const hand = readCards(input.hand, 'hand');
  const deckCards = readCards(input.deck, 'deck');
  if (deckCards.length !== 1) {
    throw invalid('invalid_deck', `"deck" must be exactly one card (the face-up discard), got ${deckCards.length}`);
  }
  return { hand, deck: deckCards[0]!, ...parseGameOptions(input) };
}

/** The game options alone (the `play` request carries them beside its photos). */
export function parseGameOptions(input: Record<string, unknown>): GameOptions {
  return {
    lengthUnit: readChoice(input.length_unit, 'length_unit', ['letters', 'cards'] as const, 'letters'),
    clampAtZero: readBoolean(input.clamp_at_zero, 'clamp_at_zero'),
    alternatives: readInteger(input.alternatives, 'alternatives', 0, 10, 4),
  };
}

/** Decides a validated turn with the word list at `dictionaryPath` (loaded once per process). */
export async function adviseTurn(input: GameInput, dictionaryPath: string): Promise<Decision> {
  const graph = await loadDictionary(dictionaryPath);
  return decideTurn(graph, input.hand, input.deck, input);
}

function readCards(value: unknown, field: 'hand' | 'deck'): Card[] {
  if (value === undefined || value === null || value === '') {
    throw invalid(`missing_${field}`, `"${field}" is required, e.g. ${field === 'hand' ? '"a/cl/g/in"' : '"n"'}`);
  }
  if (typeof value !== 'string' && !Array.isArray(value)) {
    throw invalid(`invalid_${field}`, `"${field}" must be a string like "a/cl/in" or an array of card tokens`);
  }
  if (Array.isArray(value) && value.length === 0) return [];
  try {
    return parseCards(value as string | string[]);
  } catch (error) {
    if (error instanceof CardParseError) {
      throw invalid('unknown_card', `${field}: ${error.message}`, { field, valid_cards: CARDS });
    }
    throw error;
  }
}

function readChoice<T extends string>(value: unknown, field: string, choices: readonly T[], fallback: T): T {
  if (value === undefined) return fallback;
  if (typeof value === 'string' && (choices as readonly string[]).includes(value)) return value as T;
  throw invalid('invalid_option', `"${field}" must be one of ${choices.join(', ')}`);
}

function readBoolean(value: unknown, field: string): boolean {
  if (value === undefined || value === false || value === 'false' || value === '0') return false;
  if (value === true || value === 'true' || value === '1' || value === '') return true;
  throw invalid('invalid_option', `"${field}" must be true or false`);
}

function readInteger(value: unknown, field: string, min: number, max: number, fallback: number): number {
  if (value === undefined) return fallback;
  const number = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
  if (typeof number === 'number' && Number.isInteger(number) && number >= min && number <= max) return number;
  throw invalid('invalid_option', `"${field}" must be an integer from ${min} to ${max}`);
}

// ---- the answer ---------------------------------------------------------------

const round2 = (n: number) => Math.round(n * 100) / 100;

function wordJson(word: Word): WordDetail {
  return { cards: formatCards(word.cards), word: word.text, points: word.points, length: word.length };
}

export function playJson(play: Play): PlayJson {
  return {
    drop: play.drop,
    score: play.score,
    complete: play.complete,
    words: play.words.map((w) => formatCards(w.cards)),
    unused: play.unused,
    longest_word: play.longestWord ? formatCards(play.longestWord.cards) : null,
    word_details: play.words.map(wordJson),
  };
}

/**
 * The seed's fields (score, complete, words, pick_up, drop) describe the best
 * play after taking the discard; `action` says whether taking it beats the
 * expected score of drawing from the pile instead.
 */
export function decisionJson(decision: Decision): GameResponse {
  const { take, draw } = decision;
  return {
    hand: formatCards(decision.hand),
    deck: decision.deck,
    action: decision.action,
    summary: summarize(decision),
    pick_up: decision.deck,
    ...playJson(take),
    margin: round2(decision.margin),
    draw: {
      expected_score: round2(draw.expectedScore),
      unseen_cards: draw.unseen,
      outcomes: draw.outcomes.map((o) => ({ card: o.card, remaining: o.remaining, score: o.score, drop: o.drop })),
    },
    bonus_plays: {
      longest_word: decision.bonusPlays.longestWord && playJson(decision.bonusPlays.longestWord),
      most_words: decision.bonusPlays.mostWords && playJson(decision.bonusPlays.mostWords),
    },
    alternatives: decision.alternatives.map(playJson),
  };
}

const upper = (cards: readonly string[]) => cards.map((c) => c.toUpperCase()).join('/');

export function summarize({ action, deck, take, draw, margin }: Decision): string {
  const play = `${take.score} points${take.complete ? ', going out' : ''}`;
  const expected = round2(draw.expectedScore);
  return action === 'take'
    ? `Take ${deck.toUpperCase()} and drop ${take.drop!.toUpperCase()}: ${play}. ` +
        `Drawing from the pile is expected to score ${expected} (${round2(margin)} less).`
    : `Draw from the pile: expected ${expected}, ` +
        (margin < 0 ? `${round2(-margin)} more than taking ${deck.toUpperCase()} ` : `as good as taking ${deck.toUpperCase()} `) +
        `(best then: drop ${take.drop!.toUpperCase()}, ${play}).`;
}

/** A few lines for a terminal. */
export function decisionText(decision: Decision): string {
  const { take, deck } = decision;
  const describe = (title: string, p: Play) => [
    `${title} (drop ${p.drop!.toUpperCase()}, score ${p.score}${p.complete ? ', going out' : ''}):`,
    ...p.words.map((w) => `  ${w.text.toUpperCase().padEnd(12)} ${upper(w.cards).padEnd(20)} ${w.points} pts`),
    ...(p.unused.length ? [`  unused: ${upper(p.unused)} (-${points(p.unused)} pts)`] : []),
  ];
  const lines = [summarize(decision), ...describe(`Words if you take ${deck.toUpperCase()}`, take)];
  const { longestWord, mostWords } = decision.bonusPlays;
  if (longestWord) lines.push(...describe('For the longest-word bonus', longestWord));
  if (mostWords) lines.push(...describe('For the most-words bonus', mostWords));
  return lines.join('\n');
}
