import type { HttpRequest } from '@azure/functions';
import { DomainError, invalid } from '../errors.js';

/**
 * The request's JSON object body; 400 when empty (with `emptyCode`), not JSON,
 * or not an object. `example` shows the caller what to send.
 */
export async function readJsonObject(request: HttpRequest, example: string, emptyCode: string, maxBytes?: number): Promise<Record<string, unknown>> {
  const text = await request.text();
  if (maxBytes !== undefined && Buffer.byteLength(text) > maxBytes) {
    throw new DomainError('too_large', 'body_too_large', `the request body is over ${maxBytes / 1024} KB`);
  }
  if (text.trim() === '') throw invalid(emptyCode, `send JSON like ${example}`);
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch (error) {
    throw invalid('invalid_json', `the body is not valid JSON: ${(error as Error).message}`);
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw invalid('invalid_body', `the body must be a JSON object like ${example}`);
  }
  return body as Record<string, unknown>;
}
