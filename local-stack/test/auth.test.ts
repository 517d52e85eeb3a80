// /auth/v1 through the gateway, driven by the real supabase-js (raw HTTP only where a test
// checks headers or bodies the client hides). The stack's config (fixtures/config.toml) sets
// refresh_token_reuse_interval = 1 and the fixture's Custom Access Token Hook, which copies
// public.user_roles into a `user_role` claim.
import { randomBytes, randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import {
  AuthApiError,
  AuthWeakPasswordError,
  createClient,
  isAuthApiError,
  isAuthSessionMissingError,
  type Session,
  type SupabaseClient,
} from '@supabase/supabase-js';
import { decodeProtectedHeader } from 'jose';
import pg from 'pg';
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { signHs256 } from '../src/keys.ts';

const url = inject('url');
const publishableKey = inject('publishableKey');
const secretKey = inject('secretKey');
const adminDatabaseUrl = inject('adminDatabaseUrl');
const stackDir = inject('stackDir');

const PASSWORD = 'contract-password-1';
/** The test stack's refresh_token_reuse_interval, in ms, plus a margin for clock granularity. */
const PAST_REUSE_INTERVAL_MS = 1600;

interface RecordedRequest {
  method: string;
  path: string;
}

function client(key: string, options: { recorder?: RecordedRequest[]; accessToken?: string } = {}): SupabaseClient {
  const recorder = options.recorder;
  const recordingFetch: typeof fetch = async (input, init) => {
    const target = new URL(typeof input === 'string' ? input : input instanceof URL ? input.href : input.url);
    recorder?.push({ method: init?.method ?? 'GET', path: target.pathname });
    return fetch(input, init);
  };
  return createClient(url, key, {
    auth: { persistSession: false, autoRefreshToken: false, detectSessionInUrl: false },
    // Node 20 has no global WebSocket; supabase-js throws at createClient without a transport.
    realtime: { transport: WebSocket as never },
    global: {
      fetch: recordingFetch,
      ...(options.accessToken ? { headers: { Authorization: `Bearer ${options.accessToken}` } } : {}),
    },
  });
}

const admin = client(secretKey);
const anon = client(publishableKey);
const database = new pg.Pool({ connectionString: adminDatabaseUrl, max: 2 });
const createdUserIds: string[] = [];

function uniqueEmail(label: string): string {
  return `${label}-${randomUUID()}@auth-contract.example`;
}

async function createUser(label: string, attributes: Record<string, unknown> = {}): Promise<{ id: string; email: string }> {
  const email = uniqueEmail(label);
  const { data, error } = await admin.auth.admin.createUser({ email, password: PASSWORD, email_confirm: true, ...attributes });
  if (error) throw error;
  createdUserIds.push(data.user.id);
  return { id: data.user.id, email };
}

async function signIn(email: string, password = PASSWORD): Promise<{ supabase: SupabaseClient; session: Session }> {
  const supabase = client(publishableKey);
  const { data, error } = await supabase.auth.signInWithPassword({ email, password });
  if (error) throw error;
  return { supabase, session: data.session };
}

function decodePayload(jwt: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(jwt.split('.')[1] ?? '', 'base64url').toString('utf8')) as Record<string, unknown>;
}

/** GET /auth/v1/user with a given token, as a raw request, so status and headers are visible. */
async function rawGetUser(accessToken: string): Promise<Response> {
  return fetch(`${url}/auth/v1/user`, {
    headers: { apikey: publishableKey, Authorization: `Bearer ${accessToken}`, 'X-Supabase-Api-Version': '2024-01-01' },
  });
}

function expectApiError(error: unknown, status: number, code: string): void {
  expect(isAuthApiError(error), `expected an AuthApiError ${status} ${code}, got ${String(error)}`).toBe(true);
  expect((error as AuthApiError).status).toBe(status);
  expect((error as AuthApiError).code).toBe(code);
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

beforeAll(async () => {
  // Fail fast with a clear message when the hook fixture is missing from the test stack.
  const { rows } = await database.query(`select to_regprocedure('public.custom_access_token_hook(jsonb)') is not null as present`);
  if (!rows[0]?.present) throw new Error('the contract fixture has no public.custom_access_token_hook(jsonb)');
});

afterAll(async () => {
  for (const id of createdUserIds) await admin.auth.admin.deleteUser(id);
  await database.end();
});

describe('password sign-in', () => {
  it('returns a session whose token getClaims verifies locally with the JWKS', async () => {
    const user = await createUser('signin', { user_metadata: { display_name: 'Signe' } });
    const requests: RecordedRequest[] = [];
    const supabase = client(publishableKey, { recorder: requests });

    const { data, error } = await supabase.auth.signInWithPassword({ email: user.email, password: PASSWORD });
    expect(error).toBeNull();
    const session = data.session!;
    expect(session.token_type).toBe('bearer');
    expect(session.expires_in).toBeGreaterThan(3500);
    expect(session.expires_at).toBe(decodePayload(session.access_token).exp);
    expect(session.refresh_token).toMatch(/^[a-z0-9]{12}$/);
    expect(session.user).toMatchObject({
      id: user.id,
      aud: 'authenticated',
      role: 'authenticated',
      email: user.email,
      phone: '',
      app_metadata: { provider: 'email', providers: ['email'] },
      user_metadata: { display_name: 'Signe', email_verified: true },
      is_anonymous: false,
    });
    expect(session.user.last_sign_in_at).toBeTruthy();
    expect(session.user.identities?.[0]).toMatchObject({ id: user.id, user_id: user.id, provider: 'email', email: user.email });

    const header = decodeProtectedHeader(session.access_token);
    const jwks = (await (await fetch(`${url}/auth/v1/.well-known/jwks.json`)).json()) as { keys: { kid: string }[] };
    expect(header.alg).toBe('ES256');
    expect(jwks.keys.map((key) => key.kid)).toContain(header.kid);

    requests.length = 0;
    const claims = await supabase.auth.getClaims();
    expect(claims.error).toBeNull();
    expect(claims.data?.claims).toMatchObject({
      iss: `${url}/auth/v1`,
      sub: user.id,
      aud: 'authenticated',
      email: user.email,
      phone: '',
      role: 'authenticated',
      aal: 'aal1',
      is_anonymous: false,
      app_metadata: { provider: 'email', providers: ['email'] },
      user_metadata: { display_name: 'Signe' },
    });
    expect(claims.data?.claims.amr).toEqual([{ method: 'password', timestamp: expect.any(Number) }]);
    expect(claims.data?.claims.session_id).toEqual(expect.stringMatching(/^[0-9a-f-]{36}$/));
    // Verified locally: the client never had to ask the server who the user is.
    expect(requests.filter((request) => request.path.endsWith('/auth/v1/user'))).toEqual([]);
  });

  it('answers a wrong password and an unknown user identically', async () => {
    const user = await createUser('wrongpw');
    const wrongPassword = await anon.auth.signInWithPassword({ email: user.email, password: 'not-the-password' });
    const unknownUser = await anon.auth.signInWithPassword({ email: uniqueEmail('nobody'), password: PASSWORD });
    expectApiError(wrongPassword.error, 400, 'invalid_credentials');
    expectApiError(unknownUser.error, 400, 'invalid_credentials');
    expect(wrongPassword.error?.message).toBe('Invalid login credentials');
    expect(unknownUser.error?.message).toBe(wrongPassword.error?.message);
  });

  it('matches the email case-insensitively', async () => {
    const user = await createUser('casing');
    const { error } = await anon.auth.signInWithPassword({ email: user.email.toUpperCase(), password: PASSWORD });
    expect(error).toBeNull();
  });

  it('refuses a request without an email as validation_failed, and a body that is not JSON as bad_json', async () => {
    const { error } = await anon.auth.signInWithPassword({ email: '', password: PASSWORD });
    expectApiError(error, 400, 'validation_failed');

    const response = await fetch(`${url}/auth/v1/token?grant_type=password`, {
      method: 'POST',
      headers: { apikey: publishableKey, 'Content-Type': 'application/json', 'X-Supabase-Api-Version': '2024-01-01' },
      body: '{"email": ',
    });
    expect(response.status).toBe(400);
    expect(((await response.json()) as { code: string }).code).toBe('bad_json');
  });

  it('refuses an unconfirmed email with email_not_confirmed', async () => {
    const user = await createUser('unconfirmed', { email_confirm: false });
    const { error } = await anon.auth.signInWithPassword({ email: user.email, password: PASSWORD });
    expectApiError(error, 400, 'email_not_confirmed');
  });

  it('refuses a banned user, and stops a signed-in user the moment they are banned', async () => {
    const bannedAtCreation = await createUser('banned', { ban_duration: '24h' });
    const refused = await anon.auth.signInWithPassword({ email: bannedAtCreation.email, password: PASSWORD });
    expectApiError(refused.error, 400, 'user_banned');

    const user = await createUser('banlater');
    const { session } = await signIn(user.email);
    const ban = await admin.auth.admin.updateUserById(user.id, { ban_duration: '1h' });
    expect(ban.error).toBeNull();
    expect(ban.data.user?.banned_until).toBeTruthy();

    const getUser = await rawGetUser(session.access_token);
    expect(getUser.status).toBe(403);
    expect(getUser.headers.get('x-sb-error-code')).toBe('user_banned');
    const refresh = await anon.auth.refreshSession({ refresh_token: session.refresh_token });
    expectApiError(refresh.error, 400, 'user_banned');

    const unban = await admin.auth.admin.updateUserById(user.id, { ban_duration: 'none' });
    expect(unban.data.user?.banned_until).toBeUndefined();
    expect((await anon.auth.signInWithPassword({ email: user.email, password: PASSWORD })).error).toBeNull();
  });
});

describe('error format on the wire', () => {
  it('sends the API version and x-sb-error-code headers, and {code, message} for the 2024-01-01 version', async () => {
    const response = await fetch(`${url}/auth/v1/token?grant_type=password`, {
      method: 'POST',
      headers: { apikey: publishableKey, 'Content-Type': 'application/json', 'X-Supabase-Api-Version': '2024-01-01' },
      body: JSON.stringify({ email: uniqueEmail('raw'), password: 'whatever' }),
    });
    expect(response.status).toBe(400);
    expect(response.headers.get('x-supabase-api-version')).toBe('2024-01-01');
    expect(response.headers.get('x-sb-error-code')).toBe('invalid_credentials');
    expect(response.headers.get('access-control-expose-headers')).toContain('X-Supabase-Api-Version');
    expect(await response.json()).toEqual({ code: 'invalid_credentials', message: 'Invalid login credentials' });
  });

  it('answers a client that sends no API version in GoTrue’s original shape', async () => {
    const response = await fetch(`${url}/auth/v1/token?grant_type=password`, {
      method: 'POST',
      headers: { apikey: publishableKey, 'Content-Type': 'application/json' },
      body: JSON.stringify({ email: uniqueEmail('legacy'), password: 'whatever' }),
    });
    expect(response.headers.get('x-sb-error-code')).toBe('invalid_credentials');
    expect(await response.json()).toEqual({ code: 400, error_code: 'invalid_credentials', msg: 'Invalid login credentials' });
  });

  it('puts the API version header on successful answers too, and serves settings, health and the JWKS', async () => {
    const settings = await fetch(`${url}/auth/v1/settings`, { headers: { apikey: publishableKey } });
    expect(settings.status).toBe(200);
    expect(settings.headers.get('x-supabase-api-version')).toBe('2024-01-01');
    expect(await settings.json()).toMatchObject({ external: { email: true, phone: false, google: false }, disable_signup: true });

    const health = await fetch(`${url}/auth/v1/health`, { headers: { apikey: publishableKey } });
    expect(await health.json()).toMatchObject({ name: 'GoTrue' });

    // Key discovery is public on hosted Supabase: no apikey needed.
    const jwks = await fetch(`${url}/auth/v1/.well-known/jwks.json`);
    expect(jwks.status).toBe(200);
    const body = (await jwks.json()) as { keys: Record<string, unknown>[] };
    expect(body.keys[0]).toMatchObject({ kty: 'EC', crv: 'P-256', alg: 'ES256' });
    expect(body.keys[0]).not.toHaveProperty('d');
  });

  it('refuses a missing refresh token as validation_failed', async () => {
    const response = await fetch(`${url}/auth/v1/token?grant_type=refresh_token`, {
      method: 'POST',
      headers: { apikey: publishableKey, 'Content-Type': 'application/json', 'X-Supabase-Api-Version': '2024-01-01' },
      body: '{}',
    });
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({ code: 'validation_failed', message: 'Refresh token is not valid' });
  });
});

describe('refresh tokens', () => {
  it('rotates the refresh token and keeps the session, its aal and amr', async () => {
    const user = await createUser('rotate');
    const { session } = await signIn(user.email);
    const { data, error } = await anon.auth.refreshSession({ refresh_token: session.refresh_token });
    expect(error).toBeNull();
    const refreshed = data.session!;
    expect(refreshed.refresh_token).toMatch(/^[a-z0-9]{12}$/);
    expect(refreshed.refresh_token).not.toBe(session.refresh_token);
    expect(refreshed.access_token).not.toBe(session.access_token);
    const before = decodePayload(session.access_token);
    const after = decodePayload(refreshed.access_token);
    expect(after.session_id).toBe(before.session_id);
    expect(after.aal).toBe('aal1');
    expect(after.amr).toEqual(before.amr);
  });

  it('gives a client that lost the answer the same rotated token when it replays the old one', async () => {
    const user = await createUser('replay');
    const { session } = await signIn(user.email);
    const first = await anon.auth.refreshSession({ refresh_token: session.refresh_token });
    const replay = await anon.auth.refreshSession({ refresh_token: session.refresh_token });
    expect(first.error).toBeNull();
    expect(replay.error).toBeNull();
    expect(replay.data.session?.refresh_token).toBe(first.data.session?.refresh_token);
    expect(decodePayload(replay.data.session!.access_token).session_id).toBe(decodePayload(session.access_token).session_id);
  });

  it('treats an older token replayed after the reuse interval as theft: refused, and the session’s tokens revoked', async () => {
    const user = await createUser('reuse');
    const { session } = await signIn(user.email);
    const second = await anon.auth.refreshSession({ refresh_token: session.refresh_token });
    const third = await anon.auth.refreshSession({ refresh_token: second.data.session!.refresh_token });
    expect(third.error).toBeNull();

    await sleep(PAST_REUSE_INTERVAL_MS);
    const stolen = await anon.auth.refreshSession({ refresh_token: session.refresh_token });
    expectApiError(stolen.error, 400, 'refresh_token_already_used');

    // The newest token was revoked with the family; once its own grace has passed it is refused too.
    await sleep(PAST_REUSE_INTERVAL_MS);
    const newest = await anon.auth.refreshSession({ refresh_token: third.data.session!.refresh_token });
    expectApiError(newest.error, 400, 'refresh_token_already_used');
  });

  it('lets two simultaneous refreshes with the same token end on the same rotated token', async () => {
    const user = await createUser('concurrent');
    const { session } = await signIn(user.email);
    const [one, two] = await Promise.all([
      anon.auth.refreshSession({ refresh_token: session.refresh_token }),
      anon.auth.refreshSession({ refresh_token: session.refresh_token }),
    ]);
    expect(one.error).toBeNull();
    expect(two.error).toBeNull();
    expect(one.data.session?.refresh_token).toBe(two.data.session?.refresh_token);
  });

  it('refuses a token it never issued with refresh_token_not_found', async () => {
    const { error } = await anon.auth.refreshSession({ refresh_token: 'abcdefghij12' });
    expectApiError(error, 400, 'refresh_token_not_found');
  });
});

describe('Custom Access Token Hook', () => {
  it('adds the hook’s claim at sign-in and recomputes it on every refresh', async () => {
    const user = await createUser('hook');
    await database.query(`insert into public.user_roles (user_id, user_role) values ($1, 'coordinator')`, [user.id]);
    const { supabase, session } = await signIn(user.email);
    const claims = await supabase.auth.getClaims();
    expect(claims.data?.claims.user_role).toBe('coordinator');

    await database.query(`update public.user_roles set user_role = 'auditor' where user_id = $1`, [user.id]);
    const refreshed = await anon.auth.refreshSession({ refresh_token: session.refresh_token });
    expect(decodePayload(refreshed.data.session!.access_token).user_role).toBe('auditor');

    const whoami = await client(publishableKey, { accessToken: refreshed.data.session!.access_token }).rpc('whoami');
    expect(whoami.data).toMatchObject({ uid: user.id, role: 'authenticated', user_role: 'auditor' });
  });

  it('answers with the hook’s own error and mints nothing when the hook refuses, or 500 when it breaks the claims', async () => {
    const refused = await createUser('hookrefused');
    const broken = await createUser('hookbroken');
    await database.query(`insert into public.user_roles (user_id, user_role) values ($1, 'refused'), ($2, 'broken')`, [refused.id, broken.id]);
    const original = await database.query<{ definition: string }>(
      `select pg_get_functiondef('public.custom_access_token_hook(jsonb)'::regprocedure) as definition`,
    );
    // Wraps the fixture hook for two test users only; restored below whatever happens.
    await database.query(`alter function public.custom_access_token_hook(jsonb) rename to custom_access_token_hook_fixture`);
    try {
      await database.query(`
        create function public.custom_access_token_hook(event jsonb) returns jsonb language plpgsql stable as $$
        declare
          role_name text := (select user_role from public.user_roles where user_id = (event ->> 'user_id')::uuid);
        begin
          if role_name = 'refused' then
            return jsonb_build_object('error', jsonb_build_object('http_code', 403, 'message', 'Account closed by the coordinator'));
          elsif role_name = 'broken' then
            return jsonb_build_object('claims', (event -> 'claims') - 'session_id');
          end if;
          return public.custom_access_token_hook_fixture(event);
        end $$;
        grant execute on function public.custom_access_token_hook(jsonb) to supabase_auth_admin;
        grant execute on function public.custom_access_token_hook_fixture(jsonb) to supabase_auth_admin;
      `);

      const refusedAttempt = await anon.auth.signInWithPassword({ email: refused.email, password: PASSWORD });
      expect(refusedAttempt.error?.status).toBe(403);
      expect(refusedAttempt.error?.message).toBe('Account closed by the coordinator');
      const sessions = await database.query(`select count(*)::int as n from auth.sessions where user_id = $1`, [refused.id]);
      expect(sessions.rows[0]?.n).toBe(0);

      const brokenAttempt = await fetch(`${url}/auth/v1/token?grant_type=password`, {
        method: 'POST',
        headers: { apikey: publishableKey, 'Content-Type': 'application/json', 'X-Supabase-Api-Version': '2024-01-01' },
        body: JSON.stringify({ email: broken.email, password: PASSWORD }),
      });
      expect(brokenAttempt.status).toBe(500);
      const body = (await brokenAttempt.json()) as { code: string; message: string };
      expect(body.code).toBe('unexpected_failure');
      expect(body.message).toContain('session_id is required');
    } finally {
      await database.query(`drop function if exists public.custom_access_token_hook(jsonb)`);
      await database.query(`alter function public.custom_access_token_hook_fixture(jsonb) rename to custom_access_token_hook`);
    }
    const restored = await database.query<{ definition: string }>(
      `select pg_get_functiondef('public.custom_access_token_hook(jsonb)'::regprocedure) as definition`,
    );
    expect(restored.rows[0]?.definition).toBe(original.rows[0]?.definition);
  });
});

describe('access tokens presented to /user', () => {
  it('refuses an expired or forged token, and the bare publishable key, with 403 bad_jwt', async () => {
    const user = await createUser('expired');
    const keys = JSON.parse(await readFile(path.join(stackDir, 'keys.json'), 'utf8')) as { legacyJwtSecret: string };
    const now = Math.floor(Date.now() / 1000);
    const expired = signHs256({ sub: user.id, role: 'authenticated', aud: 'authenticated', iat: now - 7200, exp: now - 3600 }, keys.legacyJwtSecret);
    const forged = signHs256({ sub: user.id, role: 'authenticated', aud: 'authenticated', exp: now + 3600 }, 'not-the-secret-not-the-secret-not-the');

    for (const token of [expired, forged]) {
      const response = await rawGetUser(token);
      expect(response.status).toBe(403);
      expect(((await response.json()) as { code: string }).code).toBe('bad_jwt');
    }
    const missing = await fetch(`${url}/auth/v1/user`, { headers: { apikey: publishableKey, 'X-Supabase-Api-Version': '2024-01-01' } });
    // The publishable key alone maps to the anon role's token, which names no user.
    expect(missing.status).toBe(403);
    expect(((await missing.json()) as { code: string }).code).toBe('bad_jwt');
  });
});

describe('sign-out', () => {
  async function threeSessions() {
    const user = await createUser('signout');
    const sessions = [await signIn(user.email), await signIn(user.email), await signIn(user.email)];
    return { user, sessions };
  }

  async function sessionAlive(accessToken: string): Promise<boolean> {
    const { error } = await anon.auth.getUser(accessToken);
    if (error && !isAuthSessionMissingError(error)) throw error;
    return error === null;
  }

  it('local ends only this session, and its token then gets 403 session_not_found', async () => {
    const { sessions } = await threeSessions();
    const [a, b] = sessions;
    expect((await a!.supabase.auth.signOut({ scope: 'local' })).error).toBeNull();
    expect(await sessionAlive(a!.session.access_token)).toBe(false);
    expect(await sessionAlive(b!.session.access_token)).toBe(true);

    const raw = await rawGetUser(a!.session.access_token);
    expect(raw.status).toBe(403);
    expect(raw.headers.get('x-sb-error-code')).toBe('session_not_found');
    const refresh = await anon.auth.refreshSession({ refresh_token: a!.session.refresh_token });
    expectApiError(refresh.error, 400, 'refresh_token_not_found');
  });

  it('others ends every other session and keeps this one', async () => {
    const { sessions } = await threeSessions();
    const [a, b, c] = sessions;
    expect((await a!.supabase.auth.signOut({ scope: 'others' })).error).toBeNull();
    expect(await sessionAlive(a!.session.access_token)).toBe(true);
    expect(await sessionAlive(b!.session.access_token)).toBe(false);
    expect(await sessionAlive(c!.session.access_token)).toBe(false);
  });

  it('global ends every session of the user', async () => {
    const { sessions } = await threeSessions();
    const [a, b, c] = sessions;
    expect((await a!.supabase.auth.signOut({ scope: 'global' })).error).toBeNull();
    for (const s of [a, b, c]) expect(await sessionAlive(s!.session.access_token)).toBe(false);
  });

  it('answers 204 with no body', async () => {
    const user = await createUser('signout204');
    const { session } = await signIn(user.email);
    const response = await fetch(`${url}/auth/v1/logout?scope=local`, {
      method: 'POST',
      headers: { apikey: publishableKey, Authorization: `Bearer ${session.access_token}` },
    });
    expect(response.status).toBe(204);
    expect(await response.text()).toBe('');
  });
});

describe('updating the signed-in user', () => {
  it('changes the password, keeps this session and ends the others', async () => {
    const user = await createUser('newpw');
    const current = await signIn(user.email);
    const other = await signIn(user.email);
    const newPassword = `changed-${randomBytes(6).toString('hex')}`;

    const { data, error } = await current.supabase.auth.updateUser({ password: newPassword });
    expect(error).toBeNull();
    expect(data.user?.id).toBe(user.id);

    expect((await anon.auth.getUser(current.session.access_token)).error).toBeNull();
    const otherUser = await anon.auth.getUser(other.session.access_token);
    expect(isAuthSessionMissingError(otherUser.error)).toBe(true);
    expectApiError((await anon.auth.refreshSession({ refresh_token: other.session.refresh_token })).error, 400, 'refresh_token_not_found');

    expectApiError((await anon.auth.signInWithPassword({ email: user.email, password: PASSWORD })).error, 400, 'invalid_credentials');
    expect((await anon.auth.signInWithPassword({ email: user.email, password: newPassword })).error).toBeNull();
  });

  it('refuses the same password (422 same_password) and a short one (422 weak_password with reasons)', async () => {
    const user = await createUser('samepw');
    const { supabase } = await signIn(user.email);
    expectApiError((await supabase.auth.updateUser({ password: PASSWORD })).error, 422, 'same_password');

    const weak = await supabase.auth.updateUser({ password: '123' });
    expect(weak.error).toBeInstanceOf(AuthWeakPasswordError);
    expect(weak.error?.status).toBe(422);
    expect((weak.error as AuthWeakPasswordError).reasons).toEqual(['length']);
  });

  it('merges user metadata, a null value removing its key', async () => {
    const user = await createUser('metadata', { user_metadata: { language: 'fi', theme: 'dark' } });
    const { supabase } = await signIn(user.email);
    const { data, error } = await supabase.auth.updateUser({ data: { language: 'sv', theme: null } });
    expect(error).toBeNull();
    expect(data.user?.user_metadata).toEqual({ language: 'sv', email_verified: true });
    const fetched = await supabase.auth.getUser();
    expect(fetched.data.user?.user_metadata).toEqual({ language: 'sv', email_verified: true });
  });
});

describe('admin API', () => {
  it('creates, reads, updates and deletes a user with the secret key', async () => {
    const email = uniqueEmail('admin-crud');
    const created = await admin.auth.admin.createUser({
      email,
      password: PASSWORD,
      email_confirm: true,
      user_metadata: { name: 'Staff Member' },
      app_metadata: { tenant: 'suoja' },
    });
    expect(created.error).toBeNull();
    const user = created.data.user!;
    createdUserIds.push(user.id);
    expect(user).toMatchObject({
      email,
      aud: 'authenticated',
      role: 'authenticated',
      app_metadata: { provider: 'email', providers: ['email'], tenant: 'suoja' },
      user_metadata: { name: 'Staff Member', email_verified: true },
    });
    expect(user.email_confirmed_at).toBeTruthy();
    expect(user.confirmed_at).toBe(user.email_confirmed_at);

    const fetched = await admin.auth.admin.getUserById(user.id);
    expect(fetched.data.user?.email).toBe(email);

    const updated = await admin.auth.admin.updateUserById(user.id, { app_metadata: { tenant: null, level: 2 }, user_metadata: { name: 'Renamed' } });
    expect(updated.error).toBeNull();
    expect(updated.data.user?.app_metadata).toEqual({ provider: 'email', providers: ['email'], level: 2 });
    expect(updated.data.user?.user_metadata).toMatchObject({ name: 'Renamed' });
    // The next token carries the new app_metadata.
    const { session } = await signIn(email);
    expect(decodePayload(session.access_token).app_metadata).toEqual({ provider: 'email', providers: ['email'], level: 2 });

    const response = await fetch(`${url}/auth/v1/admin/users/${user.id}`, {
      method: 'DELETE',
      headers: { apikey: secretKey, Authorization: `Bearer ${secretKey}` },
    });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({});
    expectApiError((await admin.auth.admin.getUserById(user.id)).error, 404, 'user_not_found');
    expectApiError((await admin.auth.admin.deleteUser(user.id)).error, 404, 'user_not_found');
    // A deleted user's tokens stop working at once.
    expect((await rawGetUser(session.access_token)).status).toBe(403);
  });

  it('refuses a second account for the same email with 422 email_exists', async () => {
    const user = await createUser('duplicate');
    const again = await admin.auth.admin.createUser({ email: user.email.toUpperCase(), password: PASSWORD });
    expectApiError(again.error, 422, 'email_exists');
  });

  it('lists users a page at a time with X-Total-Count and GoTrue’s Link header', async () => {
    for (let i = 0; i < 3; i++) await createUser('list');
    const all = await admin.auth.admin.listUsers({ page: 1, perPage: 1000 });
    expect(all.error).toBeNull();
    const total = all.data.users.length;
    expect(total).toBeGreaterThanOrEqual(3);

    const response = await fetch(`${url}/auth/v1/admin/users?page=1&per_page=1`, {
      headers: { apikey: secretKey, Authorization: `Bearer ${secretKey}` },
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('x-total-count')).toBe(String(total));
    expect(response.headers.get('link')).toBe(
      `</admin/users?page=2&per_page=1>; rel="next", </admin/users?page=${total}&per_page=1>; rel="last"`,
    );
    const body = (await response.json()) as { users: unknown[]; aud: string };
    expect(body.aud).toBe('authenticated');
    expect(body.users).toHaveLength(1);

    const secondPage = await admin.auth.admin.listUsers({ page: 2, perPage: 1 });
    if (secondPage.error) throw secondPage.error;
    expect(secondPage.data.users).toHaveLength(1);
    expect(secondPage.data.total).toBe(total);
    expect(secondPage.data.nextPage).toBe(3);
    expect(secondPage.data.users[0]?.id).toBe(all.data.users[1]?.id);
  });

  it('refuses the publishable key and a user’s token with 403 not_admin', async () => {
    const viaPublishable = await anon.auth.admin.listUsers();
    expectApiError(viaPublishable.error, 403, 'not_admin');
    expect(viaPublishable.error?.message).toBe('User not allowed');

    const user = await createUser('notadmin');
    const { session } = await signIn(user.email);
    const asUser = client(publishableKey, { accessToken: session.access_token });
    expectApiError((await asUser.auth.admin.createUser({ email: uniqueEmail('sneaky'), password: PASSWORD })).error, 403, 'not_admin');
    expectApiError((await asUser.auth.admin.deleteUser(user.id)).error, 403, 'not_admin');
  });
});
