#!/usr/bin/env node
/**
 * quiddler play HAND --deck CARD [--json] [--length letters|cards] [--clamp] [--words FILE]
 */
import { parseArgs } from 'node:util';
import { loadConfig } from './config.js';
import { decideTurn, GameInputError } from './game/decide.js';
import { loadDictionary } from './game/dictionary.js';
import { ApiError } from './http/errors.js';
import { decisionJson, decisionText } from './http/game-response.js';
import { parseGameInput } from './http/game-request.js';

const USAGE = `usage:
  quiddler play HAND --deck CARD [--json] [--length letters|cards] [--clamp] [--alternatives N] [--words FILE]

  HAND   cards separated by "/", e.g. a/cl/g/in/th/m/p/o/u/y (double cards: cl er in qu th)
  --deck the face-up discard, e.g. n
  --words a word list (one word per line, or a .dawg file); SOWPODS by default`;

class UsageError extends Error {}

async function play(args: string[]): Promise<void> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      deck: { type: 'string', short: 'd' },
      json: { type: 'boolean', default: false },
      length: { type: 'string' },
      clamp: { type: 'boolean', default: false },
      alternatives: { type: 'string' },
      words: { type: 'string' },
    },
  });
  if (positionals.length !== 1) throw new UsageError(`give exactly one HAND, got ${positionals.length}`);
  const input = parseGameInput({
    hand: positionals[0],
    deck: values.deck,
    length_unit: values.length,
    clamp_at_zero: values.clamp,
    alternatives: values.alternatives,
  });
  const graph = await loadDictionary(values.words ?? loadConfig().dictionaryPath);
  const decision = decideTurn(graph, input.hand, input.deck, input);
  console.log(values.json ? JSON.stringify(decisionJson(decision), null, 2) : decisionText(decision));
}

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  try {
    if (command === 'play') await play(rest);
    else if (command === undefined || command === 'help' || command === '--help' || command === '-h') {
      console.log(USAGE);
      return command === undefined ? 2 : 0;
    } else throw new UsageError(`unknown command "${command}"`);
    return 0;
  } catch (error) {
    if (error instanceof ApiError || error instanceof GameInputError || error instanceof UsageError) {
      console.error(`quiddler: ${error.message}`);
      if (error instanceof UsageError) console.error(USAGE);
      return 2;
    }
    if ((error as NodeJS.ErrnoException).code === 'ENOENT' || (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
      console.error(`quiddler: ${(error as Error).message}`);
      return 2;
    }
    console.error('quiddler: unexpected error:', error);
    return 1;
  }
}

process.exitCode = await main(process.argv.slice(2));
