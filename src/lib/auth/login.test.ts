import { describe, expect, it } from 'vitest';
import { loginFailureFor, parseLoginForm } from './login';

function form(fields: Record<string, string>): FormData {
  const data = new FormData();
  for (const [name, value] of Object.entries(fields)) data.set(name, value);
  return data;
}

describe('sign-in form validation', () => {
  it('accepts an email address and a password, trimming spaces around the address', () => {
    const result = parseLoginForm(form({ email: '  staff@suoja.example ', password: 'suoja-demo' }));
    expect(result).toEqual({ ok: true, input: { email: 'staff@suoja.example', password: 'suoja-demo' } });
  });

  it('asks for both fields when they are empty or missing', () => {
    expect(parseLoginForm(form({ email: '   ', password: '' }))).toEqual({
      ok: false,
      errors: { email: 'required', password: 'required' },
      email: ''
    });
    expect(parseLoginForm(new FormData())).toMatchObject({ ok: false, errors: { email: 'required', password: 'required' } });
  });

  it('says the address is malformed, and keeps what was typed so it can be corrected', () => {
    expect(parseLoginForm(form({ email: 'not-an-address', password: 'x' }))).toEqual({
      ok: false,
      errors: { email: 'invalid' },
      email: 'not-an-address'
    });
  });

  it('keeps a password exactly as typed (spaces are significant)', () => {
    const result = parseLoginForm(form({ email: 'a@suoja.example', password: ' pass ' }));
    expect(result).toMatchObject({ ok: true, input: { password: ' pass ' } });
  });
});

describe('what a refused sign-in tells the user', () => {
  it('gives the same answer for an unknown user and a wrong password', () => {
    expect(loginFailureFor({ code: 'invalid_credentials', status: 400 })).toBe('invalid_credentials');
    expect(loginFailureFor({ code: 'user_not_found', status: 400 })).toBe('invalid_credentials');
  });

  it('does not reveal that an unconfirmed or banned account exists', () => {
    expect(loginFailureFor({ code: 'email_not_confirmed', status: 400 })).toBe('invalid_credentials');
    expect(loginFailureFor({ code: 'user_banned', status: 400 })).toBe('invalid_credentials');
  });

  it('asks the user to wait when Auth throttles', () => {
    expect(loginFailureFor({ code: 'over_request_rate_limit', status: 429 })).toBe('too_many_attempts');
    expect(loginFailureFor({ status: 429 })).toBe('too_many_attempts');
  });

  it('blames the service, not the user, when Auth is down or unreachable', () => {
    expect(loginFailureFor({ status: 500 })).toBe('unavailable');
    expect(loginFailureFor({ status: 503, code: 'unexpected_failure' })).toBe('unavailable');
    expect(loginFailureFor({ status: 0 })).toBe('unavailable');
    expect(loginFailureFor({})).toBe('unavailable');
  });
});
