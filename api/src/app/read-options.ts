/**
 * The options beside the photos of a reading request, validated the same way
 * wherever the photos are read (the server's reading service, the page's
 * on-device worker). Pure.
 */
import { invalid } from '../errors.js';

export interface ReadOptions {
  /** How many cards the hand photo shows (1..10), when the player said: a hint. */
  nCards?: number;
  /** Whether to return the marked-up photos. */
  images: boolean;
}

/**
 * The options beside the photos: `n_cards` (a JSON integer; digits when the
 * fields came `fromText`, a form or a query string) and `images`.
 */
export function parseReadOptions(fields: Record<string, unknown>, { fromText = false }: { fromText?: boolean } = {}): ReadOptions {
  return { nCards: readCount(fields.n_cards, fromText), images: readFlag(fields.images) };
}

/** Strict: "5", "0x5", " 5 " or "1e1" in JSON are refused; the message quotes at most a short excerpt of what was sent. */
function readCount(value: unknown, fromText: boolean): number | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  const count = typeof value === 'number' ? value : fromText && typeof value === 'string' && /^\d{1,2}$/.test(value) ? Number(value) : NaN;
  if (Number.isInteger(count) && count >= 1 && count <= 10) return count;
  const shown =
    typeof value === 'string'
      ? JSON.stringify(value.length > 20 ? `${value.slice(0, 20)}…` : value)
      : typeof value === 'number' || typeof value === 'boolean'
        ? String(value)
        : Array.isArray(value)
          ? 'an array'
          : `a value of type ${typeof value}`;
  throw invalid('invalid_n_cards', `"n_cards" must be ${fromText ? 'a whole number' : 'a JSON integer'} from 1 to 10, got ${shown}`);
}

function readFlag(value: unknown): boolean {
  if (value === undefined || value === null || value === true || value === 'true' || value === '1') return true;
  if (value === false || value === 'false' || value === '0') return false;
  throw invalid('invalid_option', '"images" must be true or false');
}
