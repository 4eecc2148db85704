import type { HttpResponseInit, InvocationContext } from '@azure/functions';
import { ApiError, errorBody } from './errors.js';

/**
 * Runs a handler body and turns failures into JSON: an ApiError keeps its
 * status and message; anything else is logged and answered as a bare 500 so
 * no stack trace reaches the client.
 */
export async function respond(
  context: InvocationContext,
  work: () => Promise<HttpResponseInit>,
): Promise<HttpResponseInit> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof ApiError) return { status: error.status, jsonBody: errorBody(error) };
    context.error(`${context.functionName} failed:`, error);
    return { status: 500, jsonBody: { error: { code: 'internal', message: 'internal server error' } } };
  }
}
