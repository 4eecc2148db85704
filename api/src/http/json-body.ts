import type { HttpRequest } from '@azure/functions';
import { ApiError, badRequest } from './errors.js';

/**
 * The request's JSON object body; 400 when empty (with `emptyCode`), not JSON,
 * or not an object. `example` shows the caller what to send.
 */
export async function readJsonObject(request: HttpRequest, example: string, emptyCode: string, maxBytes?: number): Promise<Record<string, unknown>> {
  const text = await request.text();
  if (maxBytes !== undefined && Buffer.byteLength(text) > maxBytes) {
    throw new ApiError(413, 'body_too_large', `the request body is over ${maxBytes / 1024} KB`);
  }
  if (text.trim() === '') throw badRequest(emptyCode, `send JSON like ${example}`);
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch (error) {
    throw badRequest('invalid_json', `the body is not valid JSON: ${(error as Error).message}`);
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw badRequest('invalid_body', `the body must be a JSON object like ${example}`);
  }
  return body as Record<string, unknown>;
}
