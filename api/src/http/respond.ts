import type { HttpResponseInit, InvocationContext } from '@azure/functions';
import { DomainError } from '../errors.js';
import { ClientGoneError } from '../request-signal.js';
import { errorBody, errorHeaders, HTTP_STATUS } from './errors.js';

/** On every API answer: a JSON body is never sniffed into something a browser would run. */
export const API_HEADERS: Readonly<Record<string, string>> = { 'X-Content-Type-Options': 'nosniff' };

/**
 * Runs a handler body and turns failures into JSON: a DomainError becomes its
 * kind's status with its code and message (a 503 with Retry-After); anything
 * else is logged and answered as a bare 500, so no stack trace reaches the
 * client. Work stopped because its client went away is answered with nothing
 * anyone will read, and not logged: the server says that once.
 */
export async function respond(context: InvocationContext, work: () => Promise<HttpResponseInit>): Promise<HttpResponseInit> {
  try {
    const answer = await work();
    const headers = new Headers(answer.headers);
    for (const [name, value] of Object.entries(API_HEADERS)) headers.set(name, value);
    return { ...answer, headers };
  } catch (error) {
    if (error instanceof ClientGoneError) return { status: 499, headers: API_HEADERS };
    if (error instanceof DomainError) {
      return { status: HTTP_STATUS[error.kind], jsonBody: errorBody(error), headers: { ...API_HEADERS, ...errorHeaders(error) } };
    }
    context.error(`${context.functionName} failed:`, error);
    return { status: 500, jsonBody: { error: { code: 'internal', message: 'internal server error' } }, headers: API_HEADERS };
  }
}
