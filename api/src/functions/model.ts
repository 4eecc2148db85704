import type { HttpFunctionOptions } from '@azure/functions';
import type { Services } from '../app/services.js';
import { respond } from '../http/respond.js';

/** GET /api/model: which detector is serving, its version, classes and input size. */
export function modelFunction(services: Services): HttpFunctionOptions {
  return {
    methods: ['GET'],
    authLevel: 'anonymous',
    handler: (_request, context) => respond(context, async () => ({ status: 200, jsonBody: await services.model() })),
  };
}
