// Administration, the partner feed and the auditors' helpers: who may do what (every role), and
// what each function does and refuses.
import { createClient } from '@supabase/supabase-js';
import { afterAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import WebSocket from 'ws';
import { clientFor, closeDb, db, demoUsers, one, rows, scratchClient, scratchFacility, signOutAll, type Actor } from './support/stack.ts';
import { emptyMunicipality } from './support/admin.ts';

const actors: Actor[] = ['anon', 'coordinator', 'staff', 'caseworker', 'admin', 'auditor'];

function serviceClient() {
  return createClient(inject('url'), inject('secretKey'), {
    auth: { persistSession: false, autoRefreshToken: false },
    realtime: { transport: WebSocket as unknown as typeof globalThis.WebSocket },
  });
}

afterAll(async () => {
  await signOutAll();
  await closeDb();
});

async function issueKey(name: string, perMinute = 60): Promise<{ id: string; api_key: string }> {
  const admin = await clientFor('admin');
  const { data, error } = await admin.rpc('issue_partner_key', { partner_name: name, requests_per_minute: perMinute });
  expect(error).toBeNull();
  return data[0];
}

describe('partner keys and the request log: who may read and write', () => {
  it('only admins list keys and requests; nobody reads the hash; writes only through the functions', async () => {
    await issueKey('RLS-kumppani');
    for (const actor of actors) {
      const supabase = await clientFor(actor);
      const keys = await supabase.from('partner_keys').select('id, partner_name');
      const requests = await supabase.from('partner_feed_requests').select('id');
      if (actor === 'admin') {
        expect(keys.data?.length, actor).toBeGreaterThan(0);
        expect(requests.error, actor).toBeNull();
      } else {
        expect(keys.data ?? [], actor).toEqual([]);
        expect(requests.data ?? [], actor).toEqual([]);
      }
      expect((await supabase.from('partner_keys').select('key_hash')).error, `${actor} reads key_hash`).not.toBeNull();
      const insert = await supabase.from('partner_keys').insert({ partner_name: 'x', key_prefix: 'x', key_hash: 'a'.repeat(64) });
      expect(insert.error, `${actor} inserts a key directly`).not.toBeNull();
      const update = await supabase.from('partner_keys').update({ revoked_at: new Date().toISOString() }).neq('id', '00000000-0000-0000-0000-000000000000').select('id');
      expect(update.error !== null || (update.data ?? []).length === 0, `${actor} updates keys directly`).toBe(true);
    }
  });

  it('only admins issue and revoke keys', async () => {
    const key = await issueKey('Revoke-kumppani');
    for (const actor of actors.filter((a) => a !== 'admin')) {
      const supabase = await clientFor(actor);
      const issued = await supabase.rpc('issue_partner_key', { partner_name: 'x' });
      const revoked = await supabase.rpc('revoke_partner_key', { key_id: key.id });
      if (actor === 'anon') {
        expect(issued.error?.code).toBe('42501');
        expect(revoked.error?.code).toBe('42501');
      } else {
        expect(issued.error?.message, actor).toBe('not_allowed');
        expect(revoked.error?.message, actor).toBe('not_allowed');
      }
    }
    expect((await one<{ n: number }>('select count(*)::int as n from public.partner_keys where id = $1 and revoked_at is null', [key.id])).n).toBe(1);
  });

  it('keeps only the SHA-256 of a key, never the key', async () => {
    const key = await issueKey('Hash-kumppani');
    expect(key.api_key).toMatch(/^suoja_feed_[0-9a-f]{64}$/);
    const stored = await one<{ key_hash: string; key_prefix: string }>('select key_hash, key_prefix from public.partner_keys where id = $1', [key.id]);
    expect(stored.key_hash).toBe((await import('node:crypto')).createHash('sha256').update(key.api_key).digest('hex'));
    expect(key.api_key.startsWith(stored.key_prefix)).toBe(true);
    const dump = JSON.stringify(await rows('select * from public.partner_keys where id = $1', [key.id]));
    expect(dump).not.toContain(key.api_key);
  });
});

describe('the capacity feed function', () => {
  it('is for the server only: no signed-in role may call it', async () => {
    for (const actor of actors) {
      const { error } = await (await clientFor(actor)).rpc('partner_capacity_feed', { api_key: 'x' });
      expect(error?.code, actor).toBe('42501');
    }
  });

  it('gives free places and usable capacity at the municipality centre, never the exact point', async () => {
    const municipality = await emptyMunicipality();
    const facility = await scratchFacility({ municipality, capacity: 12, lon: 25.1234, lat: 61.4321 });
    const key = await issueKey('Feed-kumppani');
    const { data, error } = await serviceClient().rpc('partner_capacity_feed', { api_key: key.api_key });
    expect(error).toBeNull();
    expect(data.status).toBe('ok');
    const service = data.services.find((s: { id: string }) => s.id === facility);
    const centre = await one<{ centre_lat: number; centre_lon: number }>('select centre_lat, centre_lon from public.municipalities where code = $1', [municipality]);
    expect(service.location).toMatchObject({ municipality_code: municipality, latitude: centre.centre_lat, longitude: centre.centre_lon, precision: 'municipality' });
    expect(service.service_capacity).toEqual([
      expect.objectContaining({ service_id: facility, available: 12, maximum: 12, unit: expect.objectContaining({ id: 'place' }), updated: expect.any(String) }),
    ]);
    const text = JSON.stringify(data);
    expect(text).not.toContain('25.1234');
    expect(text).not.toContain('61.4321');
    expect(text).not.toContain('Salainen testitie');
    expect(text).not.toMatch(/AS-[2-9A-HJKMNP-Z]{4}/);
  });

  it('refuses unknown and revoked keys, and logs every request', async () => {
    const key = await issueKey('Revoked-kumppani');
    const admin = await clientFor('admin');
    expect((await admin.rpc('revoke_partner_key', { key_id: key.id })).error).toBeNull();
    const service = serviceClient();
    expect((await service.rpc('partner_capacity_feed', { api_key: key.api_key })).data).toEqual({ status: 'revoked' });
    expect((await service.rpc('partner_capacity_feed', { api_key: 'suoja_feed_guess' })).data).toEqual({ status: 'unknown_key' });
    const logged = await rows<{ outcome: string }>('select outcome from public.partner_feed_requests where partner_key_id = $1', [key.id]);
    expect(logged.map((r) => r.outcome)).toEqual(['revoked']);
  });

  it('lets a key make its allowance of requests per minute, then answers rate_limited with a wait', async () => {
    const key = await issueKey('Limit-kumppani', 3);
    const service = serviceClient();
    const statuses: string[] = [];
    for (let i = 0; i < 5; i++) statuses.push((await service.rpc('partner_capacity_feed', { api_key: key.api_key })).data.status);
    expect(statuses).toEqual(['ok', 'ok', 'ok', 'rate_limited', 'rate_limited']);
    const limited = (await service.rpc('partner_capacity_feed', { api_key: key.api_key })).data;
    expect(limited.retry_after).toBeGreaterThanOrEqual(1);
    expect(limited.retry_after).toBeLessThanOrEqual(60);
  });

  it('counts concurrent requests for one key exactly (the key row is locked while counting)', async () => {
    const key = await issueKey('Burst-kumppani', 5);
    const results = await Promise.all(
      Array.from({ length: 12 }, () => serviceClient().rpc('partner_capacity_feed', { api_key: key.api_key })),
    );
    expect(results.filter((r) => r.data?.status === 'ok')).toHaveLength(5);
  });
});

describe('retention settings', () => {
  it('admins and auditors read them; only admins change them', async () => {
    for (const actor of actors) {
      const supabase = await clientFor(actor);
      const read = await supabase.from('retention_settings').select('client_retention_years');
      expect((read.data ?? []).length, actor).toBe(['admin', 'auditor'].includes(actor) ? 1 : 0);
      const update = await supabase.from('retention_settings').update({ client_retention_years: 7 }).eq('id', true).select('client_retention_years');
      const changed = (await one<{ y: number }>('select client_retention_years as y from public.retention_settings')).y === 7;
      expect(changed, actor).toBe(actor === 'admin');
      if (actor === 'admin') expect(update.error).toBeNull();
      await db().query('update public.retention_settings set client_retention_years = 5');
    }
  });

  it('refuses a period outside 1–50 years', async () => {
    const { error } = await (await clientFor('admin')).from('retention_settings').update({ client_retention_years: 0 }).eq('id', true);
    expect(error).not.toBeNull();
  });

  it('apply_retention runs only for the scheduler (service role), not for any signed-in role', async () => {
    for (const actor of actors) {
      expect((await (await clientFor(actor)).rpc('apply_retention')).error?.code, actor).toBe('42501');
    }
  });
});

describe('importing facilities', () => {
  const row = (name: string, municipality: string, line: number) => ({
    line, name, kind: 'shelter', operator: 'Testi ry', municipality_code: municipality, security_rating: 3, gender_policy: 'women',
    takes_children: true, boys_max_age: 12, wheelchair_access: false, pets_allowed: false, staff_languages: ['fi', 'en'],
    staffed_24h: true, turnaround_hours: 24, contact_line: '', street_address: 'Testikatu 1', postal_code: '00100',
    lat: 60.2, lon: 24.9, capacity: 6,
  });

  it('imports every row with its location and first figure, in one go', async () => {
    const municipality = await emptyMunicipality();
    const { data, error } = await (await clientFor('admin')).rpc('import_facilities', {
      facility_rows: [row('Tuonti A', municipality, 2), row('Tuonti B', municipality, 3)],
    });
    expect(error).toBeNull();
    expect(data).toHaveLength(2);
    const stored = await rows<{ name: string; street_address: string; capacity: number }>(
      `select f.name, l.street_address, r.capacity from public.facilities f
       join public.facility_locations l on l.facility_id = f.id join public.capacity_reports r on r.facility_id = f.id
       where f.municipality_code = $1 order by f.name`, [municipality]);
    expect(stored).toEqual([
      { name: 'Tuonti A', street_address: 'Testikatu 1', capacity: 6 },
      { name: 'Tuonti B', street_address: 'Testikatu 1', capacity: 6 },
    ]);
  });

  it('imports nothing when one row fails, and names its line and column', async () => {
    const municipality = await emptyMunicipality();
    const { error } = await (await clientFor('admin')).rpc('import_facilities', {
      facility_rows: [row('Ok A', municipality, 2), { ...row('Huono', municipality, 3), postal_code: '12' }, row('Ok B', municipality, 4)],
    });
    expect(error?.message).toBe('import_row_invalid');
    expect(JSON.parse(error?.details ?? '{}')).toMatchObject({ line: 3, column: 'location' });
    expect((await one<{ n: number }>('select count(*)::int as n from public.facilities where municipality_code = $1', [municipality])).n).toBe(0);

    const unknown = await (await clientFor('admin')).rpc('import_facilities', { facility_rows: [row('X', '000', 7)] });
    expect(JSON.parse(unknown.error?.details ?? '{}')).toMatchObject({ line: 7, column: 'municipality_code', code: 'unknown_municipality' });
  });

  it('refuses a facility that already exists in the municipality', async () => {
    const municipality = await emptyMunicipality();
    const admin = await clientFor('admin');
    expect((await admin.rpc('import_facilities', { facility_rows: [row('Kaksoiskoti', municipality, 2)] })).error).toBeNull();
    const again = await admin.rpc('import_facilities', { facility_rows: [row('kaksoiskoti', municipality, 2)] });
    expect(JSON.parse(again.error?.details ?? '{}')).toMatchObject({ column: 'name', code: 'duplicate_facility' });
  });

  it('is for admins only', async () => {
    for (const actor of actors.filter((a) => a !== 'admin')) {
      const { error } = await (await clientFor(actor)).rpc('import_facilities', { facility_rows: [row('Ei', '091', 2)] });
      expect(error?.message === 'not_allowed' || error?.code === '42501', actor).toBe(true);
    }
  });
});

describe('caseworker assignments by client code', () => {
  it('admins assign and unassign by code without reading any other client data', async () => {
    const client = await scratchClient();
    const { code } = await one<{ code: string }>('select code from public.clients where id = $1', [client.id]);
    const admin = await clientFor('admin');
    expect((await admin.rpc('admin_assign_caseworker', { caseworker_id: demoUsers.caseworker2.id, client_code: code.toLowerCase() })).error).toBeNull();
    const listed = await admin.rpc('admin_caseworker_clients', { caseworker_id: demoUsers.caseworker2.id });
    expect(listed.data.map((r: { client_code: string }) => r.client_code)).toContain(code);
    expect(Object.keys(listed.data[0]).sort()).toEqual(['assigned_at', 'client_code']);
    expect((await admin.rpc('admin_unassign_caseworker', { caseworker_id: demoUsers.caseworker2.id, client_code: code })).error).toBeNull();
    expect((await one<{ n: number }>('select count(*)::int as n from public.caseworker_assignments where client_id = $1', [client.id])).n).toBe(0);
  });

  it('names the problem: unknown code, or a user who is not a caseworker', async () => {
    const admin = await clientFor('admin');
    expect((await admin.rpc('admin_assign_caseworker', { caseworker_id: demoUsers.caseworker.id, client_code: 'AS-ZZZZ' })).error?.message).toBe('client_not_found');
    expect((await admin.rpc('admin_assign_caseworker', { caseworker_id: demoUsers.staff.id, client_code: 'AS-ZZZZ' })).error?.message).toBe('not_a_caseworker');
  });

  it('is for admins only', async () => {
    for (const actor of actors.filter((a) => a !== 'admin')) {
      const { error } = await (await clientFor(actor)).rpc('admin_caseworker_clients', { caseworker_id: demoUsers.caseworker.id });
      expect(error?.message === 'not_allowed' || error?.code === '42501', actor).toBe(true);
    }
  });
});

describe('the auditors’ helpers', () => {
  it('give auditors facility names and the id behind a client code, and nobody else', async () => {
    const client = await scratchClient();
    const { code } = await one<{ code: string }>('select code from public.clients where id = $1', [client.id]);
    for (const actor of actors) {
      const supabase = await clientFor(actor);
      const directory = await supabase.rpc('audit_facility_directory');
      const lookup = await supabase.rpc('audit_client_id', { client_code: code });
      if (actor === 'auditor') {
        expect(directory.data.length).toBeGreaterThan(0);
        expect(Object.keys(directory.data[0]).sort()).toEqual(['id', 'municipality_code', 'name']);
        expect(lookup.data).toBe(client.id);
      } else {
        expect(directory.error?.message === 'not_allowed' || directory.error?.code === '42501', actor).toBe(true);
        expect(lookup.error?.message === 'not_allowed' || lookup.error?.code === '42501', actor).toBe(true);
      }
    }
  });

  it('the trail records who issued and revoked a partner key', async () => {
    const key = await issueKey('Audit-kumppani');
    await (await clientFor('admin')).rpc('revoke_partner_key', { key_id: key.id });
    const trail = await rows<{ action: string; actor_id: string }>(
      "select action, actor_id from public.audit_log where table_name = 'partner_keys' and row_id = $1 order by id", [key.id]);
    expect(trail).toEqual([
      { action: 'insert', actor_id: demoUsers.admin.id },
      { action: 'update', actor_id: demoUsers.admin.id },
    ]);
  });
});
