import type { HttpFunctionOptions } from '@azure/functions';
import type { Services } from '../app/services.js';
import { readCardsRequest } from '../http/cards-request.js';
import { respond } from '../http/respond.js';

/**
 * POST /api/cards with {"hand": IMAGE, "deck": IMAGE, "n_cards": 5} (base64,
 * data URL or http(s) URL), a multipart form, or a raw image body: the cards
 * read from each photo, left to right, with boxes and a marked-up photo.
 */
export function cardsFunction(services: Services): HttpFunctionOptions {
  return {
    methods: ['POST'],
    authLevel: 'anonymous',
    handler: (request, context) =>
      respond(context, async () => ({ status: 200, jsonBody: await services.readCards(await readCardsRequest(request, services.settings)) })),
  };
}
