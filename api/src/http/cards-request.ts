/**
 * Reads a `cards` (or `play`) request: photos as base64, data URLs or http(s)
 * URLs in JSON, as multipart form fields (`curl -F hand=@photo.jpg`), or one
 * raw image body. Everything that can be wrong is a 4xx ApiError.
 */
import type { HttpRequest } from '@azure/functions';
import { parseReadOptions, PHOTO_KINDS, type PhotoKind, type ReadRequest } from '../app/reading-service.js';
import { DomainError, invalid } from '../errors.js';
import type { Settings } from '../settings.js';
import { mediaType, readJsonObject } from './json-body.js';
import { fetchImageUrl } from './url-fetch.js';

export interface CardsHttpRequest extends ReadRequest {
  /** Anything else the body carried (the `play` function reads its game options from here). */
  extra: Record<string, unknown>;
}

export async function readCardsRequest(request: HttpRequest, config: Settings): Promise<CardsHttpRequest> {
  const type = mediaType(request);
  const query = request.query;
  let fields: Record<string, unknown>;
  // Forms and query strings carry every value as text; JSON has types, and n_cards there must be a number.
  let fromText = true;
  if (type.startsWith('image/') || type === 'application/octet-stream') {
    // The bytes decide what the image is (image.ts): an image/svg+xml body is refused there, before any decoding.
    const bytes = Buffer.from(await request.arrayBuffer());
    const kind = query.get('photo') ?? 'hand';
    if (kind !== 'hand' && kind !== 'deck') throw invalid('invalid_option', '"photo" must be hand or deck');
    fields = { [kind]: bytes, n_cards: query.get('n_cards') ?? undefined, images: query.get('images') ?? undefined };
  } else if (type === 'multipart/form-data') {
    fields = await readForm(request);
  } else {
    fields = await readJsonObject(request, '{"hand": "<base64, data: URL or http(s) URL>", "deck": "…", "n_cards": 5}', 'missing_image');
    fromText = false;
  }
  // The options first: a bad one is refused before any photo is fetched or decoded.
  const { hand: _h, deck: _d, n_cards, images, ...extra } = fields;
  const options = parseReadOptions({ n_cards, images }, { fromText });

  const photos: ReadRequest['photos'] = {};
  for (const kind of PHOTO_KINDS) {
    const value = fields[kind];
    if (value === undefined || value === null || value === '') continue;
    photos[kind] = await toImageBytes(value, kind, config);
  }
  if (!photos.hand && !photos.deck) {
    throw invalid('missing_image', 'send a "hand" and/or a "deck" photo (base64, a data: URL, an http(s) URL, or a file upload)');
  }
  return { photos, ...options, extra };
}

async function readForm(request: HttpRequest): Promise<Record<string, unknown>> {
  let form: FormData;
  try {
    form = (await request.formData()) as unknown as FormData;
  } catch (error) {
    throw invalid('invalid_form', `the multipart form could not be read: ${(error as Error).message.slice(0, 120)}`);
  }
  const fields: Record<string, unknown> = {};
  for (const [key, value] of form.entries()) {
    fields[key] = typeof value === 'string' ? value : Buffer.from(await value.arrayBuffer());
  }
  return fields;
}

async function toImageBytes(value: unknown, kind: PhotoKind, config: Settings): Promise<Buffer> {
  let bytes: Buffer;
  if (Buffer.isBuffer(value)) bytes = value;
  else if (typeof value !== 'string') {
    throw invalid('invalid_image', `"${kind}" must be a base64 string, a data: URL or an http(s) URL`);
  } else if (/^https?:\/\//i.test(value)) {
    bytes = await fetchImageUrl(value, {
      maxBytes: config.maxImageBytes,
      timeoutMs: config.urlTimeoutMs,
      allowHosts: config.urlAllowHosts,
    });
  } else if (value.startsWith('data:')) {
    bytes = decodeDataUrl(value, kind);
  } else if (/^[a-z][a-z0-9+.-]*:\/\//i.test(value)) {
    throw invalid('invalid_url', `"${kind}": only http and https URLs can be fetched`);
  } else {
    bytes = decodeBase64(value, kind);
  }
  if (bytes.length === 0) throw invalid('invalid_image', `"${kind}" is empty`);
  if (bytes.length > config.maxImageBytes) {
    throw new DomainError(
      'too_large',
      'image_too_large',
      `"${kind}" is ${(bytes.length / 1024 / 1024).toFixed(1)} MB; the limit is ${config.maxImageBytes / 1024 / 1024} MB`,
    );
  }
  return bytes;
}

function decodeDataUrl(value: string, kind: PhotoKind): Buffer {
  const match = /^data:([^;,]*)((?:;[^;,]*)*),(.*)$/s.exec(value);
  if (!match) throw invalid('invalid_data_url', `"${kind}" is not a valid data: URL`);
  const [, mime, params, data] = match;
  if (mime && !mime.toLowerCase().startsWith('image/')) {
    throw new DomainError('unsupported', 'unsupported_image', `"${kind}" is a ${mime} data URL, not an image`);
  }
  if (!/;base64/i.test(params!)) throw invalid('invalid_data_url', `"${kind}" must be a base64 data: URL`);
  return decodeBase64(data!, kind);
}

function decodeBase64(value: string, kind: PhotoKind): Buffer {
  const compact = value.replace(/\s+/g, '');
  // Standard or URL-safe alphabet, padding only at the end, and a length that can be whole bytes.
  if (!/^[A-Za-z0-9+/_-]*={0,2}$/.test(compact) || compact.replace(/=+$/, '').length % 4 === 1) {
    throw invalid('invalid_base64', `"${kind}" is not valid base64 (nor a data: or http(s) URL)`);
  }
  return Buffer.from(compact, 'base64');
}
