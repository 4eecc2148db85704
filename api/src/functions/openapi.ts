import type { HttpFunctionOptions } from '@azure/functions';
import { OPENAPI } from '../app/openapi.js';

/** GET /api/openapi.json: the API described as OpenAPI 3.1. */
export function openapiFunction(): HttpFunctionOptions {
  return {
    methods: ['GET'],
    authLevel: 'anonymous',
    route: 'openapi.json',
    handler: async () => ({ status: 200, jsonBody: OPENAPI }),
  };
}
