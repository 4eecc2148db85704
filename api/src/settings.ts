/**
 * The process's settings: read from the environment and validated once, at
 * start (a bad value stops the start with a message naming it), then passed
 * down. The only module that reads process.env.
 */
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DEFAULT_MAX_IMAGE_PIXELS } from './vision/photo-format.js';
import { READER_DEFAULTS } from './vision/reader.js';

/** The project root: the nearest folder above this file holding package.json (works from src and dist). */
export const PROJECT_ROOT = (() => {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json'))) {
    const parent = dirname(dir);
    if (parent === dir) throw new Error('cannot find the project root (no package.json above api/)');
    dir = parent;
  }
  return dir;
})();

export const DEFAULT_DICTIONARY = join(PROJECT_ROOT, 'dictionary', 'sowpods.dawg');

export interface Settings {
  port: number;
  host: string;
  /** A packed word graph (.dawg) or a text file of one word per line. */
  dictionaryPath: string;
  webRoot: string;
  /** The ONNX detector. */
  modelPath: string;
  /** The ONNX corner reader that reads the detector's finds again (vision/corner-reader.ts); undefined: the detector alone. */
  cornerReaderPath?: string;
  /** The ONNX face reader that reads cards from their central letters when the corners read none (vision/face-reader.ts); undefined: none. */
  faceReaderPath?: string;
  /** Largest image accepted, in bytes (after base64 decoding). */
  maxImageBytes: number;
  /** Largest image accepted, in pixels (a 24 MP phone photo is the largest real input). */
  maxImagePixels: number;
  /** Photos that may wait for the reader beyond the ones being read; past it a request is answered 503 at once. */
  readQueue: number;
  /**
   * Threads that search turns off the event loop (app/advise-pool.ts), 0 to 4;
   * 0 (the default): on the event loop.
   */
  gameThreads: number;
  /** A decode is stopped after this many seconds (whole seconds: libvips' unit). */
  decodeTimeoutS: number;
  /** A photo not read this long after it arrived (waiting included) is answered 503, and its work stops. */
  readTimeoutMs: number;
  /** Deadline for fetching an image URL. */
  urlTimeoutMs: number;
  /** Hosts an image URL may name even though they resolve to private or loopback addresses. */
  urlAllowHosts: string[];
  /**
   * When the detector also reads the photo turned by ±`viewDegrees` and the
   * views vote: 'doubt' (only when the first view leaves a card unsure), 'always' or 'never'.
   */
  turnedViews: 'doubt' | 'always' | 'never';
  viewDegrees: number;
  /**
   * What a doubtful first view turns: 'corners' (only the corners in doubt, as
   * tiles of one small mosaic; the whole photo when a card is missing) or 'photo'.
   */
  viewScope: 'corners' | 'photo';
}

const TURNED_VIEWS = ['doubt', 'always', 'never'] as const;
const VIEW_SCOPES = ['corners', 'photo'] as const;

/** A setting with a bad value: the message names the variable and what it must be. */
export class SettingsError extends Error {}

/** Reads and validates every setting from `env`. */
export function loadSettings(env: NodeJS.ProcessEnv = process.env): Settings {
  const port = Number(env.PORT ?? 4280);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new SettingsError(`PORT must be 0..65535, got "${env.PORT}"`);
  return {
    port,
    host: env.HOST ?? '127.0.0.1',
    dictionaryPath: resolve(env.QUIDDLER_DICTIONARY ?? DEFAULT_DICTIONARY),
    webRoot: resolve(env.QUIDDLER_WEB_ROOT ?? join(PROJECT_ROOT, 'web', 'dist')),
    modelPath: resolve(env.QUIDDLER_MODEL ?? join(PROJECT_ROOT, 'model', 'quiddler.onnx')),
    ...cornerReader(env.QUIDDLER_CORNER_READER),
    ...faceReader(env.QUIDDLER_FACE_READER),
    maxImageBytes: positive(env.QUIDDLER_MAX_IMAGE_MB, 10, 'QUIDDLER_MAX_IMAGE_MB') * 1024 * 1024,
    maxImagePixels: Math.floor(
      positive(env.QUIDDLER_MAX_IMAGE_MEGAPIXELS, DEFAULT_MAX_IMAGE_PIXELS / 1e6, 'QUIDDLER_MAX_IMAGE_MEGAPIXELS') * 1_000_000,
    ),
    readQueue: whole(env.QUIDDLER_READ_QUEUE, 32, 'QUIDDLER_READ_QUEUE'),
    gameThreads: upTo(env.QUIDDLER_GAME_THREADS, 0, 4, 'QUIDDLER_GAME_THREADS'),
    decodeTimeoutS: whole(env.QUIDDLER_DECODE_TIMEOUT_S, 5, 'QUIDDLER_DECODE_TIMEOUT_S'),
    readTimeoutMs: positive(env.QUIDDLER_READ_TIMEOUT_MS, 10_000, 'QUIDDLER_READ_TIMEOUT_MS'),
    urlTimeoutMs: positive(env.QUIDDLER_URL_TIMEOUT_MS, 5000, 'QUIDDLER_URL_TIMEOUT_MS'),
    urlAllowHosts: (env.QUIDDLER_URL_ALLOW_HOSTS ?? '')
      .split(',')
      .map((h) => h.trim().toLowerCase())
      .filter(Boolean),
    turnedViews: oneOf(env.QUIDDLER_TURNED_VIEWS, TURNED_VIEWS, READER_DEFAULTS.turnedViews, 'QUIDDLER_TURNED_VIEWS'),
    viewDegrees: positive(env.QUIDDLER_VIEW_DEGREES, READER_DEFAULTS.viewDegrees, 'QUIDDLER_VIEW_DEGREES'),
    viewScope: oneOf(env.QUIDDLER_VIEW_SCOPE, VIEW_SCOPES, READER_DEFAULTS.viewScope, 'QUIDDLER_VIEW_SCOPE'),
  };
}

/** The corner reader's file: model/corner-reader.onnx unless named, "off" for none. */
function cornerReader(value: string | undefined): Pick<Settings, 'cornerReaderPath'> {
  if (value === 'off') return {};
  return { cornerReaderPath: resolve(value || join(PROJECT_ROOT, 'model', 'corner-reader.onnx')) };
}

/** The face reader's file: model/face-reader.onnx unless named, "off" for none. */
function faceReader(value: string | undefined): Pick<Settings, 'faceReaderPath'> {
  if (value === 'off') return {};
  return { faceReaderPath: resolve(value || join(PROJECT_ROOT, 'model', 'face-reader.onnx')) };
}

function oneOf<T extends string>(value: string | undefined, allowed: readonly T[], fallback: T, name: string): T {
  if (value === undefined || value === '') return fallback;
  if (!(allowed as readonly string[]).includes(value)) throw new SettingsError(`${name} must be one of ${allowed.join(', ')}, got "${value}"`);
  return value as T;
}

function positive(value: string | undefined, fallback: number, name: string): number {
  if (value === undefined || value === '') return fallback;
  const number = Number(value);
  if (!(number > 0)) throw new SettingsError(`${name} must be a positive number, got "${value}"`);
  return number;
}

function whole(value: string | undefined, fallback: number, name: string): number {
  const number = positive(value, fallback, name);
  if (!Number.isInteger(number)) throw new SettingsError(`${name} must be a whole number, got "${value}"`);
  return number;
}

function upTo(value: string | undefined, fallback: number, max: number, name: string): number {
  if (value === undefined || value === '') return fallback;
  const number = Number(value);
  if (!/^\d+$/.test(value) || number > max) throw new SettingsError(`${name} must be a whole number from 0 to ${max}, got "${value}"`);
  return number;
}

let current: Settings | undefined;

/** The settings this process started with: read from the environment on first use, then the same object. */
export function settings(): Settings {
  current ??= loadSettings();
  return current;
}
