// Exact locations reach only those allowed, only through a logged reveal; live updates carry
// counts only and reach only those allowed to join their topic.
import { randomUUID } from 'node:crypto';
import type { RealtimeChannel, SupabaseClient } from '@supabase/supabase-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  clientFor, closeDb, db, demoUsers, helsinkiDate, hoursFromNow, one, scratchClient, scratchFacility, signOutAll, type Actor,
} from './support/stack.ts';

// distinctive values that must never appear in a response to someone not allowed
const SECRET_LON = 24.987654;
const SECRET_LAT = 60.212345;

let facility: string;
let secretStreet: string;

beforeAll(async () => {
  facility = await scratchFacility({ members: [demoUsers.staff.id], rating: 3, lon: SECRET_LON, lat: SECRET_LAT });
  secretStreet = (await one<{ street_address: string }>('select street_address from public.facility_locations where facility_id = $1', [facility])).street_address;
  // caseworker@'s client lives there now
  const client = await scratchClient({ level: 2, caseworker: demoUsers.caseworker.id });
  await db().query(
    `insert into public.placements (client_id, facility_id, status, persons, safety_level, planned_arrival, arrived_at)
     values ($1, $2, 'active', 1, 2, current_date, now())`, [client.id, facility]);
});

afterAll(async () => {
  await signOutAll();
  await closeDb();
});

function leaks(payload: unknown): boolean {
  const text = JSON.stringify(payload);
  return text.includes(String(SECRET_LON)) || text.includes(String(SECRET_LAT)) || text.includes(secretStreet);
}

const tables = ['staff', 'facilities', 'facility_locations', 'facility_memberships', 'capacity_reports', 'municipalities', 'clients',
  'client_children', 'caseworker_assignments', 'exclusion_zones', 'exclusion_zone_reasons', 'client_unsuitable_facilities',
  'unmet_needs', 'placements', 'placement_persons', 'audit_log'];

describe('no exact location in any response without a reveal', () => {
  it.each<Actor>(['anon', 'coordinator', 'staff', 'staff2', 'caseworker', 'admin', 'auditor'])('as %s: tables and reading RPCs', async (actor) => {
    const supabase = await clientFor(actor);
    for (const table of tables) {
      const { data } = await supabase.from(table).select('*').limit(1000);
      expect(leaks(data), `${table} leaks the exact location to ${actor}`).toBe(false);
    }
    const availability = await supabase.rpc('facility_availability');
    expect(leaks(availability)).toBe(false);
    const forecast = await supabase.rpc('facility_forecast', { facility_id: facility });
    expect(leaks(forecast)).toBe(false);
    const client = await scratchClient();
    const search = await supabase.rpc('safe_place_search', { client_id: client.id, ref_lon: SECRET_LON, ref_lat: SECRET_LAT });
    const searchWithoutReference = JSON.stringify(search.data ?? []).replaceAll(String(SECRET_LON), '').replaceAll(String(SECRET_LAT), '');
    expect(searchWithoutReference.includes(secretStreet)).toBe(false);
    expect(JSON.stringify(search.data ?? []).includes(String(SECRET_LON))).toBe(false);
  });

  it('the approximate position is the municipality centre, and the distance band comes from it', async () => {
    const coordinator = await clientFor('coordinator');
    const { data } = await coordinator.rpc('facility_availability');
    const row = (data as { facility_id: string; approx_lon: number; approx_lat: number }[]).find((r) => r.facility_id === facility)!;
    expect([row.approx_lon, row.approx_lat]).toEqual([24.9384, 60.1699]);
  });
});

describe('reveal_facility_location', () => {
  async function reveal(actor: Actor, target = facility, reason: string | null = 'Kuljetus iltapäivällä') {
    const supabase = await clientFor(actor);
    return supabase.rpc('reveal_facility_location', { facility_id: target, reason });
  }

  it('coordinators and the facility\'s own staff get it, logged with the reason; the log shows no location', async () => {
    const since = Number((await one<{ id: string }>('select coalesce(max(id), 0) as id from public.audit_log')).id);
    const byCoordinator = await reveal('coordinator');
    expect(byCoordinator.error).toBeNull();
    expect(byCoordinator.data).toEqual([{ street_address: secretStreet, postal_code: '00990', lon: SECRET_LON, lat: SECRET_LAT }]);
    expect((await reveal('staff')).error).toBeNull();
    const logged = await db().query('select actor_id, actor_role, action, facility_id, reason from public.audit_log where id > $1 order by id', [since]);
    expect(logged.rows).toEqual([
      { actor_id: demoUsers.coordinator.id, actor_role: 'coordinator', action: 'reveal_location', facility_id: facility, reason: 'Kuljetus iltapäivällä' },
      { actor_id: demoUsers.staff.id, actor_role: 'facility_staff', action: 'reveal_location', facility_id: facility, reason: 'Kuljetus iltapäivällä' },
    ]);
    const auditor = await clientFor('auditor');
    const trail = await auditor.from('audit_log').select('*').eq('facility_id', facility);
    expect(trail.data!.length).toBeGreaterThan(2);
    expect(leaks(trail.data)).toBe(false);
  });

  it('refuses without a reason, other facilities\' staff, admins and auditors, and changes nothing', async () => {
    const count = async () => (await one<{ n: number }>("select count(*)::int as n from public.audit_log where action = 'reveal_location'")).n;
    const before = await count();
    expect((await reveal('coordinator', facility, ' ')).error?.message).toBe('reason_required');
    expect((await reveal('staff2')).error?.message).toBe('facility_not_found');
    expect((await reveal('admin')).error?.message).toBe('not_allowed');
    expect((await reveal('auditor')).error?.message).toBe('not_allowed');
    expect((await reveal('caseworker2')).error?.message).toBe('facility_not_found');
    expect((await reveal('coordinator', randomUUID())).error?.message).toBe('facility_not_found');
    for (const result of [await reveal('staff2'), await reveal('admin')]) expect(leaks(result)).toBe(false);
    expect(await count()).toBe(before);
  });

  it('caseworkers: an assigned client\'s current facility at level <= 3; level 4 -> contact_coordinator', async () => {
    const allowed = await reveal('caseworker');
    expect(allowed.error).toBeNull();
    expect(allowed.data[0].street_address).toBe(secretStreet);

    const critical = await scratchFacility({ rating: 4 });
    const client = await scratchClient({ level: 4, caseworker: demoUsers.caseworker.id });
    await db().query(
      `insert into public.placements (client_id, facility_id, status, persons, safety_level, planned_arrival, arrived_at)
       values ($1, $2, 'active', 1, 4, current_date, now())`, [client.id, critical]);
    const refused = await reveal('caseworker', critical);
    expect(refused.error?.message).toBe('contact_coordinator');
    expect(leaks(refused)).toBe(false);

    // a former facility is not the current one
    const former = await scratchFacility({ rating: 2 });
    const moved = await scratchClient({ level: 1, caseworker: demoUsers.caseworker.id });
    await db().query(
      `insert into public.placements (client_id, facility_id, status, persons, safety_level, planned_arrival, arrived_at, ended_at, end_reason)
       values ($1, $2, 'ended', 1, 1, current_date - 10, now() - interval '10 days', now() - interval '1 day', 'Muutti')`, [moved.id, former]);
    expect((await reveal('caseworker', former)).error?.message).toBe('not_allowed');
  });
});

function subscribe(supabase: SupabaseClient, topic: string): Promise<{ channel: RealtimeChannel; status: string; received: unknown[] }> {
  return new Promise((resolve) => {
    const received: unknown[] = [];
    const channel = supabase.channel(topic, { config: { private: true } });
    channel.on('broadcast', { event: '*' }, (message) => received.push(message));
    channel.subscribe((status) => {
      if (status !== 'CLOSED') resolve({ channel, status, received });
    });
  });
}

async function waitFor(check: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 100 && !check(); i++) await new Promise((r) => setTimeout(r, 100));
  if (!check()) throw new Error(`never saw ${what}`);
}

describe('realtime', () => {
  it('staff on the availability topic get the new counts of a capacity change, without any location or client data', async () => {
    const staff = await clientFor('staff2');
    await staff.realtime.setAuth();
    const { status, received } = await subscribe(staff, 'availability');
    expect(status).toBe('SUBSCRIBED');

    const target = await scratchFacility({ members: [demoUsers.staff.id], capacity: 4, lon: SECRET_LON, lat: SECRET_LAT });
    const staffOfTarget = await clientFor('staff');
    expect((await staffOfTarget.rpc('update_capacity', { facility_id: target, capacity: 6, out_of_service: 0, out_of_service_reason: null, occupied_by_others: 1 })).error).toBeNull();
    // setting the facility up broadcast its first figures too; the update is the one with capacity 6
    const isUpdate = (m: unknown) => (m as { payload: { facility_id: string; capacity: number } }).payload.facility_id === target
      && (m as { payload: { capacity: number } }).payload.capacity === 6;
    await waitFor(() => received.some(isUpdate), 'the availability broadcast');
    const message = received.find(isUpdate) as { event: string; payload: Record<string, unknown> };
    expect(message.event).toBe('availability_changed');
    expect(message.payload).toMatchObject({ facility_id: target, capacity: 6, free_places: 5, status: 'free' });
    // Realtime adds the message's own `id` to database broadcasts, as hosted does
    expect(Object.keys(message.payload).filter((key) => key !== 'id').sort()).toEqual(['capacity', 'facility_id', 'free_places', 'last_confirmed_at', 'last_confirmed_role', 'over_occupied', 'status']);
    expect(leaks(received)).toBe(false);
  });

  it('caseworkers and auditors cannot join the availability topic', async () => {
    for (const actor of ['caseworker', 'auditor'] as const) {
      const supabase = await clientFor(actor);
      await supabase.realtime.setAuth();
      const { status } = await subscribe(supabase, 'availability');
      expect(status, `${actor} joining availability`).not.toBe('SUBSCRIBED');
    }
  });

  it('a facility\'s hold events reach its members and not other facilities\' staff', async () => {
    const target = await scratchFacility({ members: [demoUsers.staff.id] });
    const member = await clientFor('staff');
    await member.realtime.setAuth();
    const own = await subscribe(member, `facility:${target}`);
    expect(own.status).toBe('SUBSCRIBED');
    const outsider = await clientFor('staff2');
    await outsider.realtime.setAuth();
    const foreign = await subscribe(outsider, `facility:${target}`);
    expect(foreign.status).not.toBe('SUBSCRIBED');

    const client = await scratchClient();
    const coordinator = await clientFor('coordinator');
    const held = await coordinator.rpc('place_hold', {
      client_id: client.id, facility_id: target, persons: [client.id], planned_arrival: helsinkiDate(), planned_end: null,
      hold_expires_at: hoursFromNow(6), idempotency_key: randomUUID(),
    });
    expect(held.error).toBeNull();
    await waitFor(() => own.received.some((m) => JSON.stringify(m).includes(held.data.id)), 'the hold event');
    const message = own.received.find((m) => JSON.stringify(m).includes(held.data.id)) as { event: string; payload: Record<string, unknown> };
    expect(message.event).toBe('placement_changed');
    expect(message.payload).toMatchObject({ placement_id: held.data.id, facility_id: target, status: 'hold', persons: 1 });
    expect(JSON.stringify(message.payload)).not.toContain(client.id);
    expect(foreign.received).toEqual([]);
  });
});
