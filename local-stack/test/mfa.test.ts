// TOTP MFA and sign-in throttling through the gateway, driven by the real supabase-js
// (`auth.mfa.*`, `auth.admin.mfa.*`). The test plays the authenticator app with the same
// RFC 6238 code the user's phone would show.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { randomUUID } from 'node:crypto';
import { type AuthApiError, createClient, isAuthApiError, type SupabaseClient } from '@supabase/supabase-js';
import pg from 'pg';
import WebSocket from 'ws';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { totpCode } from '../src/auth/mfa-totp.ts';
import { startStack } from '../src/stack.ts';

const url = inject('url');
const publishableKey = inject('publishableKey');
const secretKey = inject('secretKey');
const database = new pg.Pool({ connectionString: inject('adminDatabaseUrl'), max: 2 });
const PASSWORD = 'contract-password-1';
const createdUserIds: string[] = [];

function client(baseUrl: string, key: string, headers: Record<string, string> = {}): SupabaseClient {
  return createClient(baseUrl, key, {
    auth: { persistSession: false, autoRefreshToken: false, detectSessionInUrl: false },
    realtime: { transport: WebSocket as never },
    global: { headers },
  });
}

const admin = client(url, secretKey);

async function createUser(label: string): Promise<{ id: string; email: string }> {
  const email = `${label}-${randomUUID()}@mfa-contract.example`;
  const { data, error } = await admin.auth.admin.createUser({ email, password: PASSWORD, email_confirm: true });
  if (error) throw error;
  createdUserIds.push(data.user.id);
  return { id: data.user.id, email };
}

async function signIn(email: string): Promise<SupabaseClient> {
  const supabase = client(url, publishableKey);
  const { error } = await supabase.auth.signInWithPassword({ email, password: PASSWORD });
  if (error) throw error;
  return supabase;
}

function claimsOf(jwt: string): { aal: string; amr: Array<{ method: string; timestamp: number }>; session_id: string } {
  return JSON.parse(Buffer.from(jwt.split('.')[1] ?? '', 'base64url').toString('utf8')) as never;
}

function expectApiError(error: unknown, status: number, code: string): void {
  expect(isAuthApiError(error), `expected an AuthApiError ${status} ${code}, got ${String(error)}`).toBe(true);
  expect((error as AuthApiError).status).toBe(status);
  expect((error as AuthApiError).code).toBe(code);
}

/** Enrols a TOTP factor and verifies it, as the enrolment screen does. Returns the secret. */
async function enrolAndVerify(supabase: SupabaseClient, friendlyName = 'phone'): Promise<{ factorId: string; secret: string }> {
  const { data: enrolled, error } = await supabase.auth.mfa.enroll({ factorType: 'totp', friendlyName, issuer: 'Suoja' });
  if (error) throw error;
  const { error: verifyError } = await supabase.auth.mfa.challengeAndVerify({ factorId: enrolled.id, code: totpCode(enrolled.totp.secret) });
  if (verifyError) throw verifyError;
  return { factorId: enrolled.id, secret: enrolled.totp.secret };
}

afterAll(async () => {
  for (const id of createdUserIds) await admin.auth.admin.deleteUser(id);
  await database.end();
});

describe('TOTP enrolment', () => {
  it('returns the factor with an SVG QR code, the secret and the otpauth URI, unverified until a code is checked', async () => {
    const user = await createUser('enrol');
    const supabase = await signIn(user.email);
    const { data, error } = await supabase.auth.mfa.enroll({ factorType: 'totp', friendlyName: 'work phone', issuer: 'Suoja' });
    expect(error).toBeNull();
    expect(data).toMatchObject({ type: 'totp', friendly_name: 'work phone' });
    expect(data!.totp.secret).toMatch(/^[A-Z2-7]{32}$/);
    expect(data!.totp.uri).toBe(
      `otpauth://totp/Suoja:${user.email}?algorithm=SHA1&digits=6&issuer=Suoja&period=30&secret=${data!.totp.secret}`,
    );
    // auth-js prefixes GoTrue's raw SVG with the data: URL scheme.
    expect(data!.totp.qr_code.startsWith('data:image/svg+xml;utf-8,<svg ')).toBe(true);

    const { data: factors } = await supabase.auth.mfa.listFactors();
    expect(factors!.all).toEqual([expect.objectContaining({ id: data!.id, factor_type: 'totp', status: 'unverified', friendly_name: 'work phone' })]);
    expect(factors!.totp).toEqual([]);
    const { data: level } = await supabase.auth.mfa.getAuthenticatorAssuranceLevel();
    expect(level).toMatchObject({ currentLevel: 'aal1', nextLevel: 'aal1' });
  });

  it('refuses a second factor with the same name, and factor types this project has not enabled', async () => {
    const user = await createUser('names');
    const supabase = await signIn(user.email);
    await supabase.auth.mfa.enroll({ factorType: 'totp', friendlyName: 'phone' });
    const { error } = await supabase.auth.mfa.enroll({ factorType: 'totp', friendlyName: 'phone' });
    expectApiError(error, 422, 'mfa_factor_name_conflict');
    const { error: phoneError } = await supabase.auth.mfa.enroll({ factorType: 'phone', phone: '+358401234567' });
    expectApiError(phoneError, 422, 'mfa_phone_enroll_not_enabled');
  });
});

describe('challenge and verify', () => {
  it('lifts the session to aal2 with a totp AMR entry, keeps it through refresh, and ends the password-only sessions', async () => {
    const user = await createUser('verify');
    const other = await signIn(user.email);
    const otherToken = (await other.auth.getSession()).data.session!.access_token;
    const supabase = await signIn(user.email);
    const { data: enrolled } = await supabase.auth.mfa.enroll({ factorType: 'totp', friendlyName: 'phone' });

    const { data: challenge, error: challengeError } = await supabase.auth.mfa.challenge({ factorId: enrolled!.id });
    expect(challengeError).toBeNull();
    expect(challenge!.type).toBe('totp');
    const now = Math.floor(Date.now() / 1000);
    expect(challenge!.expires_at).toBeGreaterThanOrEqual(now + 295);
    expect(challenge!.expires_at).toBeLessThanOrEqual(now + 305);

    const wrong = String((Number(totpCode(enrolled!.totp.secret)) + 500_000) % 1_000_000).padStart(6, '0');
    const { error: wrongError } = await supabase.auth.mfa.verify({ factorId: enrolled!.id, challengeId: challenge!.id, code: wrong });
    expectApiError(wrongError, 422, 'mfa_verification_failed');

    const { data: verified, error } = await supabase.auth.mfa.verify({
      factorId: enrolled!.id,
      challengeId: challenge!.id,
      code: totpCode(enrolled!.totp.secret),
    });
    expect(error).toBeNull();
    const claims = claimsOf(verified!.access_token);
    expect(claims.aal).toBe('aal2');
    expect(claims.amr.map((entry) => entry.method)).toEqual(expect.arrayContaining(['totp', 'password']));

    const { data: level } = await supabase.auth.mfa.getAuthenticatorAssuranceLevel();
    expect(level).toMatchObject({ currentLevel: 'aal2', nextLevel: 'aal2' });
    const { data: factors } = await supabase.auth.mfa.listFactors();
    expect(factors!.totp.map((factor) => factor.id)).toEqual([enrolled!.id]);

    const { data: refreshed, error: refreshError } = await supabase.auth.refreshSession();
    expect(refreshError).toBeNull();
    expect(claimsOf(refreshed.session!.access_token).aal).toBe('aal2');

    // The other browser signed in with the password alone: that session is gone.
    const response = await fetch(`${url}/auth/v1/user`, {
      headers: { apikey: publishableKey, Authorization: `Bearer ${otherToken}`, 'X-Supabase-Api-Version': '2024-01-01' },
    });
    expect(response.status).toBe(403);
    expect(((await response.json()) as { code: string }).code).toBe('session_not_found');

    // A used challenge cannot be used again.
    const { error: reuseError } = await supabase.auth.mfa.verify({ factorId: enrolled!.id, challengeId: challenge!.id, code: totpCode(enrolled!.totp.secret) });
    expectApiError(reuseError, 422, 'mfa_ip_address_mismatch');
  });

  it('refuses an expired challenge and another user’s factor', async () => {
    const user = await createUser('expiry');
    const supabase = await signIn(user.email);
    const { data: enrolled } = await supabase.auth.mfa.enroll({ factorType: 'totp', friendlyName: 'phone' });
    const { data: challenge } = await supabase.auth.mfa.challenge({ factorId: enrolled!.id });
    await database.query(`update auth.mfa_challenges set created_at = now() - interval '6 minutes' where id = $1`, [challenge!.id]);
    const { error } = await supabase.auth.mfa.verify({ factorId: enrolled!.id, challengeId: challenge!.id, code: totpCode(enrolled!.totp.secret) });
    expectApiError(error, 422, 'mfa_challenge_expired');
    const { rows } = await database.query(`select 1 from auth.mfa_challenges where id = $1`, [challenge!.id]);
    expect(rows).toHaveLength(0);

    const intruder = await signIn((await createUser('intruder')).email);
    const { error: foreignError } = await intruder.auth.mfa.challenge({ factorId: enrolled!.id });
    expectApiError(foreignError, 404, 'mfa_factor_not_found');
    const { error: foreignDelete } = await intruder.auth.mfa.unenroll({ factorId: enrolled!.id });
    expectApiError(foreignDelete, 404, 'mfa_factor_not_found');
  });

  it('answers 429 over_request_rate_limit after ten wrong codes for one factor', async () => {
    const user = await createUser('guess');
    const supabase = await signIn(user.email);
    const { data: enrolled } = await supabase.auth.mfa.enroll({ factorType: 'totp', friendlyName: 'phone' });
    const right = totpCode(enrolled!.totp.secret);
    const wrongCodes = Array.from({ length: 10 }, (_, i) => String((Number(right) + 100_000 + i) % 1_000_000).padStart(6, '0'));
    for (const code of wrongCodes) {
      const { error } = await supabase.auth.mfa.challengeAndVerify({ factorId: enrolled!.id, code });
      expectApiError(error, 422, 'mfa_verification_failed');
    }
    const { error } = await supabase.auth.mfa.challengeAndVerify({ factorId: enrolled!.id, code: totpCode(enrolled!.totp.secret) });
    expectApiError(error, 429, 'over_request_rate_limit');
  });
});

describe('a user with a verified factor', () => {
  it('signs in at aal1 with aal2 as the next level, and needs aal2 to enrol or unenrol', async () => {
    const user = await createUser('second-login');
    const first = await signIn(user.email);
    const { factorId, secret } = await enrolAndVerify(first);

    const supabase = await signIn(user.email);
    const { data: level } = await supabase.auth.mfa.getAuthenticatorAssuranceLevel();
    expect(level).toMatchObject({ currentLevel: 'aal1', nextLevel: 'aal2' });
    const { error: enrolError } = await supabase.auth.mfa.enroll({ factorType: 'totp', friendlyName: 'spare' });
    expectApiError(enrolError, 403, 'insufficient_aal');
    const { error: unenrolError } = await supabase.auth.mfa.unenroll({ factorId });
    expectApiError(unenrolError, 422, 'insufficient_aal');

    const { error } = await supabase.auth.mfa.challengeAndVerify({ factorId, code: totpCode(secret) });
    expect(error).toBeNull();
    const { data, error: removeError } = await supabase.auth.mfa.unenroll({ factorId });
    expect(removeError).toBeNull();
    expect(data).toEqual({ id: factorId });
    // The session relied on that factor: its next token is aal1 again.
    const { data: refreshed } = await supabase.auth.refreshSession();
    expect(claimsOf(refreshed.session!.access_token).aal).toBe('aal1');
  });
});

describe('recovery by an administrator', () => {
  it('lists and deletes a user’s factors with the secret key only', async () => {
    const user = await createUser('recovery');
    const supabase = await signIn(user.email);
    const { factorId } = await enrolAndVerify(supabase);

    const { data: listed, error: listError } = await admin.auth.admin.mfa.listFactors({ userId: user.id });
    expect(listError).toBeNull();
    expect(listed!.factors).toEqual([expect.objectContaining({ id: factorId, factor_type: 'totp', status: 'verified' })]);

    const anon = client(url, publishableKey);
    const { error: anonError } = await anon.auth.admin.mfa.deleteFactor({ userId: user.id, id: factorId });
    expectApiError(anonError, 403, 'not_admin');

    const { data: deleted, error } = await admin.auth.admin.mfa.deleteFactor({ userId: user.id, id: factorId });
    expect(error).toBeNull();
    // auth-js 2.x hands back GoTrue's factor wrapped once more ({ data: factor, error: null }).
    expect(deleted).toMatchObject({ data: { id: factorId, status: 'verified' } });
    const { data: after } = await admin.auth.admin.mfa.listFactors({ userId: user.id });
    expect(after!.factors).toEqual([]);
    const { data: refreshed } = await supabase.auth.refreshSession();
    expect(claimsOf(refreshed.session!.access_token).aal).toBe('aal1');

    const { error: missing } = await admin.auth.admin.mfa.deleteFactor({ userId: user.id, id: factorId });
    expectApiError(missing, 404, 'mfa_factor_not_found');
  });
});

describe('sign-in throttling', () => {
  it('locks an account for everyone after ten wrong passwords, known or unknown, without touching other accounts', async () => {
    const target = await createUser('locked');
    const bystander = await createUser('bystander');
    const unknown = `nobody-${randomUUID()}@mfa-contract.example`;
    const anon = client(url, publishableKey);
    for (let i = 0; i < 10; i++) {
      const { error } = await anon.auth.signInWithPassword({ email: target.email, password: `wrong-${i}-password` });
      expectApiError(error, 400, 'invalid_credentials');
      const { error: unknownError } = await anon.auth.signInWithPassword({ email: unknown, password: `wrong-${i}-password` });
      expectApiError(unknownError, 400, 'invalid_credentials');
    }
    const { error } = await anon.auth.signInWithPassword({ email: target.email.toUpperCase(), password: PASSWORD });
    expectApiError(error, 429, 'over_request_rate_limit');
    const { error: unknownError } = await anon.auth.signInWithPassword({ email: unknown, password: PASSWORD });
    expectApiError(unknownError, 429, 'over_request_rate_limit');

    const raw = await fetch(`${url}/auth/v1/token?grant_type=password`, {
      method: 'POST',
      headers: { apikey: publishableKey, 'Content-Type': 'application/json', 'X-Supabase-Api-Version': '2024-01-01' },
      body: JSON.stringify({ email: target.email, password: PASSWORD }),
    });
    expect(raw.status).toBe(429);
    expect(raw.headers.get('x-sb-error-code')).toBe('over_request_rate_limit');
    expect(await raw.json()).toEqual({ code: 'over_request_rate_limit', message: 'Request rate limit reached' });

    const { error: bystanderError } = await anon.auth.signInWithPassword({ email: bystander.email, password: PASSWORD });
    expect(bystanderError).toBeNull();
  });

  it('limits sign-ins per address as [auth.rate_limit] sign_in_sign_ups configures', async () => {
    const fixtures = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures');
    const dir = await mkdtemp(path.join(tmpdir(), 'suoja-ratelimit-'));
    const configFile = path.join(dir, 'config.toml');
    await writeFile(configFile, '[auth]\nminimum_password_length = 6\n\n[auth.rate_limit]\nsign_in_sign_ups = 3\n');
    const stack = await startStack({
      dataDir: path.join(dir, 'stack'),
      apiPort: 0,
      dbPort: 0,
      fsync: false,
      logToStderr: false,
      migrationsDir: path.join(fixtures, 'migrations'),
      seedFile: null,
      configFile,
      scheduleFile: null,
    });
    try {
      const stackAdmin = client(stack.url, stack.secretKey);
      const email = `address-${randomUUID()}@mfa-contract.example`;
      const { error: createError } = await stackAdmin.auth.admin.createUser({ email, password: PASSWORD, email_confirm: true });
      expect(createError).toBeNull();
      const from = (address: string) => client(stack.url, stack.publishableKey, { 'X-Forwarded-For': address });

      for (let i = 0; i < 3; i++) {
        const { error } = await from('198.51.100.7').auth.signInWithPassword({ email, password: PASSWORD });
        expect(error).toBeNull();
      }
      // Right password or not: the fourth attempt from that address within five minutes is refused.
      const { error } = await from('198.51.100.7').auth.signInWithPassword({ email, password: PASSWORD });
      expectApiError(error, 429, 'over_request_rate_limit');
      const { error: elsewhere } = await from('203.0.113.9').auth.signInWithPassword({ email, password: PASSWORD });
      expect(elsewhere).toBeNull();
    } finally {
      await stack.stop();
      await rm(dir, { recursive: true, force: true });
    }
  }, 120_000);
});
