import type { HttpFunctionOptions } from '@azure/functions';
import type { Services } from '../app/services.js';
import { readGameRequest } from '../http/game-request.js';
import { respond } from '../http/respond.js';

/**
 * GET /api/game?hand=a/cl/g/in&deck=n or POST {"hand": ..., "deck": ...}:
 * the best play for the hand and the face-up discard.
 */
export function gameFunction(services: Services): HttpFunctionOptions {
  return {
    methods: ['GET', 'POST'],
    authLevel: 'anonymous',
    handler: (request, context) => respond(context, async () => ({ status: 200, jsonBody: await services.advise(await readGameRequest(request)) })),
  };
}
