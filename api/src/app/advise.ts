/** A validated turn answered with the word list at a path (loaded once per process): the server's and the CLI's way in. */
import { loadDictionary } from '../game/dictionary.js';
import type { GameResponse } from './contract.js';
import { answerTurn, type GameInput } from './game-service.js';

export async function adviseTurn(input: GameInput, dictionaryPath: string): Promise<GameResponse> {
  return answerTurn(await loadDictionary(dictionaryPath), input);
}
