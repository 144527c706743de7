/** Every error the api returns is JSON `{error, details}`; internal failures never reach the client. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    readonly details: unknown = undefined,
    readonly headers: Record<string, string> = {},
  ) {
    super(code);
    this.name = "HttpError";
  }
}

/** `details` is always present (an empty object when there is nothing to add), so clients can read it unguarded. */
export interface ErrorBody {
  error: string;
  details: unknown;
}

export const badRequest = (code: string, details?: unknown): HttpError => new HttpError(400, code, details);
export const unauthorized = (code = "unauthenticated"): HttpError => new HttpError(401, code);
export const notFound = (code = "not_found"): HttpError => new HttpError(404, code);

/** A refusal the client may retry after `retryAfterSeconds`: said in the `Retry-After` header and in `details`. */
export const retryLater = (status: 429 | 503, code: string, retryAfterSeconds: number, details: Record<string, unknown> = {}): HttpError =>
  new HttpError(status, code, { ...details, retryAfterSeconds }, { "Retry-After": String(retryAfterSeconds) });
