/** The functions the local server serves, by name: the same options each file gives `app.http`. */
import type { HttpFunctionOptions } from '@azure/functions';
import { cardsFunction } from './functions/cards.js';
import { gameFunction } from './functions/game.js';
import { modelFunction } from './functions/model.js';
import { playFunction } from './functions/play.js';

export const functions: Record<string, HttpFunctionOptions> = {
  cards: cardsFunction,
  game: gameFunction,
  model: modelFunction,
  play: playFunction,
};
