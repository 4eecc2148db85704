/** The one error type that crosses the HTTP edge: a status, a stable code and a message for people. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
  }
}

export const badRequest = (code: string, message: string, details?: Record<string, unknown>) =>
  new ApiError(400, code, message, details);

export function errorBody(error: ApiError) {
  return { error: { code: error.code, message: error.message, ...error.details } };
}
