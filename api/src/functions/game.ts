import {
  app,
  type HttpFunctionOptions,
  type HttpRequest,
  type HttpResponseInit,
  type InvocationContext,
} from '@azure/functions';
import { decisionJson } from '../http/game-response.js';
import { readGameRequest } from '../http/game-request.js';
import { respond } from '../http/respond.js';
import { decide } from '../http/turn.js';

/**
 * GET /api/game?hand=a/cl/g/in&deck=n or POST {"hand": ..., "deck": ...}:
 * the best play for the hand and the face-up discard.
 */
export async function game(request: HttpRequest, context: InvocationContext): Promise<HttpResponseInit> {
  return respond(context, async () => {
    const decision = await decide(await readGameRequest(request));
    return { status: 200, jsonBody: decisionJson(decision) };
  });
}

export const gameFunction = { methods: ['GET', 'POST'], authLevel: 'anonymous', handler: game } satisfies HttpFunctionOptions;

app.http('game', gameFunction);
