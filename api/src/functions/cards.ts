import {
  app,
  type HttpFunctionOptions,
  type HttpRequest,
  type HttpResponseInit,
  type InvocationContext,
} from '@azure/functions';
import { readCardsRequest } from '../http/cards-request.js';
import { photoJson, readPhotos } from '../http/photos.js';
import { respond } from '../http/respond.js';
import { modelInfo } from '../vision/model-info.js';

/**
 * POST /api/cards with {"hand": IMAGE, "deck": IMAGE, "n_cards": 5} (base64,
 * data URL or http(s) URL), a multipart form, or a raw image body: the cards
 * read from each photo, left to right, with boxes and a marked-up photo.
 */
export async function cards(request: HttpRequest, context: InvocationContext): Promise<HttpResponseInit> {
  return respond(context, async () => {
    const started = performance.now();
    const input = await readCardsRequest(request);
    const photos = await readPhotos(input);
    const { name, version } = (await modelInfo()) as { name: string; version: string };
    return {
      status: 200,
      jsonBody: {
        model: { name, version },
        ...(photos.hand ? { hand: photoJson(photos.hand) } : {}),
        ...(photos.deck ? { deck: photoJson(photos.deck) } : {}),
        timing_ms: Math.round(performance.now() - started),
      },
    };
  });
}

export const cardsFunction = { methods: ['POST'], authLevel: 'anonymous', handler: cards } satisfies HttpFunctionOptions;

app.http('cards', cardsFunction);
