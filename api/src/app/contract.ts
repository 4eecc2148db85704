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

/** `turn`: a normal turn (go out when you can, else keep what is likeliest to go out); `last`: someone has gone out. */
export type Phase = 'turn' | 'last';

/** POST /api/game (or the same fields as a query string on GET). */
export interface GameRequest {
  /** "a/cl/g/in" or ["a", "cl", "g", "in"]. */
  hand: string | string[];
  /** The face-up discard: one card. */
  deck: string | string[];
  /** Default `turn`. */
  phase?: Phase;
  /** The card just drawn from the pile (a normal turn, after choosing to draw): the advice finishes the turn. */
  drawn?: string;
  /** Other cards in view that are not in the pile (the discard pile under the top card, words laid down). */
  seen?: string | string[];
  length_unit?: LengthUnit;
  clamp_at_zero?: boolean;
  /** 0..10, default 4 (last turn). */
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

/** The last turn (someone has gone out): lay down the best words, unused cards count against you. */
export interface LastTurnResponse extends PlayJson {
  phase: 'last';
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

/** One card that could be dropped without going out, and the odds of the cards kept. */
export interface KeepJson {
  drop: string;
  /** The cards kept, joined by "/". */
  kept: string;
  /** The chance that the next card drawn from the pile lets these cards go out. */
  p_out_next: number;
  /** The mean points of going out then, over the draws that go out. */
  expected_out_score: number;
  /** The unseen cards that would go out, with their copies left. */
  out_cards: { card: string; remaining: number }[];
}

export interface TurnDrawOutcome {
  card: string;
  /** Copies of it unseen. */
  remaining: number;
  /** Drawing it lets you go out at once. */
  go_out: boolean;
  /** The points of going out with it, or null. */
  score: number | null;
  /** The card to drop then. */
  drop: string;
  /** When it does not go out: the best keep's chance to go out next turn. */
  p_out_next: number | null;
}

/** A normal turn: take or draw, what to drop, and go out when you can. */
export interface TurnResponse {
  phase: 'turn';
  hand: string;
  deck: string;
  /** The card drawn, when the request said: the advice is for the hand plus it. */
  drawn?: string;
  seen: string;
  /** take: take the discard; draw: draw from the pile; drop: (after a draw) drop a card. */
  action: 'take' | 'draw' | 'drop';
  /** The card to drop now; null when drawing (it depends on the card drawn). */
  drop: string | null;
  /** This turn goes out. */
  going_out: boolean;
  /** One instruction a player can act on. */
  summary: string;
  /** The best complete play (after taking the discard, or with the drawn card), or null. */
  go_out: PlayJson | null;
  /** Every card that could be dropped instead of going out, best first (after taking the discard, or with the drawn card). */
  keep: KeepJson[];
  /** The chance of being out by your next turn if you follow the advice. */
  p_out: number;
  /** The take branch's value (not after a draw). */
  take?: { p_out: number; expected_out_score: number };
  /** The draw branch (not after a draw). */
  draw?: {
    p_out: number;
    expected_out_score: number;
    /** The chance that the drawn card lets you go out at once, and the mean points when it does. */
    p_out_now: number;
    expected_out_now_score: number;
    unseen_cards: number;
    outcomes: TurnDrawOutcome[];
  };
  /** Cards not in view, that could be drawn. */
  unseen_cards: number;
}

export type GameResponse = TurnResponse | LastTurnResponse;

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
  /**
   * What was read again after the first look: nothing, the corners in doubt, the whole photo turned,
   * or the cards' faces (their central letters: the corners read no card surely).
   */
  second_look: 'none' | 'corners' | 'photo' | 'faces';
  /** Quarter turns clockwise the photo was read at (a sideways photo: 1 or 3), after mirroring it back when mirrored. */
  quarter_turns: number;
  /** The photo is a mirror image (a front camera's or a webcam app's selfie view) and was read mirrored back; boxes stay in its own pixels. */
  mirrored: boolean;
  /** The part of the photo read enlarged when its cards were small, [x1, y1, x2, y2]. */
  region?: [number, number, number, number];
  /**
   * Only when the reading leaves something in doubt: what would make the photo read
   * better. 'closer': the cards' corners are too small to read; 'brighter': their paper is dim;
   * 'steadier': their ink is blurred.
   */
  advice?: 'closer' | 'brighter' | 'steadier';
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
  /** Every model file together. */
  size_mb: number;
  architecture: string;
  /** The classifier that reads each corner the detector finds again (vision/corner-reader.ts). */
  corner_reader?: { name: string; size_mb: number; [card: string]: unknown };
  /** The network that reads cards from their faces when the corners read none (vision/face-reader.ts). */
  face_reader?: { name: string; size_mb: number; [card: string]: unknown };
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
