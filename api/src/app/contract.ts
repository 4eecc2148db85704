/**
 * The wire contract: every request and response body of the API, as types.
 * The response builders return these, the CLI prints them with --json, and
 * the page imports them (type-only), so a change here is a change everywhere
 * that the compiler points at. GET /api/openapi.json describes the same shapes
 * (openapi.ts), and the tests check real answers against it.
 *
 * Cards are lower-case tokens (`a`..`z`, `cl`, `er`, `in`, `qu`, `th`);
 * several cards are joined by "/".
 */

// ---- errors ------------------------------------------------------------------

/** Every 4xx/5xx answer. Extra fields may ride along (e.g. `valid_cards`, or what was read for a 422). */
export interface ErrorResponse {
  error: { code: string; message: string; [detail: string]: unknown };
}

// ---- /api/game -----------------------------------------------------------------

export type LengthUnit = 'letters' | 'cards';

/** POST /api/game (or the same fields as a query string on GET). */
export interface GameRequest {
  /** "a/cl/g/in" or ["a", "cl", "g", "in"]. */
  hand: string | string[];
  /** The face-up discard: one card. */
  deck: string | string[];
  length_unit?: LengthUnit;
  clamp_at_zero?: boolean;
  /** 0..10, default 4. */
  alternatives?: number;
}

export interface WordDetail {
  cards: string;
  word: string;
  points: number;
  /** In letters or cards, as `length_unit` says. */
  length: number;
}

export interface PlayJson {
  /** The card discarded. */
  drop: string | null;
  score: number;
  /** Every card but the dropped one is in a word: the player can go out. */
  complete: boolean;
  words: string[];
  unused: string[];
  longest_word: string | null;
  word_details: WordDetail[];
}

export interface DrawOutcomeJson {
  card: string;
  /** Copies of it unseen. */
  remaining: number;
  score: number;
  drop: string;
}

export interface GameResponse extends PlayJson {
  hand: string;
  deck: string;
  action: 'take' | 'draw';
  summary: string;
  pick_up: string;
  /** The take score minus the expected draw score. */
  margin: number;
  draw: { expected_score: number; unseen_cards: number; outcomes: DrawOutcomeJson[] };
  bonus_plays: { longest_word: PlayJson | null; most_words: PlayJson | null };
  alternatives: PlayJson[];
}

// ---- /api/cards ----------------------------------------------------------------

/** POST /api/cards as JSON (also a multipart form, or one raw image body). */
export interface CardsRequest {
  /** base64, a data: URL, or an http(s) URL. */
  hand?: string;
  deck?: string;
  /** A hint: how many cards the hand photo shows (1..10). Left out, the reader counts. */
  n_cards?: number;
  /** Return the marked-up photos (default true). */
  images?: boolean;
}

export interface CardDetail {
  token: string;
  /** The detector's confidence, 0..1. */
  score: number;
  /** [x1, y1, x2, y2] in the photo's pixels. */
  box: [number, number, number, number];
}

/** How sure the reader is of the number of cards. */
export interface CountJson {
  cards: number;
  /** False when the photo may show another number: `maybe` lists the counts it may be. */
  sure: boolean;
  maybe: number[];
  /** Cards read surely without any hint. */
  seen: number;
  /** The hint the photo was read with, and whether it surely shows fewer cards than that. */
  hint?: number;
  fewer_than_hint?: boolean;
}

export interface PhotoReadingJson {
  cards: string;
  tokens: string[];
  details: CardDetail[];
  count: CountJson;
  width: number;
  height: number;
  /** The turns (degrees) the detector looked with: [0], or [0, d, -d] when a card was in doubt. */
  views: number[];
  second_look: 'none' | 'corners' | 'photo';
  /** Quarter turns clockwise the photo was read at (a sideways photo: 1 or 3). */
  quarter_turns: number;
  /** The part of the photo read enlarged when its cards were small, [x1, y1, x2, y2]. */
  region?: [number, number, number, number];
  timing_ms: { decode: number; inference: number };
  /** The photo marked up with the boxes, as a JPEG data URL (unless `images: false`). */
  image?: string;
}

export interface ModelName {
  name: string;
  version: string;
}

export interface CardsResponse {
  model: ModelName;
  hand?: PhotoReadingJson;
  deck?: PhotoReadingJson;
  timing_ms: number;
}

// ---- /api/play -----------------------------------------------------------------

/** POST /api/play: the cards request with both photos, and the game options. */
export type PlayRequest = CardsRequest & Omit<GameRequest, 'hand' | 'deck'>;

export interface PlayResponse {
  hand: PhotoReadingJson;
  deck: PhotoReadingJson;
  play: GameResponse;
}

// ---- /api/model ----------------------------------------------------------------

export interface ModelResponse extends ModelName {
  size_mb: number;
  architecture: string;
  input: { format: string; long_side: number };
  turned_views: {
    when: 'doubt' | 'always' | 'never';
    turns: 'corners' | 'photo';
    degrees: number[];
    sure_score: number;
    small_corner: number;
    close_up_side: number;
  };
  cards: readonly string[];
  classes: string[];
  load_ms: number;
  /** The model card (model/model.json): how it was trained and what it reads. */
  [card: string]: unknown;
}
