import type { HttpResponseInit, InvocationContext } from '@azure/functions';
import { DomainError } from '../errors.js';
import { errorBody, HTTP_STATUS } from './errors.js';

/**
 * Runs a handler body and turns failures into JSON: a DomainError becomes its
 * kind's status with its code and message; anything else is logged and
 * answered as a bare 500, so no stack trace reaches the client.
 */
export async function respond(context: InvocationContext, work: () => Promise<HttpResponseInit>): Promise<HttpResponseInit> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof DomainError) return { status: HTTP_STATUS[error.kind], jsonBody: errorBody(error) };
    context.error(`${context.functionName} failed:`, error);
    return { status: 500, jsonBody: { error: { code: 'internal', message: 'internal server error' } } };
  }
}
