/**
 * The API described as OpenAPI 3.1 (served at GET /api/openapi.json): the same
 * shapes as contract.ts, as JSON Schema. The tests check real answers from the
 * running server against these schemas, so the two cannot drift apart unseen.
 */
import { CARDS } from '../cards.js';
import { HAND_LIMITS } from '../rules.js';

type Schema = Record<string, unknown>;

const ref = (name: string): Schema => ({ $ref: `#/components/schemas/${name}` });
const object = (properties: Record<string, Schema>, required: string[] = Object.keys(properties), extra = false): Schema => ({
  type: 'object',
  properties,
  required,
  additionalProperties: extra,
});
const integer: Schema = { type: 'integer' };
const number: Schema = { type: 'number' };
const string: Schema = { type: 'string' };
const boolean: Schema = { type: 'boolean' };
const arrayOf = (items: Schema): Schema => ({ type: 'array', items });
const nullable = (schema: Schema): Schema => ({ oneOf: [schema, { type: 'null' }] });
const card: Schema = { type: 'string', enum: [...CARDS] };
const cards: Schema = { type: 'string', description: 'card tokens joined by "/", e.g. "a/cl/g/in"' };
const probability: Schema = { type: 'number', minimum: 0, maximum: 1 };
const box: Schema = { type: 'array', items: number, minItems: 4, maxItems: 4, description: '[x1, y1, x2, y2] in the photo’s pixels' };

const play = object({
  drop: nullable(card),
  score: integer,
  complete: boolean,
  words: arrayOf(cards),
  unused: arrayOf(card),
  longest_word: nullable(cards),
  word_details: arrayOf(ref('WordDetail')),
});

const schemas: Record<string, Schema> = {
  Error: object({ error: object({ code: string, message: string }, ['code', 'message'], true) }),
  WordDetail: object({ cards, word: string, points: integer, length: integer }),
  Play: play,
  GameRequest: object(
    {
      hand: { oneOf: [cards, arrayOf(card)] },
      deck: { oneOf: [card, arrayOf(card)] },
      phase: { enum: ['turn', 'last'], description: 'turn (default): a normal turn; last: someone has gone out' },
      drawn: { ...card, description: 'the card just drawn from the pile: the advice finishes the turn' },
      seen: { oneOf: [cards, arrayOf(card)], description: 'other cards in view, not in the pile' },
      length_unit: { enum: ['letters', 'cards'] },
      clamp_at_zero: boolean,
      alternatives: { type: 'integer', minimum: 0, maximum: 10 },
    },
    ['hand', 'deck'],
  ),
  GameResponse: { oneOf: [ref('TurnResponse'), ref('LastTurnResponse')] },
  Keep: object({
    drop: card,
    kept: cards,
    p_out_next: probability,
    expected_out_score: number,
    out_cards: arrayOf(object({ card, remaining: integer })),
  }),
  TurnResponse: object(
    {
      phase: { const: 'turn' },
      hand: cards,
      deck: card,
      drawn: card,
      seen: string,
      action: { enum: ['take', 'draw', 'drop'] },
      drop: nullable(card),
      going_out: boolean,
      summary: string,
      go_out: nullable(ref('Play')),
      keep: arrayOf(ref('Keep')),
      p_out: probability,
      take: object({ p_out: probability, expected_out_score: number }),
      draw: object({
        p_out: probability,
        expected_out_score: number,
        p_out_now: probability,
        expected_out_now_score: number,
        unseen_cards: integer,
        outcomes: arrayOf(
          object({ card, remaining: integer, go_out: boolean, score: nullable(integer), drop: card, p_out_next: nullable(probability) }),
        ),
      }),
      unseen_cards: integer,
    },
    ['phase', 'hand', 'deck', 'seen', 'action', 'drop', 'going_out', 'summary', 'go_out', 'keep', 'p_out', 'unseen_cards'],
  ),
  LastTurnResponse: {
    allOf: [
      { ...play, additionalProperties: true },
      object(
        {
          phase: { const: 'last' },
          hand: cards,
          deck: card,
          action: { enum: ['take', 'draw'] },
          summary: string,
          pick_up: card,
          margin: number,
          draw: object({
            expected_score: number,
            unseen_cards: integer,
            outcomes: arrayOf(object({ card, remaining: integer, score: integer, drop: card })),
          }),
          bonus_plays: object({ longest_word: nullable(ref('Play')), most_words: nullable(ref('Play')) }),
          alternatives: arrayOf(ref('Play')),
        },
        undefined,
        true,
      ),
    ],
  },
  CardsRequest: object(
    {
      hand: { type: 'string', description: 'base64, a data: URL or an http(s) URL' },
      deck: { type: 'string', description: 'base64, a data: URL or an http(s) URL' },
      n_cards: { type: 'integer', minimum: HAND_LIMITS.min, maximum: HAND_LIMITS.max, description: 'a hint: how many cards the hand photo shows' },
      images: boolean,
    },
    [],
  ),
  Count: object({ cards: integer, sure: boolean, maybe: arrayOf(integer), seen: integer, hint: integer, fewer_than_hint: boolean }, [
    'cards',
    'sure',
    'maybe',
    'seen',
  ]),
  PhotoReading: object(
    {
      cards,
      tokens: arrayOf(card),
      details: arrayOf(object({ token: card, score: { type: 'number', minimum: 0, maximum: 1 }, box })),
      count: ref('Count'),
      width: integer,
      height: integer,
      views: arrayOf(number),
      second_look: { enum: ['none', 'corners', 'photo', 'faces'] },
      quarter_turns: { type: 'integer', minimum: 0, maximum: 3 },
      mirrored: {
        type: 'boolean',
        description: "the photo is a mirror image (a selfie view) and was read mirrored back; boxes stay in the photo's pixels",
      },
      region: box,
      advice: {
        enum: ['closer', 'brighter', 'steadier'],
        description: 'only when the reading leaves something in doubt: what would make the photo read better',
      },
      timing_ms: object({ decode: number, inference: number }),
      image: { type: 'string', pattern: '^data:image/jpeg;base64,' },
    },
    ['cards', 'tokens', 'details', 'count', 'width', 'height', 'views', 'second_look', 'quarter_turns', 'mirrored', 'timing_ms'],
  ),
  CardsResponse: object(
    { model: object({ name: string, version: string }), hand: ref('PhotoReading'), deck: ref('PhotoReading'), timing_ms: number },
    ['model', 'timing_ms'],
  ),
  PlayResponse: object({ hand: ref('PhotoReading'), deck: ref('PhotoReading'), play: ref('GameResponse') }),
  ModelResponse: object(
    {
      name: string,
      version: string,
      size_mb: number,
      architecture: string,
      corner_reader: object({ name: string, size_mb: number }, undefined, true),
      face_reader: object({ name: string, size_mb: number }, undefined, true),
      input: object({ format: string, long_side: integer }),
      turned_views: object({
        when: { enum: ['doubt', 'always', 'never'] },
        turns: { enum: ['corners', 'photo'] },
        degrees: arrayOf(number),
        sure_score: number,
        small_corner: number,
        close_up_side: number,
      }),
      cards: arrayOf(card),
      classes: arrayOf(string),
      load_ms: number,
    },
    undefined,
    true,
  ),
};

const json = (schema: string) => ({ content: { 'application/json': { schema: ref(schema) } } });
const errors = (...statuses: number[]) =>
  Object.fromEntries(statuses.map((status) => [String(status), { description: ERROR_MEANING[status], ...json('Error') }]));
const ERROR_MEANING: Record<number, string> = {
  400: 'the request is malformed or breaks a rule (the code says which)',
  403: 'an image URL points at a private or loopback address',
  405: 'the method is not allowed here',
  413: 'a body or an image is too large',
  415: 'not an image format that is read, or a body not sent as application/json',
  422: 'the cards read make no legal turn (what was read comes with the error)',
  503: 'the photo reader is busy or the server is stopping: try again after the Retry-After seconds',
};
const photoBodies = {
  required: true,
  content: {
    'application/json': { schema: ref('CardsRequest') },
    'multipart/form-data': {
      schema: {
        type: 'object',
        properties: { hand: { type: 'string', format: 'binary' }, deck: { type: 'string', format: 'binary' }, n_cards: string },
      },
    },
    'image/*': { schema: { type: 'string', format: 'binary' } },
  },
};

/** The whole document. */
export const OPENAPI = {
  openapi: '3.1.0',
  info: {
    title: 'Quiddler assistant API',
    version: '1',
    description: 'Reads Quiddler cards from photos and finds the best play. Cards are lower-case tokens: a..z and cl, er, in, qu, th.',
  },
  paths: {
    '/api/game': {
      get: {
        summary: 'The advice for a turn: a hand and the face-up discard (fields as query parameters)',
        parameters: ['hand', 'deck', 'phase', 'drawn', 'seen', 'length_unit', 'clamp_at_zero', 'alternatives'].map((name) => ({
          name,
          in: 'query',
          required: name === 'hand' || name === 'deck',
          schema: string,
        })),
        responses: { '200': { description: 'the decision', ...json('GameResponse') }, ...errors(400, 405) },
      },
      post: {
        summary: 'The advice for a turn: a hand and the face-up discard (a normal turn, or the last)',
        requestBody: { required: true, ...json('GameRequest') },
        responses: { '200': { description: 'the decision', ...json('GameResponse') }, ...errors(400, 405, 413, 415) },
      },
    },
    '/api/cards': {
      post: {
        summary: 'The cards in a hand photo and/or a deck photo',
        parameters: [
          { name: 'photo', in: 'query', schema: { enum: ['hand', 'deck'] }, description: 'for a raw image body: which photo it is' },
          { name: 'n_cards', in: 'query', schema: string, description: 'for a raw image body: the count hint' },
        ],
        requestBody: photoBodies,
        responses: { '200': { description: 'the cards read', ...json('CardsResponse') }, ...errors(400, 403, 405, 413, 415, 503) },
      },
    },
    '/api/play': {
      post: {
        summary: 'Both photos read, then the best play for the cards read',
        requestBody: photoBodies,
        responses: { '200': { description: 'the cards read and the play', ...json('PlayResponse') }, ...errors(400, 403, 405, 413, 415, 422, 503) },
      },
    },
    '/api/model': {
      get: { summary: 'Which card detector is serving', responses: { '200': { description: 'the model and its card', ...json('ModelResponse') } } },
    },
    '/api/openapi.json': {
      get: { summary: 'This document', responses: { '200': { description: 'OpenAPI 3.1', content: { 'application/json': {} } } } },
    },
  },
  components: { schemas },
} as const;
