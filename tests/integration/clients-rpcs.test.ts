// The client screens' RPCs (migration 20261127003000_client_screens.sql) through supabase-js as
// the real roles: who may call them, what they refuse and that a refusal changes nothing, what
// the audit trail keeps, and that a caseworker sees only their own clients.
import { randomUUID } from 'node:crypto';
import type { SupabaseClient } from '@supabase/supabase-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  clientFor, closeDb, demoUsers, helsinkiDate, hoursFromNow, one, rows, scratchClient, scratchFacility, signOutAll,
} from './support/stack.ts';

let coordinator: SupabaseClient;
let caseworker: SupabaseClient;
let caseworker2: SupabaseClient;
let staff: SupabaseClient;
let admin: SupabaseClient;

beforeAll(async () => {
  [coordinator, caseworker, caseworker2, staff, admin] = await Promise.all([
    clientFor('coordinator'), clientFor('caseworker'), clientFor('caseworker2'), clientFor('staff'), clientFor('admin'),
  ]);
});

afterAll(async () => {
  await signOutAll();
  await closeDb();
});

const THIS_YEAR = Number(helsinkiDate().slice(0, 4));

function clientArgs(overrides: Record<string, unknown> = {}) {
  return {
    target_id: null,
    gender: 'female',
    birth_year: 1994,
    languages: ['en', ' RU '],
    needs_accessibility: false,
    needs_pets: false,
    needs_other: '',
    safety_level: 2,
    level_change_reason: null,
    responsible_party: 'assistance_system',
    asylum_seeker: false,
    children: [{ birth_year: THIS_YEAR - 5, gender: 'male' }],
    caseworker_ids: [demoUsers.caseworker.id],
    ...overrides,
  };
}

async function clientState(id: string): Promise<string> {
  const row = await one<{ s: string }>(
    `select concat_ws('|', (select to_jsonb(c)::text from public.clients c where c.id = $1),
       (select string_agg(to_jsonb(ch)::text, ',' order by ch.id) from public.client_children ch where ch.client_id = $1),
       (select string_agg(a.caseworker_id::text, ',' order by a.caseworker_id) from public.caseworker_assignments a where a.client_id = $1),
       (select count(*) from public.audit_log)) as s`,
    [id],
  );
  return row.s;
}

describe('save_client', () => {
  it('creates a client with a generated code, cleaned languages, a child and a caseworker in one step', async () => {
    const { data, error } = await coordinator.rpc('save_client', clientArgs());
    expect(error).toBeNull();
    expect(data.code).toMatch(/^AS-[2-9A-HJKMNP-Z]{4}$/);
    expect(data.languages).toEqual(['en', 'ru']);
    expect(data.created_by).toBe(demoUsers.coordinator.id);
    const children = await rows('select birth_year, gender from public.client_children where client_id = $1', [data.id]);
    expect(children).toEqual([{ birth_year: THIS_YEAR - 5, gender: 'male' }]);
    const assigned = await rows<{ caseworker_id: string }>('select caseworker_id from public.caseworker_assignments where client_id = $1', [data.id]);
    expect(assigned.map((row) => row.caseworker_id)).toEqual([demoUsers.caseworker.id]);
  });

  it('refuses a change of safety level without a reason, naming both levels, and changes nothing', async () => {
    const { data: created } = await coordinator.rpc('save_client', clientArgs());
    const before = await clientState(created.id);
    const { data, error } = await coordinator.rpc('save_client', clientArgs({ target_id: created.id, safety_level: 3, children: [] }));
    expect(data).toBeNull();
    expect(error?.message).toBe('level_reason_required');
    expect(JSON.parse(error?.details ?? '{}')).toEqual({ from: 2, to: 3 });
    expect(await clientState(created.id), 'a refused save must change nothing').toBe(before);
  });

  it('keeps the reason for a level change in the audit trail with the change', async () => {
    const { data: created } = await coordinator.rpc('save_client', clientArgs());
    const children = await rows<{ id: string }>('select id from public.client_children where client_id = $1', [created.id]);
    const since = Number((await one<{ id: string }>('select max(id) as id from public.audit_log')).id);
    const { error } = await coordinator.rpc('save_client', clientArgs({
      target_id: created.id, safety_level: 4, level_change_reason: 'Poliisin arvio uhasta',
      children: [{ id: children[0]!.id, birth_year: THIS_YEAR - 5, gender: 'male' }],
    }));
    expect(error).toBeNull();
    const audit = await rows<{ table_name: string; reason: string | null; changed_columns: string[] }>(
      `select table_name, reason, changed_columns from public.audit_log where id > $1 and client_id = $2 order by id`, [since, created.id]);
    expect(audit.find((row) => row.table_name === 'clients')).toMatchObject({ reason: 'Poliisin arvio uhasta', changed_columns: ['safety_level'] });
  });

  it('refuses to remove a child named in a placement, and changes nothing', async () => {
    const facility = await scratchFacility({ capacity: 5 });
    const { data: created } = await coordinator.rpc('save_client', clientArgs());
    const [child] = await rows<{ id: string }>('select id from public.client_children where client_id = $1', [created.id]);
    const held = await coordinator.rpc('place_hold', {
      client_id: created.id, facility_id: facility, persons: [created.id, child!.id], planned_arrival: helsinkiDate(),
      planned_end: null, hold_expires_at: hoursFromNow(24), idempotency_key: randomUUID(),
    });
    expect(held.error).toBeNull();
    const before = await clientState(created.id);
    const { error } = await coordinator.rpc('save_client', clientArgs({ target_id: created.id, children: [] }));
    expect(error?.message).toBe('child_in_placement');
    expect(await clientState(created.id)).toBe(before);
  });

  it('refuses an unknown caseworker, a child too old to be a minor and a bad language code', async () => {
    for (const [args, code] of [
      [{ caseworker_ids: [demoUsers.coordinator.id] }, 'invalid_caseworker'],
      [{ children: [{ birth_year: THIS_YEAR - 18, gender: 'female' }] }, 'invalid_child_birth_year'],
      [{ languages: ['english'] }, 'invalid_language_code'],
      [{ birth_year: THIS_YEAR + 1 }, 'invalid_birth_year'],
    ] as const) {
      const countBefore = (await one<{ n: string }>('select count(*) as n from public.clients')).n;
      const { error } = await coordinator.rpc('save_client', clientArgs(args));
      expect(error?.message).toBe(code);
      expect((await one<{ n: string }>('select count(*) as n from public.clients')).n).toBe(countBefore);
    }
  });

  it('is the coordinator’s: every other role is refused', async () => {
    for (const supabase of [caseworker, staff, admin]) {
      const { error } = await supabase.rpc('save_client', clientArgs());
      expect(error?.message).toBe('not_allowed');
    }
  });
});

describe('exclusion zones', () => {
  it('adds a zone with its reason in one step; the reason is readable by coordinators only', async () => {
    const client = await scratchClient({ caseworker: demoUsers.caseworker.id });
    const { data, error } = await coordinator.rpc('add_exclusion_zone', {
      client_id: client.id, kind: 'point', lon: 24.94, lat: 60.17, radius_km: 12.345, municipality_code: null, reason: 'Hyväksikäyttöpaikka',
    });
    expect(error).toBeNull();
    expect(data).toMatchObject({ kind: 'point', radius_km: 12.35, municipality_code: null });
    const reason = await coordinator.from('exclusion_zone_reasons').select('reason').eq('zone_id', data.id).single();
    expect(reason.data?.reason).toBe('Hyväksikäyttöpaikka');
    const seenByCaseworker = await caseworker.from('exclusion_zone_reasons').select('reason').eq('zone_id', data.id);
    expect(seenByCaseworker.data).toEqual([]);
  });

  it('refuses a zone without a reason or outside Finland, and adds nothing', async () => {
    const client = await scratchClient();
    for (const [args, code] of [
      [{ kind: 'point', lon: 24.9, lat: 60.2, radius_km: 5, municipality_code: null, reason: ' ' }, 'reason_required'],
      [{ kind: 'point', lon: 10, lat: 60.2, radius_km: 5, municipality_code: null, reason: 'x' }, 'invalid_zone_point'],
      [{ kind: 'point', lon: 24.9, lat: 60.2, radius_km: 0, municipality_code: null, reason: 'x' }, 'invalid_zone_radius'],
      [{ kind: 'municipality', lon: null, lat: null, radius_km: null, municipality_code: '999', reason: 'x' }, 'municipality_not_found'],
    ] as const) {
      const { error } = await coordinator.rpc('add_exclusion_zone', { client_id: client.id, ...args });
      expect(error?.message).toBe(code);
    }
    expect((await one<{ n: string }>('select count(*) as n from public.exclusion_zones where client_id = $1', [client.id])).n).toBe('0');
  });
});

describe('what a caseworker sees', () => {
  it('lists only the caseworker’s own clients, with their current housing', async () => {
    const mine = await scratchClient({ caseworker: demoUsers.caseworker.id });
    const theirs = await scratchClient({ caseworker: demoUsers.caseworker2.id });
    const { data, error } = await caseworker.rpc('client_list', { page_size: 200 });
    expect(error).toBeNull();
    const ids = (data ?? []).map((row: { client_id: string }) => row.client_id);
    expect(ids).toContain(mine.id);
    expect(ids).not.toContain(theirs.id);
    const assigned = await rows<{ client_id: string }>('select client_id from public.caseworker_assignments where caseworker_id = $1', [demoUsers.caseworker.id]);
    expect(new Set(ids)).toEqual(new Set(assigned.map((row) => row.client_id)));
  });

  it('gets client_not_found for another caseworker’s client, as for one that does not exist', async () => {
    const theirs = await scratchClient({ caseworker: demoUsers.caseworker2.id });
    for (const id of [theirs.id, randomUUID()]) {
      const { data, error } = await caseworker.rpc('client_timeline', { client_id: id });
      expect(data).toBeNull();
      expect(error?.message).toBe('client_not_found');
    }
    expect((await caseworker2.rpc('client_timeline', { client_id: theirs.id })).error).toBeNull();
  });

  it('is refused the coordinator’s lists', async () => {
    expect((await caseworker.rpc('placements_ending_soon', { days: 7 })).error?.message).toBe('not_allowed');
    expect((await caseworker.rpc('caseworker_directory')).error?.message).toBe('not_allowed');
    expect((await staff.rpc('client_list', {})).error?.message).toBe('not_allowed');
    expect((await admin.rpc('client_timeline', { client_id: randomUUID() })).error?.message).toBe('not_allowed');
  });
});

describe('the coordinator’s lists', () => {
  it('filters the client list by housing state and shows the current placement', async () => {
    const facility = await scratchFacility({ members: [demoUsers.staff.id], capacity: 5, name: `Listatesti ${randomUUID().slice(0, 6)}` });
    const client = await scratchClient();
    const held = await coordinator.rpc('place_hold', {
      client_id: client.id, facility_id: facility, persons: [client.id], planned_arrival: helsinkiDate(), planned_end: helsinkiDate(3),
      hold_expires_at: hoursFromNow(24), idempotency_key: randomUUID(),
    });
    expect(held.error).toBeNull();
    const code = (await one<{ code: string }>('select code from public.clients where id = $1', [client.id])).code;

    const onHold = await coordinator.rpc('client_list', { search_code: code, housing_filter: 'on_hold' });
    expect(onHold.data).toHaveLength(1);
    expect(onHold.data?.[0]).toMatchObject({ code, housing_state: 'on_hold', hold_status: 'hold', active_placement_id: null });
    expect((await coordinator.rpc('client_list', { search_code: code, housing_filter: 'placed' })).data).toEqual([]);

    expect((await staff.rpc('respond_to_hold', { placement_id: held.data.id, accept: true })).error).toBeNull();
    expect((await coordinator.rpc('record_arrival', { placement_id: held.data.id })).error).toBeNull();
    const placed = await coordinator.rpc('client_list', { search_code: code, housing_filter: 'placed' });
    expect(placed.data?.[0]).toMatchObject({ housing_state: 'placed', active_facility_id: facility, active_planned_end: helsinkiDate(3) });

    // A page as large as the function gives: other files' placements may end in the same days.
    const ending = await coordinator.rpc('placements_ending_soon', { days: 7, page_size: 200 });
    expect(ending.data?.map((row: { client_code: string }) => row.client_code)).toContain(code);
    const notYet = await coordinator.rpc('placements_ending_soon', { days: 2, page_size: 200 });
    expect(notYet.data?.map((row: { client_code: string }) => row.client_code)).not.toContain(code);
  });

  it('names who did what in the timeline', async () => {
    const facility = await scratchFacility({ members: [demoUsers.staff.id], capacity: 5 });
    const client = await scratchClient();
    const held = await coordinator.rpc('place_hold', {
      client_id: client.id, facility_id: facility, persons: [client.id], planned_arrival: helsinkiDate(), planned_end: null,
      hold_expires_at: hoursFromNow(24), idempotency_key: randomUUID(),
    });
    await staff.rpc('respond_to_hold', { placement_id: held.data.id, accept: false, reason: 'Ei tilaa lapsille' });
    const { data } = await coordinator.rpc('client_timeline', { client_id: client.id });
    const names = await rows<{ id: string; display_name: string }>('select id, display_name from public.staff where id in ($1, $2)', [demoUsers.coordinator.id, demoUsers.staff.id]);
    const nameOf = (id: string) => names.find((row) => row.id === id)!.display_name;
    expect(data?.[0]).toMatchObject({
      status: 'declined', decline_reason: 'Ei tilaa lapsille',
      held_by_name: nameOf(demoUsers.coordinator.id), responded_by_name: nameOf(demoUsers.staff.id),
    });
  });
});
