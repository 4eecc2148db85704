/**
 * A game-solving thread: the word graph, and the turns answered over it. A
 * turn's search is plain synchronous JavaScript (tens of milliseconds for a
 * normal turn): on the event loop it would hold every other request, and the
 * accepting of new connections, for that long. Turns come and go by message
 * (advise-pool.ts is the other end).
 */
import { parentPort, workerData } from 'node:worker_threads';
import { DomainError, type ErrorKind } from '../errors.js';
import { loadDictionary } from '../game/dictionary.js';
import { asWork } from '../idle-memory.js';
import { markRequestThread } from '../thread-priority.js';
import type { AnswerMessage, ReadyMessage } from '../worker-thread.js';
import type { GameResponse } from './contract.js';
import { answerTurn, parseGameInput, type GameInput } from './game-service.js';

/** A DomainError (or any failure) in a form that crosses threads. */
export type CrossingError = { message: string; domain?: { kind: ErrorKind; code: string; details: Record<string, unknown> } };

export type ToAdviser = { id: number; input: GameInput };
export type FromAdviser = ReadyMessage | AnswerMessage<{ response: GameResponse }, CrossingError>;

// At the event loop's priority, above photo work (thread-priority.ts): first, before any lowering can pass by.
markRequestThread();
const port = parentPort!;
/** A ten-card normal turn: every branch of the search. */
const WARM_UP_TURN = parseGameInput({ hand: 'a/cl/g/in/th/m/p/o/u/y', deck: 'n' });
const WARM_UP_TURNS = 4;
const { path } = workerData as { path: string };

try {
  const graph = await loadDictionary(path);
  // The first turns run the search before it is compiled (several times slower): pay that now, not on a player's turn.
  for (let i = 0; i < WARM_UP_TURNS; i++) answerTurn(graph, WARM_UP_TURN);
  port.on('message', ({ id, input }: ToAdviser) => {
    // Counted as this thread's work: the search's garbage is given back once turns stop coming (idle-memory.ts).
    asWork(async () => answerTurn(graph, input)).then(
      (response) => port.postMessage({ id, response } satisfies FromAdviser),
      (error: unknown) => port.postMessage({ id, error: crossing(error) } satisfies FromAdviser),
    );
  });
  port.postMessage({ ready: true } satisfies FromAdviser);
} catch (error) {
  port.postMessage({ ready: false, error: (error as Error).message } satisfies FromAdviser);
}

function crossing(error: unknown): CrossingError {
  if (error instanceof DomainError) return { message: error.message, domain: { kind: error.kind, code: error.code, details: error.details } };
  return { message: error instanceof Error ? error.message : String(error) };
}
