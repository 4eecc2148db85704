import {
  app,
  type HttpFunctionOptions,
  type HttpRequest,
  type HttpResponseInit,
  type InvocationContext,
} from '@azure/functions';
import { readCardsRequest } from '../http/cards-request.js';
import { ApiError, badRequest } from '../http/errors.js';
import { parseGameInput } from '../http/game-request.js';
import { decisionJson } from '../http/game-response.js';
import { photoJson, readPhotos } from '../http/photos.js';
import { respond } from '../http/respond.js';
import { decide } from '../http/turn.js';

/**
 * POST /api/play: the `cards` request (hand and deck photos, n_cards) in, the
 * cards read and the best play out, in one call. Game options (length_unit,
 * clamp_at_zero, alternatives) may ride along in JSON.
 */
export async function play(request: HttpRequest, context: InvocationContext): Promise<HttpResponseInit> {
  return respond(context, async () => {
    const input = await readCardsRequest(request);
    if (!input.photos.hand || !input.photos.deck) {
      throw badRequest('missing_image', 'play needs both a "hand" and a "deck" photo');
    }
    const photos = await readPhotos(input);
    const hand = photoJson(photos.hand!);
    const deck = photoJson(photos.deck!);
    try {
      const decision = await decide(parseGameInput({ ...input.extra, hand: hand.tokens, deck: deck.tokens }));
      return { status: 200, jsonBody: { hand, deck, play: decisionJson(decision) } };
    } catch (error) {
      // An option the client sent is its own mistake; anything else is about the cards read.
      if (error instanceof ApiError && error.code !== 'invalid_option') throw unreadable(error.message, hand, deck);
      throw error;
    }
  });
}

/** The photos were read but do not make a legal turn: say so, with what was read, so the player can correct it. */
function unreadable(message: string, hand: object, deck: object): ApiError {
  return new ApiError(422, 'unplayable_reading', `the cards read do not make a turn: ${message}`, { hand, deck });
}

export const playFunction = { methods: ['POST'], authLevel: 'anonymous', handler: play } satisfies HttpFunctionOptions;

app.http('play', playFunction);
