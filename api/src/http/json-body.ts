import type { HttpRequest } from '@azure/functions';
import { DomainError, invalid } from '../errors.js';

/** No request needs deeper JSON; refusing it before parsing keeps every later step (validation, messages) free of deep recursion. */
export const MAX_JSON_DEPTH = 32;

/** The request's media type, lower case, without parameters ('' when it sent none). */
export function mediaType(request: HttpRequest): string {
  return (request.headers.get('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
}

/**
 * The request's JSON object body; 400 when empty (with `emptyCode`), not JSON,
 * nested too deep, or not an object; 415 when it is not sent as
 * application/json (a cross-site form can only send text/plain, form or
 * multipart bodies, so it cannot make these endpoints work). `example` shows
 * the caller what to send.
 */
export async function readJsonObject(request: HttpRequest, example: string, emptyCode: string, maxBytes?: number): Promise<Record<string, unknown>> {
  const text = await request.text();
  if (maxBytes !== undefined && Buffer.byteLength(text) > maxBytes) {
    throw new DomainError('too_large', 'body_too_large', `the request body is over ${maxBytes / 1024} KB`);
  }
  if (text.trim() === '') throw invalid(emptyCode, `send JSON like ${example}`);
  const type = mediaType(request);
  if (type !== 'application/json' && !type.endsWith('+json')) {
    throw new DomainError(
      'unsupported',
      'unsupported_media_type',
      `send the body as Content-Type: application/json, not ${type.slice(0, 60) || 'none'}`,
    );
  }
  if (nestedDeeperThan(text, MAX_JSON_DEPTH)) throw invalid('invalid_json', `the JSON is nested more than ${MAX_JSON_DEPTH} levels deep`);
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch (error) {
    throw invalid('invalid_json', `the body is not valid JSON: ${(error as Error).message.slice(0, 120)}`);
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw invalid('invalid_body', `the body must be a JSON object like ${example}`);
  }
  return body as Record<string, unknown>;
}

/** Whether brackets outside strings nest deeper than `limit`: one pass, no recursion, whatever the text. */
function nestedDeeperThan(text: string, limit: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c)
        i++; // a backslash escapes the next character
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x7b || c === 0x5b) {
      if (++depth > limit) return true;
    } else if (c === 0x7d || c === 0x5d) depth--;
  }
  return false;
}
