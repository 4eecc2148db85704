/**
 * The game service: a turn's fields in (from JSON, a query string or the
 * command line, all as one plain record), validated; the decision out, as the
 * wire contract's GameResponse or as text for a terminal. Transport-neutral:
 * every problem is a DomainError. Pure (no I/O): the page's on-device
 * solver runs it too, over the same word graph.
 */
import { CARD_COPIES, CardParseError, CARDS, formatCards, parseCards, points, type Card } from '../cards.js';
import { invalid } from '../errors.js';
import { decideTurn, unseenCounts, validateTurn, type Decision } from '../game/decide.js';
import type { Play, Word } from '../game/solver.js';
import { adviseAfterDraw, turnAdvice, type KeepOdds, type TurnOptions } from '../game/turn.js';
import type { WordGraph } from '../game/word-graph.js';
import type { GameResponse, KeepJson, LastTurnResponse, LengthUnit, Phase, PlayJson, TurnResponse, WordDetail } from './contract.js';

/** A turn to decide, validated. */
export interface GameInput extends GameOptions {
  hand: Card[];
  deck: Card;
  /** The card drawn from the pile, when the player has drawn (a normal turn). */
  drawn?: Card;
}

/** What a turn is asked with beside its cards (the `play` request carries these beside its photos). */
export interface GameOptions {
  phase: Phase;
  /** Other cards in view, not in the pile. */
  seen: Card[];
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
  const options = parseGameOptions(input);
  const drawnCards = input.drawn === undefined || input.drawn === '' ? [] : readCards(input.drawn, 'drawn');
  if (drawnCards.length > 1) throw invalid('invalid_drawn', `"drawn" is the one card drawn from the pile, got ${drawnCards.length}`);
  if (drawnCards.length && options.phase === 'last')
    throw invalid('invalid_option', '"drawn" belongs to a normal turn: leave it out on the last turn');
  const turn: GameInput = { hand, deck: deckCards[0]!, ...(drawnCards[0] ? { drawn: drawnCards[0] } : {}), ...options };
  checkCopies(turn);
  return turn;
}

/** Every card in view (hand, discard, drawn, seen) must exist in the 118-card deck that many times. */
function checkCopies({ hand, deck, drawn, seen }: Pick<GameInput, 'hand' | 'deck' | 'drawn' | 'seen'>): void {
  validateTurn(hand, deck);
  const inView = new Map<Card, number>();
  for (const card of [...hand, deck, ...(drawn ? [drawn] : []), ...seen]) inView.set(card, (inView.get(card) ?? 0) + 1);
  for (const [card, count] of inView) {
    if (count > CARD_COPIES[card]) {
      throw invalid(
        'too_many_copies',
        `${count} "${card}" cards in view (hand, discard, drawn and seen), but the deck has only ${CARD_COPIES[card]}`,
      );
    }
  }
}

/** The game options alone (the `play` request carries them beside its photos). */
export function parseGameOptions(input: Record<string, unknown>): GameOptions {
  return {
    phase: readChoice(input.phase, 'phase', ['turn', 'last'] as const, 'turn'),
    seen: input.seen === undefined || input.seen === '' ? [] : readCards(input.seen, 'seen'),
    lengthUnit: readChoice(input.length_unit, 'length_unit', ['letters', 'cards'] as const, 'letters'),
    clampAtZero: readBoolean(input.clamp_at_zero, 'clamp_at_zero'),
    alternatives: readInteger(input.alternatives, 'alternatives', 0, 10, 4),
  };
}

/** The answer for the turn's phase: the last turn's best words, or a normal turn's advice. */
export function answerTurn(graph: WordGraph, input: GameInput): GameResponse {
  if (input.phase === 'last') return decisionJson(decideTurn(graph, input.hand, input.deck, input));
  const pool = unseenCounts([...input.hand, input.deck, ...(input.drawn ? [input.drawn] : []), ...input.seen]);
  const base = { phase: 'turn' as const, hand: formatCards(input.hand), deck: input.deck, seen: formatCards(input.seen) };
  const unseen = [...pool.values()].reduce((sum, n) => sum + Math.max(0, n), 0);
  if (input.drawn) {
    const options = adviseAfterDraw(graph, input.hand, input.drawn, pool, input);
    return { ...base, drawn: input.drawn, action: 'drop', ...finish(options), unseen_cards: unseen };
  }
  const advice = turnAdvice(graph, input.hand, input.deck, pool, input);
  const take = finish(advice.take);
  const draw = advice.draw;
  const response: TurnResponse = {
    ...base,
    action: advice.action,
    ...take,
    take: { p_out: round4(advice.take.pOut), expected_out_score: round2(advice.take.expectedOutScore) },
    draw: {
      p_out: round4(draw.pOut),
      expected_out_score: round2(draw.expectedOutScore),
      p_out_now: round4(draw.pOutNow),
      expected_out_now_score: round2(draw.expectedOutNowScore),
      unseen_cards: draw.unseen,
      outcomes: draw.outcomes.map((o) => ({
        card: o.card,
        remaining: o.remaining,
        go_out: o.goOut !== null,
        score: o.goOut?.score ?? null,
        drop: (o.goOut?.drop ?? o.keep?.drop ?? o.card) as string,
        p_out_next: o.keep ? round4(o.keep.pOutNext) : null,
      })),
    },
    unseen_cards: unseen,
  };
  if (advice.action === 'draw') {
    Object.assign(response, { drop: null, going_out: false, p_out: round4(draw.pOut) });
    response.summary = drawSummary(response);
  } else response.summary = takeSummary(input.deck, response);
  return response;
}

const round4 = (n: number) => Math.round(n * 10000) / 10000;
const percent = (p: number) => `${Math.round(p * 100)} %`;
const upperCards = (cards: string) => cards.toUpperCase();

/** The fields of one set of cards' options: go out when it can, else the best keep. */
function finish(options: TurnOptions): Pick<TurnResponse, 'drop' | 'going_out' | 'go_out' | 'keep' | 'p_out' | 'summary'> {
  const keep = options.keeps.map(keepJson);
  const best = options.keeps[0];
  const going = options.goOut;
  const summary = going
    ? `Drop ${going.drop!.toUpperCase()} and go out: ${wordsText(going)}, ${going.score} points.`
    : best
      ? `Drop ${best.drop.toUpperCase()} and keep ${upperCards(formatCards(best.kept))}: ${percent(best.pOutNext)} to go out next turn.`
      : 'No card to drop.';
  return {
    drop: going ? going.drop : (best?.drop ?? null),
    going_out: going !== null,
    go_out: going ? playJson(going) : null,
    keep,
    p_out: going ? 1 : round4(best?.pOutNext ?? 0),
    summary,
  };
}

function keepJson(keep: KeepOdds): KeepJson {
  return {
    drop: keep.drop,
    kept: formatCards(keep.kept),
    p_out_next: round4(keep.pOutNext),
    expected_out_score: round2(keep.expectedOutScore),
    out_cards: keep.outCards.map(({ card, remaining }) => ({ card, remaining })),
  };
}

/** The words of a play, as a player says them: UNCLAMPING THY. */
const wordsText = (play: Play | PlayJson) =>
  ('word_details' in play ? play.word_details.map((w) => w.word) : play.words.map((w) => w.text)).map((w) => w.toUpperCase()).join(' ');

function takeSummary(deck: Card, response: TurnResponse): string {
  const take = `Take ${deck.toUpperCase()}`;
  return response.going_out
    ? `${take}, drop ${response.drop!.toUpperCase()} and go out: ${wordsText(response.go_out!)}, ${response.go_out!.score} points.`
    : `${take}, drop ${response.drop!.toUpperCase()} and keep ${upperCards(response.keep[0]!.kept)}: ${percent(response.p_out)} to go out next turn.`;
}

function drawSummary(response: TurnResponse): string {
  const draw = response.draw!;
  const now = draw.p_out_now > 0 ? `${percent(draw.p_out_now)} of draws let you go out now; ` : '';
  return `Draw from the pile: ${now}${percent(draw.p_out)} to be out by your next turn. Then say what you drew.`;
}

function readCards(value: unknown, field: 'hand' | 'deck' | 'drawn' | 'seen'): Card[] {
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
export function decisionJson(decision: Decision): LastTurnResponse {
  const { take, draw } = decision;
  return {
    phase: 'last',
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

/** The answer for a terminal: a normal turn's one instruction, or the last turn's words in a few lines. */
export function answerText(response: GameResponse): string {
  if (response.phase === 'turn') return response.summary;
  const upper = (cards: string) => cards.toUpperCase();
  const describe = (title: string, p: PlayJson) => [
    `${title} (drop ${p.drop!.toUpperCase()}, score ${p.score}${p.complete ? ', going out' : ''}):`,
    ...p.word_details.map((w) => `  ${w.word.toUpperCase().padEnd(12)} ${upper(w.cards).padEnd(20)} ${w.points} pts`),
    ...(p.unused.length ? [`  unused: ${upper(formatCards(p.unused as Card[]))} (-${points(p.unused as Card[])} pts)`] : []),
  ];
  const lines = [response.summary, ...describe(`Words if you take ${response.deck.toUpperCase()}`, response)];
  const { longest_word, most_words } = response.bonus_plays;
  if (longest_word) lines.push(...describe('For the longest-word bonus', longest_word));
  if (most_words) lines.push(...describe('For the most-words bonus', most_words));
  return lines.join('\n');
}
