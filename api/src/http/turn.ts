import { loadConfig } from '../config.js';
import { decideTurn, GameInputError, type Decision } from '../game/decide.js';
import { loadDictionary } from '../game/dictionary.js';
import { badRequest } from './errors.js';
import type { GameRequest } from './game-request.js';

const { dictionaryPath } = loadConfig();

/** Decides a validated turn with the process's dictionary; a rule broken by the cards is a 400. */
export async function decide(input: GameRequest): Promise<Decision> {
  const graph = await loadDictionary(dictionaryPath);
  try {
    return decideTurn(graph, input.hand, input.deck, input);
  } catch (error) {
    if (error instanceof GameInputError) throw badRequest(error.code, error.message);
    throw error;
  }
}
