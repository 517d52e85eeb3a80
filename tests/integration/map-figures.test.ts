// The map's data in two parts (20261202000400_map_figures.sql): map_facilities() once per page,
// map_figures() on every refresh, joined in the browser while their versions match
// (src/lib/map/facilities.ts). Joined, they must say exactly what map_availability() says, for
// every facility and every field, status and staleness included (those are derived in the
// browser); the version must hold through figure changes and move with any change to the
// facilities themselves, or the map would show stale names or misplace figures.
import { randomUUID } from 'node:crypto';
import type { SupabaseClient } from '@supabase/supabase-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  availabilityRows, createAvailabilityLoader, decodeMapFacilities, decodeMapFigures, mergeMapData, normaliseInstant,
  type FacilityAvailability,
} from '../../src/lib/map/facilities.ts';
import {
  clientFor, closeDb, db, demoUsers, helsinkiDate, hoursFromNow, one, scratchClient, scratchFacility, signOutAll,
} from './support/stack.ts';

const SECRET_LON = 24.987655;
const SECRET_LAT = 60.212346;

const byId = (a: FacilityAvailability, b: FacilityAvailability) => (a.facility_id < b.facility_id ? -1 : a.facility_id > b.facility_id ? 1 : 0);

/** The map's rows (map_facilities + map_figures, joined) next to map_availability()'s, both by id. */
async function bothWays(supabase: SupabaseClient) {
  const [facilities, figures] = await Promise.all([supabase.rpc('map_facilities'), supabase.rpc('map_figures')]);
  const reference = await supabase.rpc('map_availability');
  expect(facilities.error).toBeNull();
  expect(figures.error).toBeNull();
  expect(reference.error).toBeNull();
  const decoded = decodeMapFacilities(facilities.data);
  const decodedFigures = decodeMapFigures(figures.data);
  expect(decodedFigures.version, 'both halves describe the same facilities').toBe(decoded.version);
  return {
    map: mergeMapData(decoded, decodedFigures, new Date()).sort(byId),
    // the database's JSON spells instants with microseconds; the map keeps milliseconds
    reference: availabilityRows(reference.data)
      .map((row) => ({ ...row, last_confirmed_at: normaliseInstant(row.last_confirmed_at) }))
      .sort(byId),
  };
}

async function version(supabase: SupabaseClient, fn: 'map_facilities' | 'map_figures' = 'map_figures'): Promise<string> {
  const { data, error } = await supabase.rpc(fn);
  expect(error).toBeNull();
  return (data as { version: string }).version;
}

/** A client for the loader that records which functions it called. */
function recording(supabase: SupabaseClient) {
  const calls: string[] = [];
  const client = { rpc: (name: string) => (calls.push(name), supabase.rpc(name)) } as unknown as SupabaseClient;
  return { client, calls };
}

let coordinator: SupabaseClient;
let staff: SupabaseClient;
let admin: SupabaseClient;
let staffFacility: string;
let secretStreet: string;

beforeAll(async () => {
  [coordinator, staff, admin] = await Promise.all([clientFor('coordinator'), clientFor('staff'), clientFor('admin')]);
  staffFacility = await scratchFacility({ members: [demoUsers.staff.id], capacity: 12, lon: SECRET_LON, lat: SECRET_LAT });
  secretStreet = (await one<{ street_address: string }>('select street_address from public.facility_locations where facility_id = $1', [staffFacility])).street_address;

  // every status, so the browser's rule is compared with the database's on each of them
  const over = await scratchFacility({ capacity: 1 });
  const resident = await scratchClient({ children: [{ birthYear: 2019, gender: 'female' }] });
  await db().query(
    `insert into public.placements (client_id, facility_id, status, persons, safety_level, planned_arrival, arrived_at)
     values ($1, $2, 'active', 2, 1, current_date, now())`, [resident.id, over]);
  await scratchFacility({ capacity: 5, active: false });
  const stale = await one<{ id: string }>(
    `insert into public.facilities (name, kind, operator, municipality_code, security_rating) values ($1, 'shelter', 'Testi', '091', 2) returning id`,
    [`Vanhentunut ${randomUUID().slice(0, 8)}`]);
  await db().query(
    `insert into public.capacity_reports (facility_id, kind, capacity, reported_role, reported_at)
     values ($1, 'update', 6, 'coordinator', now() - interval '3 days')`, [stale.id]);
  // never reported: no capacity, no confirmation
  await db().query(
    `insert into public.facilities (name, kind, operator, municipality_code, security_rating) values ($1, 'shelter', 'Testi', '564', 2)`,
    [`Raportoimaton ${randomUUID().slice(0, 8)}`]);
});

afterAll(async () => {
  await signOutAll();
  await closeDb();
});

describe('the map’s two requests, joined', () => {
  it('give the coordinator exactly the rows of map_availability(), every field and status included', async () => {
    const { map, reference } = await bothWays(coordinator);
    expect(map.length).toBeGreaterThan(5);
    expect(map).toEqual(reference);
    expect(new Set(map.map((row) => row.status))).toEqual(new Set(['free', 'few', 'full', 'over', 'stale', 'closed']));
    expect(map.some((row) => row.capacity === null && row.last_confirmed_at === null)).toBe(true);
  });

  it('give facility staff exactly the rows of map_availability(), their own facility among them', async () => {
    const { map, reference } = await bothWays(staff);
    expect(map).toEqual(reference);
    expect(map.map((row) => row.facility_id)).toContain(staffFacility);
  });

  it('let a caseworker see only their clients’ facilities, and change the version when a client moves in elsewhere', async () => {
    const caseworker = await clientFor('caseworker');
    const { map, reference } = await bothWays(caseworker);
    expect(map).toEqual(reference);
    const table = await caseworker.rpc('facility_availability').select('facility_id');
    expect(map.map((row) => row.facility_id).sort()).toEqual((table.data as { facility_id: string }[]).map((row) => row.facility_id).sort());
    expect(map.map((row) => row.facility_id)).not.toContain(staffFacility);

    const before = await version(caseworker);
    const client = await scratchClient({ caseworker: demoUsers.caseworker.id });
    await db().query(
      `insert into public.placements (client_id, facility_id, status, persons, safety_level, planned_arrival, arrived_at)
       values ($1, $2, 'active', 1, 1, current_date, now())`, [client.id, staffFacility]);
    expect(await version(caseworker)).not.toBe(before);
    const after = await bothWays(caseworker);
    expect(after.map).toEqual(after.reference);
    expect(after.map.map((row) => row.facility_id)).toContain(staffFacility);
  });

  it('never carry an exact position', async () => {
    const [facilities, figures] = await Promise.all([coordinator.rpc('map_facilities'), coordinator.rpc('map_figures')]);
    const text = JSON.stringify(facilities.data) + JSON.stringify(figures.data);
    expect(text).toContain(staffFacility);
    for (const secret of [String(SECRET_LON), String(SECRET_LAT), secretStreet]) expect(text).not.toContain(secret);
  });

  it('are refused to anyone without a map: no execute for anon, not_allowed for an auditor', async () => {
    const anon = await clientFor('anon');
    const auditor = await clientFor('auditor');
    for (const fn of ['map_facilities', 'map_figures']) {
      const { error } = await anon.rpc(fn);
      expect(error?.code, `anon must not be able to call ${fn}`).toMatch(/^(42501|PGRST202)$/);
      const refused = await auditor.rpc(fn);
      expect(refused.error?.message, `an auditor calling ${fn}`).toBe('not_allowed');
    }
  });
});

describe('the version', () => {
  it('is the same in both functions, and holds through a capacity report and a hold, whose figures the next refresh brings alone', async () => {
    const { client, calls } = recording(coordinator);
    const load = createAvailabilityLoader(client);
    const first = await load();
    expect(calls).toEqual(['map_facilities', 'map_figures']);
    const freeRaw = async () => (await one<{ free_raw: number }>('select free_raw from private.facility_figures_all(null) where facility_id = $1', [staffFacility])).free_raw;
    expect(first.find((row) => row.facility_id === staffFacility)).toMatchObject({ capacity: 12, free_places: await freeRaw() });
    const start = await version(coordinator);
    expect(await version(coordinator, 'map_facilities')).toBe(start);

    const reported = await staff.rpc('update_capacity', { facility_id: staffFacility, capacity: 15, out_of_service: 1, out_of_service_reason: 'Remontti', occupied_by_others: 0 });
    expect(reported.error).toBeNull();
    const guest = await scratchClient();
    const held = await coordinator.rpc('place_hold', {
      client_id: guest.id, facility_id: staffFacility, persons: [guest.id], planned_arrival: helsinkiDate(), planned_end: null,
      hold_expires_at: hoursFromNow(24), idempotency_key: randomUUID(),
    });
    expect(held.error).toBeNull();
    expect(await version(coordinator)).toBe(start);
    expect(await version(coordinator, 'map_facilities')).toBe(start);

    const refreshed = await load();
    expect(calls.slice(2)).toEqual(['map_figures']);
    expect(refreshed.find((row) => row.facility_id === staffFacility)).toMatchObject({
      capacity: 15, free_places: await freeRaw(), last_confirmed_role: 'facility_staff', is_stale: false,
    });
  });

  it('changes when an administrator renames a facility, and the map then shows the new name', async () => {
    const { client, calls } = recording(coordinator);
    const load = createAvailabilityLoader(client);
    await load();
    const before = await version(coordinator);
    const name = `Uusi nimi ${randomUUID().slice(0, 8)}`;
    const { error } = await admin.from('facilities').update({ name }).eq('id', staffFacility);
    expect(error).toBeNull();
    const after = await version(coordinator);
    expect(after).not.toBe(before);
    expect(await version(coordinator, 'map_facilities')).toBe(after);

    const rows = await load();
    expect(calls.slice(2)).toEqual(['map_figures', 'map_facilities']);
    expect(rows.find((row) => row.facility_id === staffFacility)?.name).toBe(name);
  });

  it('changes when a facility is added, and the map then shows it', async () => {
    const load = createAvailabilityLoader(coordinator);
    await load();
    const before = await version(coordinator);
    const added = await scratchFacility({ capacity: 3 });
    expect(await version(coordinator)).not.toBe(before);
    expect((await load()).find((row) => row.facility_id === added)).toMatchObject({ capacity: 3, free_places: 3, status: 'free' });
  });
});
