/** Every API function by name, each built over the process's services; served at /api/<route, or else name>. */
import type { HttpFunctionOptions } from '@azure/functions';
import type { Services } from '../app/services.js';
import { asWork } from '../idle-memory.js';
import { cardsFunction } from './cards.js';
import { gameFunction } from './game.js';
import { modelFunction } from './model.js';
import { openapiFunction } from './openapi.js';
import { playFunction } from './play.js';

export function apiFunctions(services: Services): Record<string, HttpFunctionOptions> {
  const functions = {
    cards: cardsFunction(services),
    game: gameFunction(services),
    model: modelFunction(services),
    play: playFunction(services),
    openapi: openapiFunction(),
  };
  return Object.fromEntries(Object.entries(functions).map(([name, fn]) => [name, givingMemoryBack(fn)]));
}

/** The function, its calls counted as work: memory goes back once calls stop (idle-memory.ts), on Azure as locally. */
function givingMemoryBack(fn: HttpFunctionOptions): HttpFunctionOptions {
  return { ...fn, handler: (request, context) => asWork(async () => fn.handler(request, context)) };
}
