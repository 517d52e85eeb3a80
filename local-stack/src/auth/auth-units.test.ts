// The Auth service's pure pieces: GoTrue's wire formats for timestamps, errors, durations and
// metadata updates, which the contract tests only reach indirectly.
import type { ServerResponse } from 'node:http';
import { describe, expect, it } from 'vitest';
import { toRfc3339 } from './db.ts';
import { HttpError, OAuthError, WeakPasswordError, wantsDatedErrors, writeError } from './errors.ts';
import { checkPasswordStrength, mergeMetadata, parseGoDuration, validateEmail, validatePhone } from './users.ts';

function captureError(error: unknown, dated: boolean) {
  const headers: Record<string, string> = {};
  let body = '';
  const res = {
    statusCode: 0,
    setHeader(name: string, value: string | number) {
      headers[name.toLowerCase()] = String(value);
    },
    end(payload: string) {
      body = payload;
    },
  };
  writeError(res as unknown as ServerResponse, error, dated, () => {});
  return { status: res.statusCode, headers, body: JSON.parse(body) as unknown };
}

describe('timestamps', () => {
  it('turns Postgres text into GoTrue’s UTC RFC 3339 form, keeping microseconds and trimming zeros', () => {
    expect(toRfc3339('2026-03-29 03:30:00.123456+03')).toBe('2026-03-29T00:30:00.123456Z');
    expect(toRfc3339('2026-01-01 00:00:00.120000+00')).toBe('2026-01-01T00:00:00.12Z');
    expect(toRfc3339('2026-01-01 00:00:00+05:30')).toBe('2025-12-31T18:30:00Z');
    // `timestamp without time zone` columns hold UTC in GoTrue's tables.
    expect(toRfc3339('2026-06-01 12:00:00.5')).toBe('2026-06-01T12:00:00.5Z');
  });
});

describe('error bodies', () => {
  it('sends {code, message} and x-sb-error-code to clients on API version 2024-01-01', () => {
    const sent = captureError(new HttpError(400, 'invalid_credentials', 'Invalid login credentials'), true);
    expect(sent.status).toBe(400);
    expect(sent.headers['x-sb-error-code']).toBe('invalid_credentials');
    expect(sent.body).toEqual({ code: 'invalid_credentials', message: 'Invalid login credentials' });
  });

  it('sends {code: status, error_code, msg} to clients without an API version', () => {
    const sent = captureError(new HttpError(422, 'email_exists', 'taken'), false);
    expect(sent.body).toEqual({ code: 422, error_code: 'email_exists', msg: 'taken' });
  });

  it('names a code-less error unknown (or unexpected_failure when it is a 500), without the header', () => {
    expect(captureError(new HttpError(403, '', 'hook says no'), true)).toMatchObject({ body: { code: 'unknown' }, headers: {} });
    expect(captureError(new HttpError(500, '', 'bad claims'), true).body).toMatchObject({ code: 'unexpected_failure' });
  });

  it('hides unexpected exceptions behind GoTrue’s generic 500', () => {
    const sent = captureError(new Error('connection reset'), true);
    expect(sent.status).toBe(500);
    expect(sent.body).toEqual({ code: 'unexpected_failure', message: 'Unexpected failure, please check server logs for more information' });
  });

  it('sends OAuth-style and weak-password errors in their own shapes', () => {
    expect(captureError(new OAuthError('invalid_request', 'refresh_token required'), true).body).toEqual({
      error: 'invalid_request',
      error_description: 'refresh_token required',
    });
    expect(captureError(new WeakPasswordError('too short', ['length']), true).body).toEqual({
      code: 'weak_password',
      message: 'too short',
      weak_password: { reasons: ['length'] },
    });
  });

  it('treats any date from 2024-01-01 on as the dated API version', () => {
    expect(wantsDatedErrors('2024-01-01')).toBe(true);
    expect(wantsDatedErrors('2025-06-30')).toBe(true);
    expect(wantsDatedErrors('2023-12-31')).toBe(false);
    expect(wantsDatedErrors(undefined)).toBe(false);
    expect(wantsDatedErrors('yesterday')).toBe(false);
  });
});

describe('input rules', () => {
  it('parses ban durations in Go’s syntax', () => {
    expect(parseGoDuration('24h')).toBe(86_400_000);
    expect(parseGoDuration('1h30m')).toBe(5_400_000);
    expect(parseGoDuration('1.5s')).toBe(1500);
    expect(parseGoDuration('0')).toBe(0);
    expect(() => parseGoDuration('1 day')).toThrow(/invalid format for ban duration/);
    expect(() => parseGoDuration('10')).toThrow(/invalid format for ban duration/);
  });

  it('merges metadata with null deleting a key', () => {
    expect(mergeMetadata({ a: 1, b: 2 }, { b: null, c: 3 })).toEqual({ a: 1, c: 3 });
    expect(mergeMetadata(null, { a: 1 })).toEqual({ a: 1 });
  });

  it('validates email and phone as GoTrue does', () => {
    expect(validateEmail('Staff@Suoja.Example')).toBe('staff@suoja.example');
    expect(() => validateEmail('not-an-email')).toThrow('Unable to validate email address: invalid format');
    expect(validatePhone('+358 40 123 4567')).toBe('358401234567');
    expect(() => validatePhone('040-123')).toThrow('Invalid phone number format (E.164 required)');
  });

  it('rejects a short password as weak and an over-long one as invalid', () => {
    expect(() => checkPasswordStrength('12345', 6)).toThrow(WeakPasswordError);
    expect(() => checkPasswordStrength('x'.repeat(73), 6)).toThrow(/longer than 72/);
    expect(() => checkPasswordStrength('long enough', 6)).not.toThrow();
  });
});
