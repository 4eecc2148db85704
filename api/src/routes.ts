/** The functions the local server serves, by name: the same options each file gives `app.http`. */
import type { HttpFunctionOptions } from '@azure/functions';
import { gameFunction } from './functions/game.js';

export const functions: Record<string, HttpFunctionOptions> = {
  game: gameFunction,
};
