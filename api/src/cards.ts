/**
 * The one card table: every card type, its points and its number of copies in
 * the 118-card Quiddler deck. Everything else (game, detector classes, page)
 * imports it from here.
 */

// Five cards a row, as the table is read (kept so by prettier-ignore).
// prettier-ignore
export const CARD_TABLE = [
  ['a', 2, 10], ['b', 8, 2], ['c', 8, 2], ['d', 5, 4], ['e', 2, 12],
  ['f', 6, 2], ['g', 6, 4], ['h', 7, 2], ['i', 2, 8], ['j', 13, 2],
  ['k', 8, 2], ['l', 3, 4], ['m', 5, 2], ['n', 5, 6], ['o', 2, 8],
  ['p', 6, 2], ['q', 15, 2], ['r', 5, 6], ['s', 3, 4], ['t', 3, 6],
  ['u', 4, 6], ['v', 11, 2], ['w', 10, 2], ['x', 12, 2], ['y', 4, 4],
  ['z', 14, 2], ['cl', 10, 2], ['er', 7, 2], ['in', 7, 2], ['qu', 9, 2],
  ['th', 9, 2],
] as const satisfies readonly (readonly [string, number, number])[];

export type Card = (typeof CARD_TABLE)[number][0];

/** Card tokens in table order; a card's index here is its type id everywhere. */
export const CARDS: readonly Card[] = CARD_TABLE.map(([token]) => token);
/** A number for each card type. */
type PerCard = Readonly<Record<Card, number>>;
export const CARD_POINTS = Object.fromEntries(CARD_TABLE.map(([token, points]) => [token, points])) as PerCard;
export const CARD_COPIES = Object.fromEntries(CARD_TABLE.map(([token, , copies]) => [token, copies])) as PerCard;
export const DECK_SIZE = CARD_TABLE.reduce((sum, [, , copies]) => sum + copies, 0);

const CARD_INDEX = new Map<string, number>(CARDS.map((card, i) => [card, i]));

export function isCard(token: string): token is Card {
  return CARD_INDEX.has(token);
}

export function cardIndex(card: Card): number {
  return CARD_INDEX.get(card)!;
}

export function points(cards: readonly Card[]): number {
  return cards.reduce((sum, card) => sum + CARD_POINTS[card], 0);
}

export class CardParseError extends Error {}

/**
 * Parses a hand written as "a/cl/g/in" (or already split into tokens).
 * Cards are separated by "/" because "in" alone would be ambiguous.
 * Tokens are trimmed and lower-cased; an unknown token throws CardParseError.
 */
export function parseCards(input: string | readonly string[]): Card[] {
  const tokens = typeof input === 'string' ? input.split('/') : [...input];
  return tokens.map((raw, position) => {
    if (typeof raw !== 'string') {
      throw new CardParseError(`card ${position + 1} is not a string`);
    }
    const token = raw.trim().toLowerCase();
    if (token === '') {
      throw new CardParseError(`card ${position + 1} is empty (write cards as "a/cl/in")`);
    }
    if (!isCard(token)) {
      throw new CardParseError(`unknown card "${raw}"; valid cards: ${CARDS.join(' ')}`);
    }
    return token;
  });
}

export function formatCards(cards: readonly Card[]): string {
  return cards.join('/');
}

/** A full shuffled-able deck: every copy of every card, in table order. */
export function fullDeck(): Card[] {
  return CARD_TABLE.flatMap(([token, , copies]) => Array<Card>(copies).fill(token));
}
