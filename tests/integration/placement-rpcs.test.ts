// The placement RPCs through supabase-js as the real roles: the lifecycle, every refusal with
// its stable code (and that nothing changed), idempotency, and the audit rows each write leaves.
import { randomUUID } from 'node:crypto';
import type { SupabaseClient } from '@supabase/supabase-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  clientFor, closeDb, db, demoUsers, helsinkiDate, hoursFromNow, one, rows, scratchClient, scratchFacility, signOutAll, type Actor,
} from './support/stack.ts';

let coordinator: SupabaseClient;
let staff: SupabaseClient;

beforeAll(async () => {
  coordinator = await clientFor('coordinator');
  staff = await clientFor('staff');
});

afterAll(async () => {
  await signOutAll();
  await closeDb();
});

/** Everything an RPC could touch; equal before and after a refused call means nothing changed. */
async function fingerprint(): Promise<string> {
  const row = await one<{ f: string }>(`
    select md5(concat_ws('|',
      (select count(*) from public.audit_log),
      (select md5(coalesce(string_agg(to_jsonb(p)::text, ',' order by p.id), '')) from public.placements p),
      (select count(*) from public.placement_persons),
      (select count(*) from public.capacity_reports),
      (select count(*) from public.client_unsuitable_facilities),
      (select count(*) from public.staff where preferred_language = 'fi'))) as f`);
  return row.f;
}

async function expectRefusal(call: PromiseLike<{ error: { message: string } | null; data: unknown }>, code: string) {
  const before = await fingerprint();
  const { error, data } = await call;
  expect(data).toBeNull();
  expect(error?.message, `expected the refusal ${code}`).toBe(code);
  expect(await fingerprint(), `a refused call (${code}) must change nothing`).toBe(before);
}

function hold(supabase: SupabaseClient, args: Partial<{
  client_id: string; facility_id: string; persons: string[]; planned_arrival: string | null; planned_end: string | null;
  hold_expires_at: string | null; idempotency_key: string | null;
}> & { client_id: string; facility_id: string }) {
  return supabase.rpc('place_hold', {
    persons: [args.client_id],
    planned_arrival: helsinkiDate(),
    planned_end: null,
    hold_expires_at: hoursFromNow(24),
    idempotency_key: randomUUID(),
    ...args,
  });
}

async function auditFor(sinceId: number) {
  return rows<{ action: string; table_name: string; actor_id: string | null; actor_role: string | null; reason: string | null; changed_columns: string[] | null }>(
    'select action, table_name, actor_id, actor_role, reason, changed_columns from public.audit_log where id > $1 order by id', [sinceId]);
}

async function lastAuditId(): Promise<number> {
  return Number((await one<{ id: string | null }>('select max(id) as id from public.audit_log')).id ?? 0);
}

describe('lifecycle: hold -> accepted -> active -> moved -> ended, with exactly the expected audit rows', () => {
  it('walks a client with a child through every step', async () => {
    const facility = await scratchFacility({ members: [demoUsers.staff.id], capacity: 4 });
    const nextFacility = await scratchFacility({ capacity: 4 });
    const client = await scratchClient({ children: [{ birthYear: 2019, gender: 'female' }] });
    const persons = [client.id, ...client.children];

    let since = await lastAuditId();
    const key = randomUUID();
    const held = await hold(coordinator, { client_id: client.id, facility_id: facility, persons, idempotency_key: key });
    expect(held.error).toBeNull();
    expect(held.data).toMatchObject({ status: 'hold', persons: 2, safety_level: 1, held_by: demoUsers.coordinator.id });
    expect((await auditFor(since)).map((a) => [a.action, a.table_name, a.actor_id, a.actor_role])).toEqual([
      ['insert', 'placements', demoUsers.coordinator.id, 'coordinator'],
      ['insert', 'placement_persons', demoUsers.coordinator.id, 'coordinator'],
      ['insert', 'placement_persons', demoUsers.coordinator.id, 'coordinator'],
    ]);

    // a double submission returns the same record and writes nothing
    since = await lastAuditId();
    const again = await hold(coordinator, { client_id: client.id, facility_id: facility, persons, idempotency_key: key });
    expect(again.error).toBeNull();
    expect(again.data.id).toBe(held.data.id);
    expect(await auditFor(since)).toEqual([]);

    const free = await coordinator.rpc('facility_availability');
    expect((free.data as { facility_id: string; free_places: number; held: number }[]).find((f) => f.facility_id === facility))
      .toMatchObject({ free_places: 2, held: 2 });

    since = await lastAuditId();
    const accepted = await staff.rpc('respond_to_hold', { placement_id: held.data.id, accept: true });
    expect(accepted.error).toBeNull();
    expect(accepted.data).toMatchObject({ status: 'accepted', responded_by: demoUsers.staff.id });
    expect((await auditFor(since)).map((a) => [a.action, a.table_name, a.actor_role])).toEqual([['update', 'placements', 'facility_staff']]);

    since = await lastAuditId();
    const arrived = await staff.rpc('record_arrival', { placement_id: held.data.id });
    expect(arrived.error).toBeNull();
    expect(arrived.data).toMatchObject({ status: 'active', arrival_recorded_by: demoUsers.staff.id });
    expect((await auditFor(since)).map((a) => [a.action, a.table_name])).toEqual([['update', 'placements']]);

    since = await lastAuditId();
    const moveKey = randomUUID();
    const moved = await coordinator.rpc('move_client', {
      placement_id: held.data.id, to_facility_id: nextFacility, persons, planned_end: helsinkiDate(30), reason: 'Lähempänä koulua', idempotency_key: moveKey,
    });
    expect(moved.error).toBeNull();
    expect(moved.data).toMatchObject({ status: 'active', facility_id: nextFacility, moved_from_placement_id: held.data.id });
    const moveAudit = await auditFor(since);
    expect(moveAudit.map((a) => [a.action, a.table_name, a.reason])).toEqual([
      ['update', 'placements', 'Lähempänä koulua'],
      ['insert', 'placements', 'Lähempänä koulua'],
      ['insert', 'placement_persons', 'Lähempänä koulua'],
      ['insert', 'placement_persons', 'Lähempänä koulua'],
    ]);
    expect(await one('select status, end_reason from public.placements where id = $1', [held.data.id]))
      .toEqual({ status: 'ended', end_reason: 'Lähempänä koulua' });
    const sameMove = await coordinator.rpc('move_client', {
      placement_id: held.data.id, to_facility_id: nextFacility, persons, planned_end: null, reason: 'x', idempotency_key: moveKey,
    });
    expect(sameMove.data.id).toBe(moved.data.id);

    since = await lastAuditId();
    const ended = await coordinator.rpc('end_placement', { placement_id: moved.data.id, reason: 'Sijainti paljastunut', mark_unsuitable: true });
    expect(ended.error).toBeNull();
    expect(ended.data).toMatchObject({ status: 'ended', end_reason: 'Sijainti paljastunut' });
    expect((await auditFor(since)).map((a) => [a.action, a.table_name])).toEqual([
      ['update', 'placements'], ['insert', 'client_unsuitable_facilities'],
    ]);

    // the facility is never offered to this client again
    const retry = await hold(coordinator, { client_id: client.id, facility_id: nextFacility, persons });
    expect(retry.error?.message).toBe('marked_unsuitable');
  });

  it('a decline needs a reason, frees the places and is audited with it', async () => {
    const facility = await scratchFacility({ members: [demoUsers.staff.id], capacity: 1 });
    const client = await scratchClient();
    const held = await hold(coordinator, { client_id: client.id, facility_id: facility });
    await expectRefusal(staff.rpc('respond_to_hold', { placement_id: held.data.id, accept: false, reason: '  ' }), 'reason_required');
    const since = await lastAuditId();
    const declined = await staff.rpc('respond_to_hold', { placement_id: held.data.id, accept: false, reason: 'Ei henkilökuntaa' });
    expect(declined.data).toMatchObject({ status: 'declined', decline_reason: 'Ei henkilökuntaa' });
    expect((await auditFor(since)).map((a) => [a.table_name, a.reason])).toEqual([['placements', 'Ei henkilökuntaa']]);
    const other = await scratchClient();
    expect((await hold(coordinator, { client_id: other.id, facility_id: facility })).error).toBeNull();
  });

  it('a hold stops counting at its deadline even before expire_holds runs, and expire_holds records it', async () => {
    const facility = await scratchFacility({ capacity: 1 });
    const first = await scratchClient();
    const held = await hold(coordinator, { client_id: first.id, facility_id: facility });
    const second = await scratchClient();
    expect((await hold(coordinator, { client_id: second.id, facility_id: facility })).error?.message).toBe('not_enough_places');
    await db().query("update public.placements set hold_expires_at = now() - interval '1 second' where id = $1", [held.data.id]);
    const figures = await coordinator.rpc('facility_availability');
    expect((figures.data as { facility_id: string; free_places: number }[]).find((f) => f.facility_id === facility)?.free_places).toBe(1);
    // the expired-but-unmarked hold no longer blocks its own client either
    const rehold = await hold(coordinator, { client_id: first.id, facility_id: facility });
    expect(rehold.error).toBeNull();
    expect((await one('select status from public.placements where id = $1', [held.data.id]))).toEqual({ status: 'expired' });

    await db().query("update public.placements set hold_expires_at = now() - interval '1 second' where id = $1", [rehold.data.id]);
    const { rows: [expired] } = await db().query('select public.expire_holds() as n');
    expect(expired.n).toBeGreaterThanOrEqual(1);
    expect(await one('select status from public.placements where id = $1', [rehold.data.id])).toEqual({ status: 'expired' });
  });

  it('a capacity update and a confirmation are kept with who and when, and audited', async () => {
    const facility = await scratchFacility({ members: [demoUsers.staff.id], capacity: 5 });
    const since = await lastAuditId();
    const updated = await staff.rpc('update_capacity', { facility_id: facility, capacity: 7, out_of_service: 1, out_of_service_reason: 'Remontti', occupied_by_others: 2 });
    expect(updated.error).toBeNull();
    expect(updated.data).toMatchObject({ kind: 'update', capacity: 7, reported_by: demoUsers.staff.id, reported_role: 'facility_staff' });
    const confirmed = await staff.rpc('confirm_capacity', { facility_id: facility });
    expect(confirmed.data).toMatchObject({ kind: 'confirm', capacity: 7, out_of_service: 1, occupied_by_others: 2 });
    expect((await auditFor(since)).map((a) => [a.action, a.table_name, a.actor_role])).toEqual([
      ['insert', 'capacity_reports', 'facility_staff'], ['insert', 'capacity_reports', 'facility_staff'],
    ]);
    const figures = await staff.rpc('facility_availability');
    expect((figures.data as { facility_id: string; free_places: number; status: string }[]).find((f) => f.facility_id === facility))
      .toMatchObject({ free_places: 4, status: 'free' });
  });

  it('free places never go below zero; over-occupancy is flagged instead', async () => {
    const facility = await scratchFacility({ members: [demoUsers.staff.id], capacity: 2 });
    const client = await scratchClient({ children: [{ birthYear: 2020, gender: 'male' }] });
    await hold(coordinator, { client_id: client.id, facility_id: facility, persons: [client.id, ...client.children] });
    expect((await staff.rpc('update_capacity', { facility_id: facility, capacity: 1, out_of_service: 0, out_of_service_reason: null, occupied_by_others: 0 })).error).toBeNull();
    const figures = await coordinator.rpc('facility_availability');
    expect((figures.data as { facility_id: string }[]).find((f) => f.facility_id === facility))
      .toMatchObject({ free_places: 0, over_occupied: true, status: 'over' });
  });

  it('the forecast counts planned ends and turnaround', async () => {
    const facility = await scratchFacility({ capacity: 3, turnaroundHours: 24 });
    const client = await scratchClient();
    await db().query(
      `insert into public.placements (client_id, facility_id, status, persons, safety_level, planned_arrival, planned_end, arrived_at)
       values ($1, $2, 'active', 1, 1, current_date - 3, $3, now() - interval '3 days')`, [client.id, facility, helsinkiDate(3)]);
    const forecast = await coordinator.rpc('facility_forecast', { facility_id: facility, days: 6 });
    expect(forecast.error).toBeNull();
    // occupied until the planned end, plus one day of turnaround, then free again
    expect((forecast.data as { free_places: number }[]).map((d) => d.free_places)).toEqual([2, 2, 2, 2, 3, 3]);
  });
});

describe('refusals: each rule names its reason and changes nothing', () => {
  it('fit rules', async () => {
    const level3 = await scratchClient({ level: 3 });
    const low = await scratchFacility({ rating: 2 });
    await expectRefusal(hold(coordinator, { client_id: level3.id, facility_id: low }), 'rating_too_low');

    const closed = await scratchFacility({ active: false });
    await expectRefusal(hold(coordinator, { client_id: level3.id, facility_id: closed }), 'facility_inactive');

    const man = await scratchClient({ gender: 'male' });
    const women = await scratchFacility({ gender: 'women' });
    await expectRefusal(hold(coordinator, { client_id: man.id, facility_id: women }), 'gender_policy');

    const mother = await scratchClient({ children: [{ birthYear: Number(helsinkiDate().slice(0, 4)) - 15, gender: 'male' }] });
    const noKids = await scratchFacility({ takesChildren: false });
    await expectRefusal(hold(coordinator, { client_id: mother.id, facility_id: noKids, persons: [mother.id, ...mother.children] }), 'no_children');
    const boysTo12 = await scratchFacility({ boysMaxAge: 12 });
    await expectRefusal(hold(coordinator, { client_id: mother.id, facility_id: boysTo12, persons: [mother.id, ...mother.children] }), 'boy_too_old');
    // without the boy the same facility fits
    expect((await hold(coordinator, { client_id: mother.id, facility_id: boysTo12, persons: [mother.id] })).error).toBeNull();

    const zoned = await scratchClient();
    const inZone = await scratchFacility({ lon: 25.0, lat: 60.2 });
    await db().query("insert into public.exclusion_zones (client_id, kind, lon, lat, radius_km) values ($1, 'point', 25.05, 60.21, 5)", [zoned.id]);
    await expectRefusal(hold(coordinator, { client_id: zoned.id, facility_id: inZone }), 'inside_exclusion_zone');
    const zonedByMunicipality = await scratchClient();
    const inTampere = await scratchFacility({ municipality: '837', lon: 23.76, lat: 61.5 });
    await db().query("insert into public.exclusion_zones (client_id, kind, municipality_code) values ($1, 'municipality', '837')", [zonedByMunicipality.id]);
    await expectRefusal(hold(coordinator, { client_id: zonedByMunicipality.id, facility_id: inTampere }), 'inside_exclusion_zone');
  });

  it('the exclusion zone check uses the exact position, not the municipality centre', async () => {
    // exact point 20 km from Helsinki's centre; a 5 km zone around the centre does not cover it
    const client = await scratchClient();
    const facility = await scratchFacility({ municipality: '091', lon: 25.30, lat: 60.25 });
    await db().query("insert into public.exclusion_zones (client_id, kind, lon, lat, radius_km) values ($1, 'point', 24.9384, 60.1699, 5)", [client.id]);
    expect((await hold(coordinator, { client_id: client.id, facility_id: facility })).error).toBeNull();
  });

  it('capacity, one hold per client, bad input and dates', async () => {
    const full = await scratchFacility({ capacity: 1 });
    const a = await scratchClient();
    const b = await scratchClient({ children: [{ birthYear: 2018, gender: 'female' }] });
    const other = await scratchFacility();
    expect((await hold(coordinator, { client_id: a.id, facility_id: full })).error).toBeNull();
    await expectRefusal(hold(coordinator, { client_id: b.id, facility_id: full }), 'not_enough_places');
    await expectRefusal(hold(coordinator, { client_id: a.id, facility_id: other }), 'client_has_open_hold');

    await expectRefusal(hold(coordinator, { client_id: randomUUID(), facility_id: other }), 'client_not_found');
    await expectRefusal(hold(coordinator, { client_id: b.id, facility_id: randomUUID() }), 'facility_not_found');
    await expectRefusal(hold(coordinator, { client_id: b.id, facility_id: other, persons: [] }), 'invalid_persons');
    await expectRefusal(hold(coordinator, { client_id: b.id, facility_id: other, persons: [b.id, b.id] }), 'invalid_persons');
    await expectRefusal(hold(coordinator, { client_id: b.id, facility_id: other, persons: b.children }), 'client_not_in_persons');
    await expectRefusal(hold(coordinator, { client_id: b.id, facility_id: other, persons: [b.id, randomUUID()] }), 'invalid_persons');
    await expectRefusal(hold(coordinator, { client_id: b.id, facility_id: other, planned_arrival: null }), 'arrival_required');
    await expectRefusal(hold(coordinator, { client_id: b.id, facility_id: other, planned_arrival: helsinkiDate(-30) }), 'arrival_in_past');
    await expectRefusal(hold(coordinator, { client_id: b.id, facility_id: other, planned_arrival: helsinkiDate(400) }), 'arrival_too_far');
    await expectRefusal(hold(coordinator, { client_id: b.id, facility_id: other, planned_end: helsinkiDate() }), 'end_before_start');
    await expectRefusal(hold(coordinator, { client_id: b.id, facility_id: other, hold_expires_at: hoursFromNow(-1) }), 'deadline_in_past');
    await expectRefusal(hold(coordinator, { client_id: b.id, facility_id: other, hold_expires_at: hoursFromNow(24 * 20) }), 'deadline_too_far');
    await expectRefusal(hold(coordinator, { client_id: b.id, facility_id: other, idempotency_key: null }), 'idempotency_key_required');
    const used = await hold(coordinator, { client_id: b.id, facility_id: other, persons: [b.id, ...b.children] });
    const c = await scratchClient();
    await expectRefusal(hold(coordinator, { client_id: c.id, facility_id: other, idempotency_key: used.data.idempotency_key }), 'idempotency_key_reused');
    // malformed input is refused by Postgres' own type check, still without a trace
    const before = await fingerprint();
    const malformed = await coordinator.rpc('place_hold', { client_id: c.id, facility_id: other, persons: ['not-a-uuid'], planned_arrival: helsinkiDate(), planned_end: null, hold_expires_at: hoursFromNow(1), idempotency_key: randomUUID() });
    expect(malformed.error?.code).toBe('22P02');
    expect(await fingerprint()).toBe(before);
  });

  it('state rules of respond, arrival, end, cancel and move', async () => {
    const facility = await scratchFacility({ members: [demoUsers.staff.id] });
    const client = await scratchClient();
    const held = await hold(coordinator, { client_id: client.id, facility_id: facility });
    await expectRefusal(staff.rpc('record_arrival', { placement_id: held.data.id }), 'hold_not_accepted');
    await expectRefusal(staff.rpc('end_placement', { placement_id: held.data.id, reason: 'x' }), 'placement_not_active');
    await expectRefusal(coordinator.rpc('move_client', { placement_id: held.data.id, to_facility_id: facility, persons: [client.id], planned_end: null, reason: 'x', idempotency_key: randomUUID() }), 'placement_not_active');
    await expectRefusal(staff.rpc('respond_to_hold', { placement_id: randomUUID(), accept: true }), 'placement_not_found');
    await expectRefusal(staff.rpc('end_placement', { placement_id: held.data.id, reason: 'x', mark_unsuitable: true }), 'not_allowed');
    await expectRefusal(staff.rpc('cancel_hold', { placement_id: held.data.id }), 'not_allowed');

    await db().query("update public.placements set hold_expires_at = now() - interval '1 minute' where id = $1", [held.data.id]);
    await expectRefusal(staff.rpc('respond_to_hold', { placement_id: held.data.id, accept: true }), 'hold_expired');

    const client2 = await scratchClient();
    const held2 = await hold(coordinator, { client_id: client2.id, facility_id: facility });
    expect((await coordinator.rpc('cancel_hold', { placement_id: held2.data.id, reason: 'Asiakas peruutti' })).data).toMatchObject({ status: 'cancelled' });
    await expectRefusal(coordinator.rpc('cancel_hold', { placement_id: held2.data.id }), 'hold_not_open');
    await expectRefusal(staff.rpc('respond_to_hold', { placement_id: held2.data.id, accept: true }), 'hold_not_open');

    // staff of another facility cannot even learn that the placement exists
    const staff2 = await clientFor('staff2');
    const client3 = await scratchClient();
    const held3 = await hold(coordinator, { client_id: client3.id, facility_id: facility });
    await expectRefusal(staff2.rpc('respond_to_hold', { placement_id: held3.data.id, accept: true }), 'placement_not_found');

    // moving onto the same facility, or without a reason
    await coordinator.rpc('respond_to_hold', { placement_id: held3.data.id, accept: true });
    const active = await coordinator.rpc('record_arrival', { placement_id: held3.data.id });
    expect(active.data.status).toBe('active');
    await expectRefusal(coordinator.rpc('move_client', { placement_id: held3.data.id, to_facility_id: facility, persons: [client3.id], planned_end: null, reason: 'x', idempotency_key: randomUUID() }), 'same_facility');
    const elsewhere = await scratchFacility();
    await expectRefusal(coordinator.rpc('move_client', { placement_id: held3.data.id, to_facility_id: elsewhere, persons: [client3.id], planned_end: null, reason: '', idempotency_key: randomUUID() }), 'reason_required');
    await expectRefusal(coordinator.rpc('end_placement', { placement_id: held3.data.id, reason: null }), 'reason_required');
  });

  it('capacity input', async () => {
    const facility = await scratchFacility({ members: [demoUsers.staff.id] });
    const call = (args: Record<string, unknown>) => staff.rpc('update_capacity', { facility_id: facility, capacity: 5, out_of_service: 0, out_of_service_reason: null, occupied_by_others: 0, ...args });
    await expectRefusal(call({ capacity: -1 }), 'invalid_capacity');
    await expectRefusal(call({ capacity: null }), 'invalid_capacity');
    await expectRefusal(call({ out_of_service: 6 }), 'invalid_out_of_service');
    await expectRefusal(call({ out_of_service: 1 }), 'out_of_service_reason_required');
    await expectRefusal(call({ occupied_by_others: -2 }), 'invalid_occupied_by_others');
    await expectRefusal(call({ out_of_service: 3, out_of_service_reason: 'x', occupied_by_others: 3 }), 'figures_exceed_capacity');
    await expectRefusal(staff.rpc('update_capacity', { facility_id: '00000000-0000-4000-8000-000000000000', capacity: 5, out_of_service: 0, out_of_service_reason: null, occupied_by_others: 0 }), 'facility_not_found');
    const noReports = await one<{ id: string }>("insert into public.facilities (name, kind, municipality_code, security_rating) values ('Ei raportteja', 'shelter', '091', 1) returning id");
    await db().query('insert into public.facility_memberships (staff_id, facility_id) values ($1, $2)', [demoUsers.staff.id, noReports.id]);
    await expectRefusal(staff.rpc('confirm_capacity', { facility_id: noReports.id }), 'no_capacity_report');
  });

  it('reading functions validate their input', async () => {
    await expectRefusal(coordinator.rpc('facility_forecast', { facility_id: randomUUID(), days: 14 }), 'facility_not_found');
    await expectRefusal(coordinator.rpc('facility_forecast', { facility_id: (await scratchFacility()), days: 0 }), 'invalid_days');
    await expectRefusal(coordinator.rpc('facility_availability', { on_date: helsinkiDate(-2) }), 'invalid_date');
    const client = await scratchClient();
    await expectRefusal(coordinator.rpc('safe_place_search', { client_id: client.id, arrival_date: helsinkiDate(-1) }), 'invalid_date');
    await expectRefusal(coordinator.rpc('safe_place_search', { client_id: client.id, ref_lon: 25 }), 'invalid_reference_point');
    await expectRefusal(coordinator.rpc('safe_place_search', { client_id: randomUUID() }), 'client_not_found');
    await expectRefusal(coordinator.rpc('set_preferred_language', { lang: 'de' }), 'invalid_language');
  });
});

describe('safe_place_search', () => {
  it('offers only facilities that satisfy every rule and lists the others with their reasons', async () => {
    const client = await scratchClient({ level: 3, children: [{ birthYear: 2021, gender: 'female' }] });
    const zoneFacility = await scratchFacility({ municipality: '609', rating: 4, lon: 21.8, lat: 61.49 });
    await db().query("insert into public.exclusion_zones (client_id, kind, municipality_code) values ($1, 'municipality', '609')", [client.id]);
    const { data, error } = await coordinator.rpc('safe_place_search', { client_id: client.id, ref_lon: 24.94, ref_lat: 60.17 });
    expect(error).toBeNull();
    const results = data as { facility_id: string; suitable: boolean; refusals: string[]; rank: number; distance_band: string | null; security_rating: number; free_places: number }[];
    const suitable = results.filter((r) => r.suitable);
    expect(suitable.length).toBeGreaterThan(0);
    for (const r of suitable) {
      expect(r.security_rating).toBeGreaterThanOrEqual(3);
      expect(r.free_places).toBeGreaterThanOrEqual(2);
      expect(r.refusals).toEqual([]);
    }
    // suitable ones come first, ranked 1..n
    expect(results.slice(0, suitable.length).every((r) => r.suitable)).toBe(true);
    expect(results.map((r) => r.rank)).toEqual(results.map((_, i) => i + 1));
    expect(results.find((r) => r.facility_id === zoneFacility)?.refusals).toContain('inside_exclusion_zone');
    expect(results.some((r) => r.refusals.includes('rating_too_low'))).toBe(true);
    expect(results.some((r) => r.refusals.includes('facility_inactive'))).toBe(true);
    // the database's own check agrees with what the search offers
    for (const r of suitable.slice(0, 10)) {
      const refusals = await one<{ r: unknown[] }>('select private.fit_refusals($1, $2, $3, current_date) as r', [client.id, r.facility_id, client.children]);
      expect(refusals.r).toEqual([]);
    }
  });
});

describe('who may call which function', () => {
  const callers: Actor[] = ['anon', 'coordinator', 'staff', 'caseworker', 'admin', 'auditor'];
  // expected: null = allowed; otherwise the refusal code (anon: no execute grant at all)
  const expectations: Record<string, Partial<Record<Actor, string | null>>> = {
    facility_availability: { coordinator: null, staff: null, caseworker: null, admin: null, auditor: 'not_allowed' },
    facility_forecast: { coordinator: null, staff: null, caseworker: 'facility_not_found', admin: null, auditor: 'not_allowed' },
    safe_place_search: { coordinator: null, staff: 'not_allowed', caseworker: 'not_allowed', admin: 'not_allowed', auditor: 'not_allowed' },
    safe_place_search_results: { coordinator: null, staff: 'not_allowed', caseworker: 'not_allowed', admin: 'not_allowed', auditor: 'not_allowed' },
    map_availability: { coordinator: null, staff: null, caseworker: null, admin: null, auditor: 'not_allowed' },
    place_hold: { coordinator: null, staff: 'not_allowed', caseworker: 'not_allowed', admin: 'not_allowed', auditor: 'not_allowed' },
    respond_to_hold: { coordinator: null, staff: null, caseworker: 'not_allowed', admin: 'not_allowed', auditor: 'not_allowed' },
    cancel_hold: { coordinator: null, staff: 'not_allowed', caseworker: 'not_allowed', admin: 'not_allowed', auditor: 'not_allowed' },
    update_capacity: { coordinator: null, staff: null, caseworker: 'not_allowed', admin: 'not_allowed', auditor: 'not_allowed' },
    confirm_capacity: { coordinator: null, staff: null, caseworker: 'not_allowed', admin: 'not_allowed', auditor: 'not_allowed' },
    reveal_facility_location: { coordinator: null, staff: null, caseworker: 'facility_not_found', admin: 'not_allowed', auditor: 'not_allowed' },
    set_facility_location: { coordinator: 'not_allowed', staff: 'not_allowed', caseworker: 'not_allowed', admin: null, auditor: 'not_allowed' },
    set_preferred_language: { coordinator: null, staff: null, caseworker: null, admin: null, auditor: null },
    expire_holds: {},
    custom_access_token_hook: {},
  };

  async function argsFor(fn: string): Promise<Record<string, unknown>> {
    const facility = await scratchFacility({ members: [demoUsers.staff.id] });
    const client = await scratchClient();
    switch (fn) {
      case 'facility_availability': return {};
      case 'facility_forecast': return { facility_id: facility, days: 3 };
      case 'safe_place_search':
      case 'safe_place_search_results': return { client_id: client.id };
      case 'map_availability': return {};
      case 'place_hold': return { client_id: client.id, facility_id: facility, persons: [client.id], planned_arrival: helsinkiDate(), planned_end: null, hold_expires_at: hoursFromNow(5), idempotency_key: randomUUID() };
      case 'respond_to_hold':
      case 'cancel_hold': {
        const held = await hold(coordinator, { client_id: client.id, facility_id: facility });
        return fn === 'respond_to_hold' ? { placement_id: held.data.id, accept: true } : { placement_id: held.data.id };
      }
      case 'update_capacity': return { facility_id: facility, capacity: 9, out_of_service: 0, out_of_service_reason: null, occupied_by_others: 0 };
      case 'confirm_capacity': return { facility_id: facility };
      case 'reveal_facility_location': return { facility_id: facility, reason: 'Kuljetus' };
      case 'set_facility_location': return { facility_id: facility, street_address: 'Uusi testitie 1', postal_code: '00100', lon: 24.95, lat: 60.18 };
      case 'set_preferred_language': return { lang: 'fi' };
      case 'expire_holds': return {};
      case 'custom_access_token_hook': return { event: { user_id: demoUsers.coordinator.id, claims: {} } };
      default: throw new Error(fn);
    }
  }

  for (const [fn, expected] of Object.entries(expectations)) {
    it.each(callers)(`${fn} as %s`, async (caller) => {
      const supabase = await clientFor(caller);
      const { error } = await supabase.rpc(fn, await argsFor(fn));
      const want = caller === 'anon' || !(caller in expected) ? 'no_execute' : expected[caller];
      if (want === null) expect(error, `${caller} may call ${fn}`).toBeNull();
      else if (want === 'no_execute') expect(error?.code, `${caller} must not be able to call ${fn}`).toMatch(/^(42501|PGRST202)$/);
      else expect(error?.message, `${caller} calling ${fn}`).toBe(want);
    });
  }
});
