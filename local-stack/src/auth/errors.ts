// GoTrue's three error shapes and how each is written to the wire (supabase/auth
// internal/api/errors.go): an HTTP error with an error code, an OAuth-style error, and the weak
// password error that carries its reasons.
import type { ServerResponse } from 'node:http';

export const API_VERSION_HEADER = 'X-Supabase-Api-Version';
/** The only dated API version GoTrue knows; requests dated on or after it get `{code, message}` bodies. */
export const API_VERSION_2024_01_01 = '2024-01-01';

export class HttpError extends Error {
  constructor(
    readonly status: number,
    /** GoTrue's `error_code`; empty when GoTrue has none (hook errors, for instance). */
    readonly errorCode: string,
    message: string,
  ) {
    super(message);
  }
}

export class OAuthError extends Error {
  constructor(
    readonly error: string,
    readonly description: string,
  ) {
    super(`${error}: ${description}`);
  }
}

export class WeakPasswordError extends Error {
  constructor(
    message: string,
    readonly reasons: string[],
  ) {
    super(message);
  }
}

export const badRequest = (code: string, message: string) => new HttpError(400, code, message);
export const unauthorized = (code: string, message: string) => new HttpError(401, code, message);
export const forbidden = (code: string, message: string) => new HttpError(403, code, message);
export const notFound = (code: string, message: string) => new HttpError(404, code, message);
export const unprocessable = (code: string, message: string) => new HttpError(422, code, message);
export const internal = (message: string) => new HttpError(500, 'unexpected_failure', message);

/**
 * Whether the request asked for the 2024-01-01 error format. GoTrue parses the header as a date
 * and treats anything on or after 2024-01-01 as that version; anything else (absent, earlier,
 * unparseable) gets the initial format.
 */
export function wantsDatedErrors(headerValue: string | undefined): boolean {
  if (!headerValue || !/^\d{4}-\d{2}-\d{2}$/.test(headerValue)) return false;
  const requested = Date.parse(`${headerValue}T00:00:00Z`);
  return Number.isFinite(requested) && requested >= Date.parse(`${API_VERSION_2024_01_01}T00:00:00Z`);
}

export function writeJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const payload = JSON.stringify(body);
  res.statusCode = status;
  for (const [name, value] of Object.entries(headers)) res.setHeader(name, value);
  res.setHeader('Content-Type', 'application/json');
  res.setHeader('Content-Length', Buffer.byteLength(payload));
  res.end(payload);
}

export function writeError(res: ServerResponse, error: unknown, datedErrors: boolean, log: (message: string) => void): void {
  if (error instanceof WeakPasswordError) {
    // As GoTrue: the dated format omits the header, the initial format sets it.
    if (datedErrors) {
      writeJson(res, 422, { code: 'weak_password', message: error.message, weak_password: { reasons: error.reasons } });
    } else {
      writeJson(
        res,
        422,
        { code: 422, error_code: 'weak_password', msg: error.message, weak_password: { reasons: error.reasons } },
        { 'x-sb-error-code': 'weak_password' },
      );
    }
    return;
  }
  if (error instanceof OAuthError) {
    writeJson(res, 400, { error: error.error, error_description: error.description });
    return;
  }
  let httpError: HttpError;
  if (error instanceof HttpError) {
    httpError = error;
  } else {
    log(`unhandled error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    httpError = new HttpError(500, 'unexpected_failure', 'Unexpected failure, please check server logs for more information');
  }
  const fallbackCode = httpError.status === 500 ? 'unexpected_failure' : 'unknown';
  const headers: Record<string, string> = {};
  if (httpError.errorCode) headers['x-sb-error-code'] = httpError.errorCode;
  if (datedErrors) {
    writeJson(res, httpError.status, { code: httpError.errorCode || fallbackCode, message: httpError.message }, headers);
  } else {
    writeJson(
      res,
      httpError.status,
      { code: httpError.status, error_code: httpError.errorCode || fallbackCode, msg: httpError.message },
      headers,
    );
  }
}
