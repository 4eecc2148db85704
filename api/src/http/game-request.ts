/** Reads a `game` request over HTTP (JSON body or query string) into the game service's input. */
import type { HttpRequest } from '@azure/functions';
import { parseGameInput, type GameInput } from '../app/game-service.js';
import { readJsonObject } from './json-body.js';

const MAX_BODY_BYTES = 64 * 1024;

export async function readGameRequest(request: HttpRequest): Promise<GameInput> {
  if (request.method === 'GET') return parseGameInput(Object.fromEntries(request.query.entries()));
  return parseGameInput(await readJsonObject(request, '{"hand": "a/cl/g/in", "deck": "n"}', 'missing_body', MAX_BODY_BYTES));
}
