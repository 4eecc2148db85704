import {
  app,
  type HttpFunctionOptions,
  type HttpRequest,
  type HttpResponseInit,
  type InvocationContext,
} from '@azure/functions';
import { loadConfig } from '../config.js';
import { decideTurn, GameInputError } from '../game/decide.js';
import { loadDictionary } from '../game/dictionary.js';
import { badRequest } from '../http/errors.js';
import { decisionJson } from '../http/game-response.js';
import { readGameRequest } from '../http/game-request.js';
import { respond } from '../http/respond.js';

const { dictionaryPath } = loadConfig();

/**
 * GET /api/game?hand=a/cl/g/in&deck=n or POST {"hand": ..., "deck": ...}:
 * the best play for the hand and the face-up discard.
 */
export async function game(request: HttpRequest, context: InvocationContext): Promise<HttpResponseInit> {
  return respond(context, async () => {
    const input = await readGameRequest(request);
    const graph = await loadDictionary(dictionaryPath);
    try {
      const decision = decideTurn(graph, input.hand, input.deck, input);
      return { status: 200, jsonBody: decisionJson(decision) };
    } catch (error) {
      if (error instanceof GameInputError) throw badRequest(error.code, error.message);
      throw error;
    }
  });
}

export const gameFunction = { methods: ['GET', 'POST'], authLevel: 'anonymous', handler: game } satisfies HttpFunctionOptions;

app.http('game', gameFunction);
