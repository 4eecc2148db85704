/** Every API function by name, each built over the process's services; served at /api/<route, or else name>. */
import type { HttpFunctionOptions } from '@azure/functions';
import type { Services } from '../app/services.js';
import { cardsFunction } from './cards.js';
import { gameFunction } from './game.js';
import { modelFunction } from './model.js';
import { openapiFunction } from './openapi.js';
import { playFunction } from './play.js';

export function apiFunctions(services: Services): Record<string, HttpFunctionOptions> {
  return {
    cards: cardsFunction(services),
    game: gameFunction(services),
    model: modelFunction(services),
    play: playFunction(services),
    openapi: openapiFunction(),
  };
}
