// What the server reads to render a page, cut down (migration 20261202000500_page_load_work.sql):
// the "ending soon" panel's page and total, the client list's kept total, and the one call that
// tells the app both who is signed in and where their session stands.
import { randomUUID } from 'node:crypto';
import { createClient, type SupabaseClient } from '@supabase/supabase-js';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import WebSocket from 'ws';
import { clientFor, closeDb, db, demoUsers, helsinkiDate, newClient, one, rows, scratchClient, scratchFacility, signOutAll } from './support/stack.ts';

interface EndingRow {
  placement_id: string;
  client_code: string;
  planned_end: string;
  total_count: number;
}

let coordinator: SupabaseClient;
let caseworker: SupabaseClient;

const serviceClient = createClient(inject('url'), inject('secretKey'), {
  auth: { persistSession: false, autoRefreshToken: false },
  realtime: { transport: WebSocket as unknown as typeof globalThis.WebSocket },
});
const createdUsers: string[] = [];

beforeAll(async () => {
  [coordinator, caseworker] = await Promise.all([clientFor('coordinator'), clientFor('caseworker')]);
});

afterAll(async () => {
  for (const id of createdUsers) await serviceClient.auth.admin.deleteUser(id);
  await signOutAll();
  await closeDb();
});

/** A client of this file's with an active placement whose planned end is `endsInDays` from today. */
async function activePlacementEnding(facility: string, endsInDays: number): Promise<string> {
  const client = await scratchClient();
  await db().query(
    `insert into public.placements (client_id, facility_id, status, persons, safety_level, planned_arrival, arrived_at, planned_end)
     values ($1, $2, 'active', 1, 1, $3, now() - interval '20 days', $4)`,
    [client.id, facility, helsinkiDate(-20), helsinkiDate(endsInDays)],
  );
  return (await one<{ code: string }>('select code from public.clients where id = $1', [client.id])).code;
}

/** Every placement ending in the next `days` days, as the panel and the view must order them. */
async function endingSoonInDatabase(days: number): Promise<{ client_code: string; planned_end: string }[]> {
  return rows(
    `select c.code as client_code, to_char(p.planned_end, 'YYYY-MM-DD') as planned_end
     from public.placements p join public.clients c on c.id = p.client_id
     where p.status = 'active' and p.planned_end between $1::date and $1::date + $2::int
     order by p.planned_end, c.code`,
    [helsinkiDate(), days],
  );
}

async function endingSoon(args: { days?: number; page_size?: number; page_offset?: number }): Promise<EndingRow[]> {
  const { data, error } = await coordinator.rpc('placements_ending_soon', args);
  if (error) throw error;
  return data as EndingRow[];
}

describe('placements ending soon, a page at a time', () => {
  it('gives the soonest ten by default with the number of all of them, and pages through every one in order', async () => {
    const facility = await scratchFacility({ capacity: 30 });
    const mine: string[] = [];
    for (const endsIn of [0, 0, 1, 1, 2, 3, 3, 4, 5, 6, 7, 7]) mine.push(await activePlacementEnding(facility, endsIn));
    const later = await activePlacementEnding(facility, 8);

    const expected = await endingSoonInDatabase(7);
    expect(expected.length).toBeGreaterThan(10);

    const first = await endingSoon({ days: 7 });
    expect(first.map(({ client_code, planned_end }) => ({ client_code, planned_end }))).toEqual(expected.slice(0, 10));
    expect(first.every((row) => row.total_count === expected.length)).toBe(true);

    const all: EndingRow[] = [];
    for (let offset = 0; offset < expected.length; offset += 5) all.push(...(await endingSoon({ days: 7, page_size: 5, page_offset: offset })));
    expect(all.map(({ client_code, planned_end }) => ({ client_code, planned_end }))).toEqual(expected);
    const codes = all.map((row) => row.client_code);
    for (const code of mine) expect(codes).toContain(code);
    expect(codes).not.toContain(later);

    expect(await endingSoon({ days: 7, page_size: 5, page_offset: expected.length })).toEqual([]);
    const shorter = await endingSoon({ days: 2, page_size: 200 });
    expect(shorter[0]?.total_count).toBe((await endingSoonInDatabase(2)).length);
  });

  it('refuses pages it will not give and anyone but a coordinator', async () => {
    for (const page of [{ page_size: 0 }, { page_size: 201 }, { page_offset: -1 }]) {
      const { data, error } = await coordinator.rpc('placements_ending_soon', { days: 7, ...page });
      expect(data).toBeNull();
      expect(error?.message).toBe('invalid_page');
    }
    expect((await coordinator.rpc('placements_ending_soon', { days: 91 })).error?.message).toBe('invalid_days');
    expect((await caseworker.rpc('placements_ending_soon', { days: 7 })).error?.message).toBe('not_allowed');
  });
});

describe('the client list’s total', () => {
  async function unfilteredTotal(): Promise<number> {
    const { data, error } = await coordinator.rpc('client_list', { page_size: 1 });
    if (error) throw error;
    return Number((data as { total_count: number }[])[0]?.total_count);
  }
  const clientsInDatabase = async () => Number((await one<{ n: string }>('select count(*) as n from public.clients')).n);

  it('counts every client without filters, through single and bulk inserts and deletes', async () => {
    expect(await unfilteredTotal()).toBe(await clientsInDatabase());

    const created = await coordinator.rpc('save_client', {
      target_id: null, gender: 'male', birth_year: 1988, languages: ['fi'], needs_accessibility: false, needs_pets: false,
      needs_other: '', safety_level: 1, level_change_reason: null, responsible_party: 'assistance_system', asylum_seeker: false,
      children: [], caseworker_ids: [],
    });
    expect(created.error).toBeNull();
    const bulk = await rows<{ id: string }>(
      `insert into public.clients (gender, birth_year, safety_level, languages)
       select 'female', 1990, 1, '{en}' from generate_series(1, 7) returning id`,
    );
    expect(await unfilteredTotal()).toBe(await clientsInDatabase());

    await db().query('delete from public.clients where id = any ($1::uuid[])', [[...bulk.map((row) => row.id), (created.data as { id: string }).id]]);
    expect(await unfilteredTotal()).toBe(await clientsInDatabase());
  });

  it('still counts exactly what a filter or a caseworker’s own clients select', async () => {
    const level = await coordinator.rpc('client_list', { level_filter: 3, page_size: 1 });
    const atLevel = Number((await one<{ n: string }>('select count(*) as n from public.clients where safety_level = 3')).n);
    expect(Number((level.data as { total_count: number }[])[0]?.total_count ?? 0)).toBe(atLevel);

    const own = await caseworker.rpc('client_list', { page_size: 1 });
    const assigned = Number((await one<{ n: string }>(
      'select count(distinct client_id) as n from public.caseworker_assignments where caseworker_id = $1', [demoUsers.caseworker.id],
    )).n);
    expect(Number((own.data as { total_count: number }[])[0]?.total_count ?? 0)).toBe(assigned);
  });
});

describe('my_sign_in_state', () => {
  const PASSWORD = `page-load-${randomUUID()}`;

  async function signedInStaff(role: 'coordinator' | 'caseworker'): Promise<{ id: string; supabase: SupabaseClient }> {
    const { data, error } = await serviceClient.auth.admin.createUser({
      email: `page-load-${role}-${randomUUID()}@suoja.example`, password: PASSWORD, email_confirm: true, app_metadata: { role },
    });
    if (error) throw error;
    createdUsers.push(data.user.id);
    const supabase = newClient();
    const signIn = await supabase.auth.signInWithPassword({ email: data.user.email!, password: PASSWORD });
    if (signIn.error) throw signIn.error;
    return { id: data.user.id, supabase };
  }

  /** What the app read in two calls before: the own staff row, and the assurance (no row for an inactive account). */
  async function twoCalls(supabase: SupabaseClient) {
    const profile = await supabase.from('staff').select('id, display_name, role, preferred_language').maybeSingle();
    const assurance = await supabase.rpc('my_sign_in_assurance').maybeSingle();
    expect(profile.error).toBeNull();
    expect(assurance.error).toBeNull();
    return { profile: profile.data, assurance: assurance.data };
  }

  async function oneCall(supabase: SupabaseClient) {
    const { data, error } = await supabase.rpc('my_sign_in_state').maybeSingle();
    expect(error).toBeNull();
    if (!data) return { profile: null, assurance: null };
    const { staff_id, display_name, role, preferred_language, active, ...assurance } = data as {
      staff_id: string; display_name: string; role: string | null; preferred_language: string; active: boolean;
    };
    return { profile: { id: staff_id, display_name, role, preferred_language }, assurance: active ? assurance : null };
  }

  it('answers what the staff row and my_sign_in_assurance answered, for an active, a deactivated and a signed-out-elsewhere account', async () => {
    const coordinatorStaff = await signedInStaff('coordinator');
    expect(await oneCall(coordinatorStaff.supabase)).toEqual(await twoCalls(coordinatorStaff.supabase));
    expect((await oneCall(coordinatorStaff.supabase)).assurance).toMatchObject({ satisfied: true, session_active: true });

    const caseworkerStaff = await signedInStaff('caseworker');
    await db().query('update public.staff set active = false where id = $1', [caseworkerStaff.id]);
    const deactivated = await oneCall(caseworkerStaff.supabase);
    expect(deactivated).toEqual(await twoCalls(caseworkerStaff.supabase));
    expect(deactivated.assurance).toBeNull();

    await db().query('delete from auth.sessions where user_id = $1', [coordinatorStaff.id]);
    const signedOut = await oneCall(coordinatorStaff.supabase);
    expect(signedOut).toEqual(await twoCalls(coordinatorStaff.supabase));
    expect(signedOut.assurance).toMatchObject({ session_active: false });
  });

  it('gives a demo user their own row only, and nothing to anyone signed out', async () => {
    const { data } = await coordinator.rpc('my_sign_in_state');
    expect((data as { staff_id: string }[]).map((row) => row.staff_id)).toEqual([demoUsers.coordinator.id]);
    const anonymous = await newClient().rpc('my_sign_in_state');
    expect(anonymous.data).toBeNull();
    expect(anonymous.error).not.toBeNull();
  });
});
