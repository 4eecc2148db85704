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

export function errorBody(error: DomainError): ErrorResponse {
  return { error: { ...error.details, code: error.code, message: error.message } };
}
