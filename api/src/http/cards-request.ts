/**
 * Reads a `cards` (or `play`) request: photos as base64, data URLs or http(s)
 * URLs in JSON, as multipart form fields (`curl -F hand=@photo.jpg`), or one
 * raw image body. Everything that can be wrong is a 4xx ApiError.
 */
import type { HttpRequest } from '@azure/functions';
import { loadConfig } from '../config.js';
import { ApiError, badRequest } from './errors.js';
import { readJsonObject } from './json-body.js';
import { fetchImageUrl } from './url-fetch.js';

export type PhotoKind = 'hand' | 'deck';

export interface CardsRequest {
  photos: Partial<Record<PhotoKind, Buffer>>;
  /** How many cards the hand photo shows (1..10), when the player said. */
  nCards?: number;
  /** Whether to return the marked-up photos. */
  images: boolean;
  /** Anything else the JSON body carried (the `play` function reads its options from here). */
  extra: Record<string, unknown>;
}

const KINDS: readonly PhotoKind[] = ['hand', 'deck'];

export async function readCardsRequest(request: HttpRequest): Promise<CardsRequest> {
  const config = loadConfig();
  const type = (request.headers.get('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
  const query = request.query;
  let fields: Record<string, unknown>;
  if (type.startsWith('image/') || type === 'application/octet-stream') {
    const bytes = Buffer.from(await request.arrayBuffer());
    const kind = query.get('photo') ?? 'hand';
    if (kind !== 'hand' && kind !== 'deck') throw badRequest('invalid_option', '"photo" must be hand or deck');
    fields = { [kind]: bytes, n_cards: query.get('n_cards') ?? undefined, images: query.get('images') ?? undefined };
  } else if (type === 'multipart/form-data') {
    fields = await readForm(request);
  } else {
    fields = await readJsonObject(request, '{"hand": "<base64, data: URL or http(s) URL>", "deck": "…", "n_cards": 5}', 'missing_image');
  }

  const photos: CardsRequest['photos'] = {};
  for (const kind of KINDS) {
    const value = fields[kind];
    if (value === undefined || value === null || value === '') continue;
    photos[kind] = await toImageBytes(value, kind, config);
  }
  if (!photos.hand && !photos.deck) {
    throw badRequest('missing_image', 'send a "hand" and/or a "deck" photo (base64, a data: URL, an http(s) URL, or a file upload)');
  }
  const { hand: _h, deck: _d, n_cards, images, ...extra } = fields;
  return { photos, nCards: readCount(n_cards), images: readFlag(images), extra };
}

async function readForm(request: HttpRequest): Promise<Record<string, unknown>> {
  let form: FormData;
  try {
    form = (await request.formData()) as unknown as FormData;
  } catch (error) {
    throw badRequest('invalid_form', `the multipart form could not be read: ${(error as Error).message}`);
  }
  const fields: Record<string, unknown> = {};
  for (const [key, value] of form.entries()) {
    fields[key] = typeof value === 'string' ? value : Buffer.from(await value.arrayBuffer());
  }
  return fields;
}

async function toImageBytes(value: unknown, kind: PhotoKind, config: ReturnType<typeof loadConfig>): Promise<Buffer> {
  let bytes: Buffer;
  if (Buffer.isBuffer(value)) bytes = value;
  else if (typeof value !== 'string') {
    throw badRequest('invalid_image', `"${kind}" must be a base64 string, a data: URL or an http(s) URL`);
  } else if (/^https?:\/\//i.test(value)) {
    bytes = await fetchImageUrl(value, {
      maxBytes: config.maxImageBytes,
      timeoutMs: config.urlTimeoutMs,
      allowHosts: config.urlAllowHosts,
    });
  } else if (value.startsWith('data:')) {
    bytes = decodeDataUrl(value, kind);
  } else if (/^[a-z][a-z0-9+.-]*:\/\//i.test(value)) {
    throw badRequest('invalid_url', `"${kind}": only http and https URLs can be fetched`);
  } else {
    bytes = decodeBase64(value, kind);
  }
  if (bytes.length === 0) throw badRequest('invalid_image', `"${kind}" is empty`);
  if (bytes.length > config.maxImageBytes) {
    throw new ApiError(413, 'image_too_large', `"${kind}" is ${(bytes.length / 1024 / 1024).toFixed(1)} MB; the limit is ${config.maxImageBytes / 1024 / 1024} MB`);
  }
  return bytes;
}

function decodeDataUrl(value: string, kind: PhotoKind): Buffer {
  const match = /^data:([^;,]*)((?:;[^;,]*)*),(.*)$/s.exec(value);
  if (!match) throw badRequest('invalid_data_url', `"${kind}" is not a valid data: URL`);
  const [, mime, params, data] = match;
  if (mime && !mime.toLowerCase().startsWith('image/')) {
    throw new ApiError(415, 'unsupported_image', `"${kind}" is a ${mime} data URL, not an image`);
  }
  if (!/;base64/i.test(params!)) throw badRequest('invalid_data_url', `"${kind}" must be a base64 data: URL`);
  return decodeBase64(data!, kind);
}

function decodeBase64(value: string, kind: PhotoKind): Buffer {
  const compact = value.replace(/\s+/g, '');
  // Standard or URL-safe alphabet, padding only at the end, and a length that can be whole bytes.
  if (!/^[A-Za-z0-9+/_-]*={0,2}$/.test(compact) || compact.replace(/=+$/, '').length % 4 === 1) {
    throw badRequest('invalid_base64', `"${kind}" is not valid base64 (nor a data: or http(s) URL)`);
  }
  return Buffer.from(compact, 'base64');
}

function readCount(value: unknown): number | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  const number = typeof value === 'string' ? Number(value) : value;
  if (typeof number === 'number' && Number.isInteger(number) && number >= 1 && number <= 10) return number;
  throw badRequest('invalid_n_cards', `"n_cards" must be an integer from 1 to 10, got ${JSON.stringify(value)}`);
}

function readFlag(value: unknown): boolean {
  if (value === undefined || value === null || value === true || value === 'true' || value === '1') return true;
  if (value === false || value === 'false' || value === '0') return false;
  throw badRequest('invalid_option', '"images" must be true or false');
}
