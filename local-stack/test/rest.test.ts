// /rest/v1 through the gateway, driven by the real supabase-js: apikey handling, Authorization
// mapping, RLS per caller, RPC, CORS, Kong's error bodies, health.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { createClient, type SupabaseClient } from '@supabase/supabase-js';
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { signHs256 } from '../src/keys.ts';

const url = inject('url');
const publishableKey = inject('publishableKey');
const secretKey = inject('secretKey');
const legacyAnonKey = inject('legacyAnonKey');
const legacyServiceRoleKey = inject('legacyServiceRoleKey');
const stackDir = inject('stackDir');

const PASSWORD = 'contract-password-1';

function client(key: string): SupabaseClient {
  // Node 20 has no global WebSocket; supabase-js throws at createClient without a transport.
  return createClient(url, key, {
    auth: { persistSession: false, autoRefreshToken: false, detectSessionInUrl: false },
    realtime: { transport: WebSocket as never },
  });
}

interface TestUser {
  id: string;
  email: string;
  supabase: SupabaseClient;
}

const admin = client(secretKey);
const anon = client(publishableKey);
let alice: TestUser;
let bob: TestUser;

async function createSignedInUser(name: string): Promise<TestUser> {
  const email = `${name}-${randomUUID()}@contract.example`;
  const created = await admin.auth.admin.createUser({ email, password: PASSWORD, email_confirm: true });
  if (created.error) throw created.error;
  const supabase = client(publishableKey);
  const signedIn = await supabase.auth.signInWithPassword({ email, password: PASSWORD });
  if (signedIn.error) throw signedIn.error;
  return { id: created.data.user.id, email, supabase };
}

beforeAll(async () => {
  alice = await createSignedInUser('alice');
  bob = await createSignedInUser('bob');
});

afterAll(async () => {
  for (const user of [alice, bob]) if (user) await admin.auth.admin.deleteUser(user.id);
});

describe('REST under row-level security', () => {
  it('lets a signed-in user write and read their own notes', async () => {
    const inserted = await alice.supabase.from('notes').insert({ body: 'alice private note' }).select().single();
    expect(inserted.error).toBeNull();
    expect(inserted.data).toMatchObject({ body: 'alice private note', owner_id: alice.id });

    const mine = await alice.supabase.from('notes').select('body, owner_id');
    expect(mine.error).toBeNull();
    expect(mine.data).toContainEqual({ body: 'alice private note', owner_id: alice.id });
  });

  it("never shows one user another user's notes, nor lets them change them", async () => {
    const note = await alice.supabase.from('notes').insert({ body: 'only for alice' }).select('id').single();
    expect(note.error).toBeNull();

    const seenByBob = await bob.supabase.from('notes').select('id, body');
    expect(seenByBob.error).toBeNull();
    expect(seenByBob.data).toEqual([]);

    const changedByBob = await bob.supabase.from('notes').update({ body: 'hacked' }).eq('id', note.data!.id).select();
    expect(changedByBob.error).toBeNull();
    expect(changedByBob.data).toEqual([]);

    const stolen = await bob.supabase.from('notes').insert({ body: 'pretending to be alice', owner_id: alice.id });
    expect(stolen.error?.code).toBe('42501');

    const stillAlices = await alice.supabase.from('notes').select('body').eq('id', note.data!.id).single();
    expect(stillAlices.data).toEqual({ body: 'only for alice' });
  });

  it('shows anon no rows of a table it may query', async () => {
    const seen = await anon.from('notes').select('*');
    expect(seen.error).toBeNull();
    expect(seen.data).toEqual([]);
  });

  it('lets the secret key bypass RLS and see every user’s notes, with an exact count', async () => {
    await bob.supabase.from('notes').insert({ body: 'bob note' });
    const all = await admin.from('notes').select('owner_id', { count: 'exact' });
    expect(all.error).toBeNull();
    const owners = new Set(all.data!.map((row) => row.owner_id as string));
    expect(owners).toEqual(new Set([alice.id, bob.id]));
    expect(all.count).toBe(all.data!.length);
  });

  it('passes filters with reserved characters through unchanged', async () => {
    const tricky = ['a,b (c)', 'quote "x".y', 'star*'];
    const inserted = await admin.from('note_tags').insert(tricky.map((tag) => ({ tag }))).select('id');
    expect(inserted.error).toBeNull();
    const found = await anon.from('note_tags').select('tag').in('tag', tricky).order('tag');
    expect(found.error).toBeNull();
    expect(found.data!.map((row) => row.tag)).toEqual([...tricky].sort());
    const either = await anon.from('note_tags').select('tag').or('tag.eq.star*,tag.eq."a,b (c)"').order('tag');
    expect(either.data!.map((row) => row.tag)).toEqual(['a,b (c)', 'star*']);
  });
});

describe('RPC and the role each key stands for', () => {
  it('calls a function with arguments', async () => {
    const echoed = await anon.rpc('echo', { x: 'hei maailma' });
    expect(echoed.error).toBeNull();
    expect(echoed.data).toBe('hei maailma');
  });

  it('runs a signed-in user’s request as that user', async () => {
    const who = await alice.supabase.rpc('whoami');
    expect(who.error).toBeNull();
    expect(who.data).toMatchObject({ uid: alice.id, role: 'authenticated', current_user: 'authenticated' });
  });

  it('maps the publishable key to anon and the secret key to service_role', async () => {
    expect((await anon.rpc('whoami')).data).toMatchObject({ uid: null, current_user: 'anon' });
    expect((await admin.rpc('whoami')).data).toMatchObject({ uid: null, current_user: 'service_role' });
  });

  it('accepts the legacy anon and service_role JWT keys', async () => {
    const legacyAnon = client(legacyAnonKey);
    const legacyService = client(legacyServiceRoleKey);
    expect((await legacyAnon.rpc('whoami')).data).toMatchObject({ current_user: 'anon' });
    expect((await legacyService.rpc('whoami')).data).toMatchObject({ current_user: 'service_role' });
    const everything = await legacyService.from('notes').select('id');
    expect(everything.data!.length).toBeGreaterThan(0);
    expect((await legacyAnon.from('notes').select('id')).data).toEqual([]);
  });
});

describe('what the gateway refuses', () => {
  it('answers 401 with hosted’s body when the apikey is missing', async () => {
    const response = await fetch(`${url}/rest/v1/notes?select=*`);
    expect(response.status).toBe(401);
    expect(await response.json()).toEqual({
      message: 'No API key found in request',
      hint: 'No `apikey` request header or url param was found.',
    });
  });

  it('answers 401 with hosted’s body for an unknown apikey', async () => {
    const broken = client('sb_publishable_not-a-real-key');
    const result = await broken.from('notes').select('*');
    expect(result.status).toBe(401);
    expect(result.error?.message).toBe('Invalid API key');
    const response = await fetch(`${url}/rest/v1/notes`, { headers: { apikey: 'nonsense' } });
    expect(await response.json()).toEqual({
      message: 'Invalid API key',
      hint: 'Double check your Supabase `anon` or `service_role` API key.',
    });
  });

  it('accepts the apikey as a URL parameter without passing it to PostgREST as a filter', async () => {
    const response = await fetch(`${url}/rest/v1/rpc/echo?x=param&apikey=${encodeURIComponent(publishableKey)}`);
    expect(response.status).toBe(200);
    expect(await response.json()).toBe('param');
  });

  it('passes PostgREST’s 401 through for a forged or expired user token', async () => {
    const forged = await fetch(`${url}/rest/v1/notes`, {
      headers: { apikey: publishableKey, Authorization: 'Bearer eyJhbGciOiJIUzI1NiJ9.eyJyb2xlIjoic2VydmljZV9yb2xlIn0.forged' },
    });
    expect(forged.status).toBe(401);
    expect(forged.headers.get('www-authenticate')).toMatch(/invalid_token/);
    expect(((await forged.json()) as { code: string }).code).toBe('PGRST301');

    const keys = JSON.parse(await readFile(path.join(stackDir, 'keys.json'), 'utf8')) as { legacyJwtSecret: string };
    const expiredToken = signHs256({ role: 'authenticated', sub: alice.id, exp: Math.floor(Date.now() / 1000) - 60 }, keys.legacyJwtSecret);
    const expired = await fetch(`${url}/rest/v1/notes`, { headers: { apikey: publishableKey, Authorization: `Bearer ${expiredToken}` } });
    expect(expired.status).toBe(401);
    expect(((await expired.json()) as { message: string }).message).toBe('JWT expired');
  });

  it('answers an unknown path with Kong’s 404 JSON', async () => {
    for (const unknown of ['/nothing-here', '/rest/v2/notes', '/storage/v1/object/x']) {
      const response = await fetch(`${url}${unknown}`, { headers: { apikey: publishableKey } });
      expect(response.status).toBe(404);
      expect(response.headers.get('content-type')).toMatch(/application\/json/);
      expect(await response.json()).toEqual({ message: 'no Route matched with those values' });
    }
  });
});

describe('CORS', () => {
  it('answers a browser preflight with the headers supabase-js sends allowed', async () => {
    const response = await fetch(`${url}/rest/v1/notes?select=*`, {
      method: 'OPTIONS',
      headers: {
        Origin: 'http://127.0.0.1:5173',
        'Access-Control-Request-Method': 'PATCH',
        'Access-Control-Request-Headers': 'apikey, authorization, x-client-info, content-type, prefer, accept-profile, content-profile, x-retry-count',
      },
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('access-control-allow-origin')).toBe('*');
    expect(response.headers.get('access-control-allow-methods')).toContain('PATCH');
    const allowed = response.headers.get('access-control-allow-headers')!.split(',').map((h) => h.trim().toLowerCase());
    for (const header of ['apikey', 'authorization', 'x-client-info', 'content-type', 'prefer', 'accept-profile', 'content-profile', 'x-retry-count', 'range', 'x-supabase-api-version']) {
      expect(allowed).toContain(header);
    }
  });

  it('exposes the response headers the clients read', async () => {
    const response = await fetch(`${url}/rest/v1/notes?select=*`, {
      headers: { Origin: 'http://127.0.0.1:5173', apikey: secretKey, Prefer: 'count=exact' },
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('access-control-allow-origin')).toBe('*');
    const exposed = response.headers.get('access-control-expose-headers')!.split(',').map((h) => h.trim().toLowerCase());
    for (const header of ['content-range', 'x-total-count', 'link', 'x-supabase-api-version', 'location', 'preference-applied']) {
      expect(exposed).toContain(header);
    }
    expect(response.headers.get('content-range')).toMatch(/^\d+-\d+\/\d+$|^\*\/0$/);
  });
});

describe('health', () => {
  it('reports every part of the stack as up', async () => {
    const response = await fetch(`${url}/health`);
    expect(response.status).toBe(200);
    const body = (await response.json()) as { status: string; parts: Record<string, { ok: boolean }> };
    expect(body.status).toBe('ok');
    for (const part of ['postgres', 'postgrest', 'auth', 'realtime']) expect(body.parts[part]?.ok).toBe(true);
  });
});
