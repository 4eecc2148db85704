import type { HttpFunctionOptions } from '@azure/functions';
import type { Services } from '../app/services.js';
import { invalid } from '../errors.js';
import { readCardsRequest } from '../http/cards-request.js';
import { respond } from '../http/respond.js';

/**
 * POST /api/play: the `cards` request (hand and deck photos, n_cards) in, the
 * cards read and the best play out, in one call. Game options (length_unit,
 * clamp_at_zero, alternatives) may ride along in JSON. Cards read that make no
 * legal turn answer 422 with what was read, so they can be corrected.
 */
export function playFunction(services: Services): HttpFunctionOptions {
  return {
    methods: ['POST'],
    authLevel: 'anonymous',
    handler: (request, context) =>
      respond(context, async () => {
        const input = await readCardsRequest(request, services.settings);
        if (!input.photos.hand || !input.photos.deck) throw invalid('missing_image', 'play needs both a "hand" and a "deck" photo');
        return { status: 200, jsonBody: await services.play(input, input.extra) };
      }),
  };
}
