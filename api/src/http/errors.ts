/** How a domain error crosses the HTTP edge: its kind picks the status; the body names the code and the problem. */
import { DomainError, type ErrorKind } from '../errors.js';
import type { ErrorResponse } from '../app/contract.js';

export const HTTP_STATUS: Readonly<Record<ErrorKind, number>> = {
  invalid: 400,
  forbidden: 403,
  too_large: 413,
  unsupported: 415,
  unplayable: 422,
  busy: 503,
};

/** A message is at most this long: whatever a message quotes of the input stays an excerpt. */
export const MAX_MESSAGE_CHARS = 300;

export function errorBody(error: DomainError): ErrorResponse {
  const message = error.message.length > MAX_MESSAGE_CHARS ? `${error.message.slice(0, MAX_MESSAGE_CHARS)}…` : error.message;
  return { error: { ...error.details, code: error.code, message } };
}

/** Headers that go with the error's status: a 503 says when to try again. */
export function errorHeaders(error: DomainError): Record<string, string> {
  if (error.kind !== 'busy') return {};
  const seconds = Number(error.details.retry_after_s);
  return { 'Retry-After': String(Number.isInteger(seconds) && seconds > 0 ? seconds : 1) };
}
