import {
  app,
  type HttpFunctionOptions,
  type HttpRequest,
  type HttpResponseInit,
  type InvocationContext,
} from '@azure/functions';
import { respond } from '../http/respond.js';
import { modelInfo } from '../vision/model-info.js';

/** GET /api/model: which detector is serving, its version, classes and input size. */
export async function model(_request: HttpRequest, context: InvocationContext): Promise<HttpResponseInit> {
  return respond(context, async () => ({ status: 200, jsonBody: await modelInfo() }));
}

export const modelFunction = { methods: ['GET'], authLevel: 'anonymous', handler: model } satisfies HttpFunctionOptions;

app.http('model', modelFunction);
