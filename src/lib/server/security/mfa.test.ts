import { AuthApiError } from '@supabase/supabase-js';
import { describe, expect, it } from 'vitest';
import { codeSchema, failureFor, qrDataUrl } from './mfa';

describe('MFA helpers', () => {
  it('accepts six digits, with the spaces apps show, and nothing else', () => {
    expect(codeSchema.safeParse('123 456').data).toBe('123456');
    for (const bad of ['12345', '1234567', 'abcdef', '', '12345x']) expect(codeSchema.safeParse(bad).success).toBe(false);
  });

  it('turns the QR SVG into a data URL that a `#` in the SVG cannot cut short', () => {
    const url = qrDataUrl('data:image/svg+xml;utf-8,<svg fill="#000"></svg>');
    expect(url.startsWith('data:image/svg+xml;charset=utf-8,%3Csvg')).toBe(true);
    expect(url).not.toContain('#');
  });

  it('tells a wrong code, too many attempts and an Auth outage apart', () => {
    expect(failureFor(new AuthApiError('Invalid TOTP code entered', 422, 'mfa_verification_failed'))).toBe('wrong_code');
    expect(failureFor(new AuthApiError('expired', 422, 'mfa_challenge_expired'))).toBe('wrong_code');
    expect(failureFor(new AuthApiError('Request rate limit reached', 429, 'over_request_rate_limit'))).toBe('too_many_attempts');
    expect(failureFor(new AuthApiError('boom', 500, 'unexpected_failure'))).toBe('unavailable');
    expect(failureFor(new TypeError('fetch failed'))).toBe('unavailable');
  });
});
