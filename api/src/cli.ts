#!/usr/bin/env node
/**
 * quiddler play HAND --deck CARD [--json] [--length letters|cards] [--clamp] [--words FILE]
 * quiddler read PHOTO [--cards N] [--json]
 * quiddler read --eval LABELS.json [--with-count | --as-sent] [--json]
 * quiddler --version;  quiddler [COMMAND] --help
 * A thin adapter: arguments in, the app layer's services, text or JSON out; exit 2 on bad input.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { adviseTurn } from './app/advise.js';
import { answerText, parseGameInput } from './app/game-service.js';
import { DomainError } from './errors.js';
import { PROJECT_ROOT, settings, SettingsError } from './settings.js';
import { readPhoto } from './vision/detect.js';
import { ADVICE_TEXT } from './vision/photo-advice.js';
import { MIRRORED_TEXT } from './vision/photo-reading.js';
import { summarizeScores, type PhotoScore } from './vision/evaluate.js';
import { readLabelledPhotos } from './vision/read-labelled.js';
import type { CountCertainty } from './vision/reader.js';

const PLAY_USAGE = `usage: quiddler play HAND --deck CARD [--last] [--drawn CARD] [--seen CARDS] [--json] [--length letters|cards] [--clamp] [--alternatives N] [--words FILE]

  HAND           cards separated by "/", e.g. a/cl/g/in/th/m/p/o/u/y (double cards: cl er in qu th)
  --deck, -d     the face-up discard, e.g. n
  --last         someone has gone out: this is your last turn (lay down what you can)
  --drawn        you drew this card from the pile: finish the turn (drop, go out if you can)
  --seen         other cards in view, not in the pile (e.g. the discard pile, words laid down): a/b/c
  --json         the answer as /api/game gives it
  --length       how a word's length counts for the longest-word bonus: letters (default) or cards
  --clamp        a round never scores below 0 on this table
  --alternatives the best play for up to N other drops (0..10, default 4)
  --words        a word list (one word per line, or a .dawg file); SOWPODS by default`;

const READ_USAGE = `usage: quiddler read PHOTO [--cards N] [--json]
       quiddler read --eval LABELS.json [--with-count | --as-sent] [--json]

  PHOTO        a hand or deck photo (JPEG, PNG, WebP, GIF…); the cards are counted for you
  --cards, -n  a hint: the photo shows N cards (1..10)
  --json       the cards with their scores, boxes and how sure the count is
  --eval       labels.json as in ../shared/real-photos: reads each photo (without its count;
               with it: --with-count; as the page sends it, a hand without a count and a
               deck photo as the one-card discard: --as-sent) and scores it`;

const USAGE = `usage: quiddler <command> [options]   (quiddler <command> --help for its options)

  quiddler play HAND --deck CARD   the best play for a hand and the face-up discard
  quiddler read PHOTO              the cards in a photo
  quiddler --version               the version`;

/** A command line that cannot be run: the message, then the command's usage. */
class UsageError extends Error {
  constructor(
    message: string,
    readonly usage = USAGE,
  ) {
    super(message);
  }
}

/** The package's version, from package.json beside dist/ or the sources. */
async function version(): Promise<string> {
  const manifest = JSON.parse(await readFile(join(PROJECT_ROOT, 'package.json'), 'utf8')) as { version: string };
  return manifest.version;
}

const wantsHelp = (args: readonly string[]) => args.includes('--help') || args.includes('-h');

async function play(args: string[]): Promise<void> {
  if (wantsHelp(args)) return console.log(PLAY_USAGE);
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
      last: { type: 'boolean', default: false },
      drawn: { type: 'string' },
      seen: { type: 'string' },
    },
  });
  if (positionals.length !== 1) throw new UsageError(`give exactly one HAND, got ${positionals.length}`, PLAY_USAGE);
  const input = parseGameInput({
    hand: positionals[0],
    deck: values.deck,
    phase: values.last ? 'last' : 'turn',
    drawn: values.drawn,
    seen: values.seen,
    length_unit: values.length,
    clamp_at_zero: values.clamp,
    alternatives: values.alternatives,
  });
  const answer = await adviseTurn(input, values.words ?? settings().dictionaryPath);
  console.log(values.json ? JSON.stringify(answer, null, 2) : answerText(answer));
}

async function read(args: string[]): Promise<void> {
  if (wantsHelp(args)) return console.log(READ_USAGE);
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      cards: { type: 'string', short: 'n' },
      json: { type: 'boolean', default: false },
      eval: { type: 'string' },
      'with-count': { type: 'boolean', default: false },
      'as-sent': { type: 'boolean', default: false },
    },
  });
  if (values['with-count'] && values['as-sent']) throw new UsageError('give --with-count or --as-sent, not both', READ_USAGE);
  if (values.eval) return evaluate(values.eval, values.json, { withCount: values['with-count'], asSent: values['as-sent'] });
  if (positionals.length !== 1) throw new UsageError(`give exactly one PHOTO, got ${positionals.length}`, READ_USAGE);
  let count: number | undefined;
  if (values.cards !== undefined) {
    count = Number(values.cards);
    if (!Number.isInteger(count) || count < 1 || count > 10) throw new UsageError('--cards must be an integer from 1 to 10', READ_USAGE);
  }
  const reading = await readPhoto(await readFile(positionals[0]!), { expectedCount: count });
  if (values.json) {
    const { cards, width, height, timing, count, advice, mirrored } = reading;
    console.log(
      JSON.stringify({ cards: cards.map((c) => c.token).join('/'), details: cards, count, advice, mirrored, width, height, timing }, null, 2),
    );
  } else {
    console.log(reading.cards.map((c) => `${c.token.toUpperCase()} (${c.score.toFixed(2)})`).join('  ') || '(no cards found)');
    console.log(countLine(reading.count, count));
    if (reading.mirrored) console.log(MIRRORED_TEXT);
    if (reading.advice) console.log(ADVICE_TEXT[reading.advice]);
  }
}

/** What the reader makes of the count, in a line: sure, in doubt, or fewer than the hint. */
function countLine(count: CountCertainty, hint: number | undefined): string {
  if (hint !== undefined && count.seen < hint) return `the photo seems to show ${count.seen} card${count.seen === 1 ? '' : 's'}, not ${hint}`;
  if (count.sure) return `${count.cards} card${count.cards === 1 ? '' : 's'}`;
  return `${count.cards} cards read; the photo may show ${count.maybe.join(' or ')}`;
}

/** Reads every photo of a labels file and prints how many were right. */
async function evaluate(labelsPath: string, json: boolean, hints: { withCount: boolean; asSent: boolean }): Promise<void> {
  const onScore = (score: PhotoScore) => {
    if (!json)
      console.log(
        `${score.allRight ? 'ok  ' : 'MISS'} ${score.photo.padEnd(14)} read ${score.read.join('/').padEnd(20)} truth ${score.truth.join('/')}`,
      );
  };
  const scores = await readLabelledPhotos(labelsPath, { ...hints, onScore });
  const summary = summarizeScores(scores);
  if (json) console.log(JSON.stringify({ summary, photos: scores }, null, 2));
  else
    console.log(
      `${summary.correct}/${summary.cards} cards right (${(100 * summary.accuracy).toFixed(1)}%), ${summary.photosAllRight}/${summary.photos} photos fully right`,
    );
}

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  try {
    if (command === 'play') await play(rest);
    else if (command === 'read') await read(rest);
    else if (command === '--version' || command === '-v' || command === 'version') console.log(`quiddler ${await version()}`);
    else if (command === 'help' || command === '--help' || command === '-h') console.log(USAGE);
    else if (command === undefined) throw new UsageError('give a command');
    else throw new UsageError(`unknown command "${command}"`);
    return 0;
  } catch (error) {
    if (error instanceof DomainError || error instanceof UsageError || error instanceof SettingsError) {
      console.error(`quiddler: ${error.message}`);
      if (error instanceof UsageError) console.error(error.usage);
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
