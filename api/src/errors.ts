/**
 * Domain errors: what went wrong with a request, in terms of the game and the
 * photos, never of HTTP. The core and the services throw them; each adapter
 * maps the kind to its own answer (an HTTP status, a CLI exit code).
 */

/** What kind of problem: the adapters' one mapping key. */
export type ErrorKind =
  /** The input breaks a rule or a format: fix it and send again. */
  | 'invalid'
  /** The input asks for something not allowed (a URL to a private address). */
  | 'forbidden'
  /** The input is too big (bytes or pixels). */
  | 'too_large'
  /** Not a format the service reads (not a photo). */
  | 'unsupported'
  /** Read fine, but what was read makes no legal turn. */
  | 'unplayable'
  /** The service is too busy now: try again shortly. */
  | 'busy';

export class DomainError extends Error {
  constructor(
    readonly kind: ErrorKind,
    /** A stable, machine-readable name of the problem, e.g. `unknown_card`. */
    readonly code: string,
    message: string,
    /** Extra fields a client can act on (e.g. the valid cards). */
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
  }
}

export const invalid = (code: string, message: string, details?: Record<string, unknown>) => new DomainError('invalid', code, message, details);
