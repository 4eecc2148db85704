/**
 * The application: one object per process holding its settings, with a method
 * per thing a client can ask. The Azure functions, the local server and the
 * CLI call these and only translate in and out.
 */
import { DomainError } from '../errors.js';
import { requestSignal } from '../request-signal.js';
import type { Settings } from '../settings.js';
import { modelInfo } from '../vision/model-info.js';
import type { CardsResponse, GameResponse, ModelResponse, PlayResponse } from './contract.js';
import { adviseTurn } from './advise.js';
import { adviserFor } from './advise-pool.js';
import { parseGameInput, parseGameOptions, type GameInput } from './game-service.js';
import { photoJson } from './photo-json.js';
import { readPhotos, type ReadRequest } from './reading-service.js';

export interface Services {
  readonly settings: Settings;
  /** The best play for a validated turn. */
  advise(input: GameInput): Promise<GameResponse>;
  /** The cards in each photo. */
  readCards(request: ReadRequest): Promise<CardsResponse>;
  /** Both photos read, then the best play for what was read; `options` are the game options beside the photos. */
  play(request: ReadRequest, options: Record<string, unknown>): Promise<PlayResponse>;
  /** Which detector is serving. */
  model(): Promise<ModelResponse>;
}

export function createServices(settings: Settings): Services {
  const modelName = async () => {
    const { name, version } = await modelInfo(settings);
    return { name, version };
  };
  // On the event loop, or in the game's threads when the settings ask (advise-pool.ts): there a turn still queued when its client goes is dropped.
  const advise = (input: GameInput) =>
    settings.gameThreads > 0
      ? adviserFor(settings.dictionaryPath, settings.gameThreads).advise(input, requestSignal())
      : adviseTurn(input, settings.dictionaryPath);
  return {
    settings,
    advise,
    async readCards(request) {
      const started = performance.now();
      const photos = await readPhotos(request, settings);
      return {
        model: await modelName(),
        ...(photos.hand ? { hand: photoJson(photos.hand) } : {}),
        ...(photos.deck ? { deck: photoJson(photos.deck) } : {}),
        timing_ms: Math.round(performance.now() - started),
      };
    },
    async play(request, options) {
      // The options are the client's own: a bad one is its mistake (invalid), checked before any photo is read.
      parseGameOptions(options);
      const photos = await readPhotos(request, settings);
      const hand = photoJson(photos.hand!);
      const deck = photoJson(photos.deck!);
      let input: GameInput;
      let play: GameResponse;
      try {
        input = parseGameInput({ ...options, hand: hand.tokens, deck: deck.tokens });
        play = await advise(input);
      } catch (error) {
        // Anything wrong now is about the cards read: say so, with what was read, so they can be corrected.
        if (error instanceof DomainError) {
          throw new DomainError('unplayable', 'unplayable_reading', `the cards read do not make a turn: ${error.message}`, { hand, deck });
        }
        throw error;
      }
      return { hand, deck, play };
    },
    model: () => modelInfo(settings),
  };
}
