// The fast paths (20261202000100_fast_availability_search.sql) must say exactly what the
// per-facility helpers say: private.facility_figures() for free places and
// private.fit_refusals() for the fit rules, which the write RPCs (place_hold, move_client) use.
// Figures that triggers keep (private.facility_base_figures) are checked against a recount, and the
// clock-dependent parts (a hold past its deadline that nobody marked expired, places in
// turnaround) against the helpers, after a mix of writes made directly in the tables.
import { randomUUID } from 'node:crypto';
import type { SupabaseClient } from '@supabase/supabase-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { availabilityRows, type FacilityAvailability } from '../../src/lib/map/facilities.ts';
import { clientFor, closeDb, db, helsinkiDate, one, rows, scratchClient, scratchFacility, signOutAll } from './support/stack.ts';

let coordinator: SupabaseClient;

beforeAll(async () => {
  coordinator = await clientFor('coordinator');
});

afterAll(async () => {
  await signOutAll();
  await closeDb();
});

/** A placement written straight into the table, as a bulk tool or a repair would (triggers still fire). */
async function placement(values: {
  client: string; facility: string; status: 'active' | 'hold' | 'accepted' | 'ended'; persons?: number;
  arrival?: string; plannedEnd?: string | null; holdExpiresAt?: string | null; endedHoursAgo?: number;
}): Promise<string> {
  const row = await one<{ id: string }>(
    `insert into public.placements (client_id, facility_id, status, persons, safety_level, planned_arrival, planned_end,
                                    hold_expires_at, arrived_at, ended_at)
     values ($1, $2, $3::public.placement_status, $4, 1, $5, $6, $7,
             case when $3::text in ('active', 'ended') then now() - interval '30 days' end,
             case when $3::text = 'ended' then now() - make_interval(hours => $8::int) end)
     returning id`,
    [values.client, values.facility, values.status, values.persons ?? 1, values.arrival ?? helsinkiDate(-10),
     values.plannedEnd ?? null, values.holdExpiresAt ?? null, values.endedHoursAgo ?? 0],
  );
  return row.id;
}

/** A facility whose only capacity report is two days old (scratchFacility reports just now). */
async function staleFacility(name: string): Promise<string> {
  const row = await one<{ id: string }>(
    `insert into public.facilities (name, kind, operator, municipality_code, security_rating, takes_children)
     values ($1, 'shelter', 'Testi', '091', 4, true) returning id`, [name]);
  await db().query(
    `insert into public.capacity_reports (facility_id, kind, capacity, reported_role, reported_at)
     values ($1, 'update', 10, 'coordinator', now() - interval '2 days')`, [row.id]);
  return row.id;
}

const FIGURE_COLUMNS = 'facility_id, capacity, out_of_service, occupied_by_others, occupied, held, in_turnaround, free_raw, last_confirmed_at, last_confirmed_role';

/** Rows where the set-based figures differ from private.facility_figures(), compared in one snapshot. */
async function figureDisagreements(onDate: string | null) {
  return rows(
    `with fast as (select ${FIGURE_COLUMNS} from private.facility_figures_all($1::date)),
          reference as (select ${FIGURE_COLUMNS} from private.facility_figures(null, $1::date))
     select 'fast' as side, * from (select * from fast except select * from reference) a
     union all
     select 'reference', * from (select * from reference except select * from fast) b`,
    [onDate],
  );
}

describe('free places on the fast path', () => {
  let busy: string;
  let other: string;

  beforeAll(async () => {
    busy = await scratchFacility({ capacity: 20, turnaroundHours: 24 });
    other = await scratchFacility({ capacity: 8, turnaroundHours: 0 });
    const clients = await Promise.all(Array.from({ length: 8 }, () => scratchClient()));
    const [a, b, c, d, e, f, g, h] = clients.map((client) => client.id) as [string, string, string, string, string, string, string, string];

    // a later report first, then one dated earlier: the later one stays current
    await db().query(
      `insert into public.capacity_reports (facility_id, kind, capacity, out_of_service, out_of_service_reason, occupied_by_others, reported_role)
       values ($1, 'update', 18, 2, 'Remontti', 1, 'facility_staff')`,
      [busy],
    );
    await db().query(
      `insert into public.capacity_reports (facility_id, kind, capacity, reported_role, reported_at) values ($1, 'update', 30, 'coordinator', now() - interval '3 days')`,
      [busy],
    );
    await placement({ client: a, facility: busy, status: 'active', persons: 3, plannedEnd: helsinkiDate(4) });
    const grows = await placement({ client: b, facility: busy, status: 'active', persons: 1 });
    await db().query('update public.placements set persons = 2 where id = $1', [grows]);
    // an open hold, one from a later arrival, and one past its deadline that no job has marked expired
    await placement({ client: c, facility: busy, status: 'hold', persons: 2, arrival: helsinkiDate(6), holdExpiresAt: new Date(Date.now() + 86_400_000).toISOString() });
    await placement({ client: d, facility: busy, status: 'accepted', persons: 1, arrival: helsinkiDate(), holdExpiresAt: new Date(Date.now() + 3_600_000).toISOString() });
    const overdue = await placement({ client: e, facility: busy, status: 'hold', persons: 4, arrival: helsinkiDate(), holdExpiresAt: new Date(Date.now() + 3_600_000).toISOString() });
    await db().query(`update public.placements set hold_expires_at = now() - interval '1 minute' where id = $1`, [overdue]);
    // ended within the turnaround, and long enough ago to count again
    await placement({ client: f, facility: busy, status: 'ended', persons: 2, endedHoursAgo: 3 });
    await placement({ client: g, facility: busy, status: 'ended', persons: 5, endedHoursAgo: 30 });
    // an active placement ended, one moved to another facility, one deleted
    const ending = await placement({ client: h, facility: other, status: 'active', persons: 2 });
    await db().query(`update public.placements set status = 'ended', ended_at = now() where id = $1`, [ending]);
    const moving = await placement({ client: g, facility: busy, status: 'active', persons: 1 });
    await db().query('update public.placements set facility_id = $2 where id = $1', [moving, other]);
    const removed = await placement({ client: f, facility: other, status: 'active', persons: 3 });
    await db().query('delete from public.placements where id = $1', [removed]);
  });

  it('keeps the figures maintained by triggers equal to a recount from the tables, for every facility', async () => {
    const drift = await rows(`
      with recount as (
        select f.id as facility_id, r.id as report_id, r.capacity, r.out_of_service, r.occupied_by_others, r.reported_at, r.reported_role,
               coalesce((select sum(p.persons)::int from public.placements p where p.facility_id = f.id and p.status = 'active'), 0) as occupied
        from public.facilities f
        left join lateral (select * from public.capacity_reports cr where cr.facility_id = f.id order by cr.reported_at desc, cr.id desc limit 1) r on true
      ),
      kept as (select facility_id, report_id, capacity, out_of_service, occupied_by_others, reported_at, reported_role, occupied from private.facility_base_figures)
      select 'kept' as side, * from (select * from kept except select * from recount) a
      union all select 'recount', * from (select * from recount except select * from kept) b`);
    expect(drift, 'facilities whose kept figures differ from a recount').toEqual([]);
  });

  it('agrees with facility_figures() now, for every facility, including an overdue hold and turnaround', async () => {
    expect(await figureDisagreements(null)).toEqual([]);
    const busyFigures = await one<Record<string, number>>('select * from private.facility_figures_all(null) where facility_id = $1', [busy]);
    // 18 - 2 out of service - 1 others - (3 + 2) active - (2 + 1) held (not the overdue 4) - 2 in turnaround
    expect(busyFigures).toMatchObject({ capacity: 18, occupied: 5, held: 3, in_turnaround: 2, free_raw: 5 });
    const otherFigures = await one<Record<string, number>>('select * from private.facility_figures_all(null) where facility_id = $1', [other]);
    expect(otherFigures).toMatchObject({ capacity: 8, occupied: 1, held: 0, in_turnaround: 0, free_raw: 7 });
  });

  it('agrees with facility_figures() on future dates, for every facility', async () => {
    for (const days of [1, 5, 7, 40]) {
      expect(await figureDisagreements(helsinkiDate(days)), `${days} days ahead`).toEqual([]);
    }
  });

  it('gives the map, in one request, the same rows facility_availability() gives', async () => {
    const mine = [busy, other];
    const [map, table] = await Promise.all([
      coordinator.rpc('map_availability'),
      coordinator.rpc('facility_availability').in('facility_id', mine),
    ]);
    expect(map.error).toBeNull();
    expect(table.error).toBeNull();
    const mapRows = availabilityRows(map.data).filter((row) => mine.includes(row.facility_id));
    const fields = Object.keys(mapRows[0]!) as (keyof FacilityAvailability)[];
    const expected = (table.data as unknown as FacilityAvailability[]).map((row) => Object.fromEntries(fields.map((field) => [field, row[field]])));
    expect(mapRows).toEqual(expect.arrayContaining(expected));
    expect(mapRows).toHaveLength(2);
  });

  it('sends every facility to the coordinator, each once', async () => {
    // other files only add facilities meanwhile (or remove ones they just made)
    const before = await one<{ n: number }>('select count(*)::int as n from public.facilities');
    const { data, error } = await coordinator.rpc('map_availability');
    const after = await one<{ n: number }>('select count(*)::int as n from public.facilities');
    expect(error).toBeNull();
    const ids = availabilityRows(data).map((row) => row.facility_id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids.length).toBeGreaterThanOrEqual(before.n - 5);
    expect(ids.length).toBeLessThanOrEqual(after.n);
  });

  it('lets caseworkers see only their clients’ facilities, and auditors nothing', async () => {
    const caseworker = await clientFor('caseworker');
    const [map, table] = await Promise.all([caseworker.rpc('map_availability'), caseworker.rpc('facility_availability')]);
    expect(map.error).toBeNull();
    const seen = availabilityRows(map.data).map((row) => row.facility_id).sort();
    expect(seen).toEqual((table.data as { facility_id: string }[]).map((row) => row.facility_id).sort());
    expect(seen).not.toContain(busy);
    const auditor = await clientFor('auditor');
    const refused = await auditor.rpc('map_availability');
    expect(refused.error?.message).toBe('not_allowed');
  });
});

describe('safe-place search on the fast path', () => {
  interface SearchRow {
    facility_id: string; name: string; suitable: boolean; refusals: string[]; refusal_details: Record<string, unknown>[];
    free_places: number; status: string; is_stale: boolean; distance_band: string | null; rank: number;
    language_match: boolean; accessibility_match: boolean; pets_match: boolean; capacity: number | null;
  }
  interface Reference {
    facility_id: string; name: string; fit: Record<string, unknown>[]; now_raw: number; day_raw: number; capacity: number | null;
    confirmed_at: string | null; km: number | null; band: string | null; lang_ok: boolean; access_ok: boolean; pets_ok: boolean; status: string;
  }

  /**
   * What the old search said for these facilities, from the per-facility helpers: the fit rules,
   * then not_enough_places on the smaller of today's and the arrival day's figure; ranked by the
   * old order.
   */
  async function reference(client: { id: string; children: string[] }, facilities: string[], arrival: string, ref: [number, number] | null) {
    const refs = await rows<Reference>(
      `select f.id as facility_id, f.name, private.fit_refusals($1, f.id, $3, $4::date) as fit,
              n.free_raw as now_raw, d.free_raw as day_raw, n.capacity, n.last_confirmed_at as confirmed_at,
              case when $5::float8 is not null then private.distance_km($5, $6, mu.centre_lon, mu.centre_lat) end as km,
              private.distance_band(case when $5::float8 is not null then private.distance_km($5, $6, mu.centre_lon, mu.centre_lat) end) as band,
              (cardinality(c.languages) = 0 or f.staff_languages && c.languages) as lang_ok,
              (not c.needs_accessibility or f.wheelchair_access) as access_ok,
              (not c.needs_pets or f.pets_allowed) as pets_ok,
              private.availability_status(f.active, n.capacity, least(n.free_raw, d.free_raw), n.last_confirmed_at) as status
         from public.facilities f
         join public.municipalities mu on mu.code = f.municipality_code
         join public.clients c on c.id = $1
         cross join lateral private.facility_figures(array[f.id], null) n
         cross join lateral private.facility_figures(array[f.id], $4::date) d
        where f.id = any ($2::uuid[])`,
      [client.id, facilities, client.children, arrival, ref?.[0] ?? null, ref?.[1] ?? null],
    );
    const persons = 1 + client.children.length;
    const expected = refs.map((r) => {
      const free = Math.min(r.now_raw, r.day_raw);
      const refusals = [...r.fit, ...(r.capacity === null || free < persons ? [{ code: 'not_enough_places', free: Math.max(free, 0), requested: persons }] : [])];
      const fresh = r.confirmed_at !== null && new Date(r.confirmed_at).getTime() >= Date.now() - 86_400_000;
      return { ...r, free, refusals, fresh };
    });
    const compare = (x: typeof expected[number], y: typeof expected[number]): number =>
      Number(y.refusals.length === 0) - Number(x.refusals.length === 0) ||
      (Number(y.lang_ok) + Number(y.access_ok) + Number(y.pets_ok)) - (Number(x.lang_ok) + Number(x.access_ok) + Number(x.pets_ok)) ||
      Number(y.fresh) - Number(x.fresh) ||
      Number(x.km === null) - Number(y.km === null) ||
      Math.floor((x.km ?? 0) / 25) - Math.floor((y.km ?? 0) / 25) ||
      y.free - x.free ||
      (x.name < y.name ? -1 : x.name > y.name ? 1 : 0) ||
      (x.facility_id < y.facility_id ? -1 : 1);
    return expected.sort(compare);
  }

  async function search(client: { id: string }, arrival: string, ref: [number, number] | null): Promise<SearchRow[]> {
    const { data, error } = await coordinator.rpc('safe_place_search', {
      client_id: client.id, arrival_date: arrival, ...(ref ? { ref_lon: ref[0], ref_lat: ref[1] } : {}),
    });
    expect(error).toBeNull();
    return data as SearchRow[];
  }

  it('gives every facility the old reasons, free places and ranking, now and on a later arrival day', async () => {
    const thisYear = Number(helsinkiDate().slice(0, 4));
    const client = await scratchClient({ level: 3, gender: 'female', children: [{ birthYear: thisYear - 14, gender: 'male' }, { birthYear: thisYear - 4, gender: 'female' }] });
    const facilities = await Promise.all([
      scratchFacility({ name: `Nopea A ${randomUUID().slice(0, 6)}`, rating: 4, capacity: 10 }),
      scratchFacility({ name: `Nopea B ${randomUUID().slice(0, 6)}`, rating: 3, capacity: 3, municipality: '564', lon: 25.47, lat: 65.01 }),
      scratchFacility({ name: `Nopea C ${randomUUID().slice(0, 6)}`, rating: 2 }),
      scratchFacility({ name: `Nopea D ${randomUUID().slice(0, 6)}`, active: false }),
      scratchFacility({ name: `Nopea E ${randomUUID().slice(0, 6)}`, gender: 'men' }),
      scratchFacility({ name: `Nopea F ${randomUUID().slice(0, 6)}`, takesChildren: false }),
      scratchFacility({ name: `Nopea G ${randomUUID().slice(0, 6)}`, boysMaxAge: 12 }),
      // exact position inside the point zone, municipality centre (Espoo) outside it
      scratchFacility({ name: `Nopea H ${randomUUID().slice(0, 6)}`, municipality: '049', lon: 24.93, lat: 60.17 }),
      scratchFacility({ name: `Nopea I ${randomUUID().slice(0, 6)}`, municipality: '837', lon: 23.76, lat: 61.5 }),
      scratchFacility({ name: `Nopea J ${randomUUID().slice(0, 6)}`, capacity: 2, turnaroundHours: 48 }),
      staleFacility(`Nopea K ${randomUUID().slice(0, 6)}`),
      scratchFacility({ name: `Nopea L ${randomUUID().slice(0, 6)}`, capacity: 12, municipality: '091', lon: 24.95, lat: 60.2 }),
    ]);
    const at = (index: number): string => {
      const id = facilities[index];
      if (!id) throw new Error(`the test needs facility ${index}`);
      return id;
    };
    const [a, b, j, k, l] = [at(0), at(1), at(9), at(10), at(11)];
    await db().query(
      `insert into public.exclusion_zones (client_id, kind, lon, lat, radius_km) values ($1, 'point', 24.94, 60.17, 3)`, [client.id]);
    await db().query(`insert into public.exclusion_zones (client_id, kind, municipality_code) values ($1, 'municipality', '837')`, [client.id]);
    await db().query(`insert into public.client_unsuitable_facilities (client_id, facility_id, reason) values ($1, $2, 'Paljastunut')`, [client.id, l]);
    await db().query(`update public.clients set languages = '{sv}', needs_pets = true where id = $1`, [client.id]);
    await db().query(`update public.facilities set staff_languages = '{fi,sv}', pets_allowed = true where id = $1`, [b]);
    // places that free up before a later arrival, a hold that starts later, places in turnaround
    const others = await Promise.all(Array.from({ length: 3 }, () => scratchClient()));
    await placement({ client: others[0]!.id, facility: a, status: 'active', persons: 8, plannedEnd: helsinkiDate(3) });
    await placement({ client: others[1]!.id, facility: k, status: 'hold', persons: 3, arrival: helsinkiDate(8), holdExpiresAt: new Date(Date.now() + 86_400_000).toISOString() });
    await placement({ client: others[2]!.id, facility: j, status: 'ended', persons: 1, endedHoursAgo: 2 });

    for (const [arrival, ref] of [[helsinkiDate(), [25.66, 60.98]], [helsinkiDate(10), null], [helsinkiDate(1), [24.94, 60.17]]] as [string, [number, number] | null][]) {
      const [results, expected] = await Promise.all([search(client, arrival, ref), reference(client, facilities, arrival, ref)]);
      expect(results.map((row) => row.rank)).toEqual(results.map((_, index) => index + 1));
      const mine = results.filter((row) => facilities.includes(row.facility_id));
      expect(mine.map((row) => row.name), `ranking on ${arrival}`).toEqual(expected.map((row) => row.name));
      expect(mine.map((row) => ({
        facility_id: row.facility_id, refusal_details: row.refusal_details, refusals: row.refusals, suitable: row.suitable,
        free_places: row.free_places, status: row.status, distance_band: row.distance_band,
        language_match: row.language_match, accessibility_match: row.accessibility_match, pets_match: row.pets_match,
      }))).toEqual(expected.map((row) => ({
        facility_id: row.facility_id, refusal_details: row.refusals, refusals: row.refusals.map((r) => r.code), suitable: row.refusals.length === 0,
        free_places: Math.max(row.free, 0), status: row.status, distance_band: row.band,
        language_match: row.lang_ok, accessibility_match: row.access_ok, pets_match: row.pets_ok,
      })));
    }
    // the rules that the scratch facilities were made to break, each at least once
    const codes = new Set((await search(client, helsinkiDate(), null)).filter((row) => facilities.includes(row.facility_id)).flatMap((row) => row.refusals));
    expect([...codes].sort()).toEqual(['boy_too_old', 'facility_inactive', 'gender_policy', 'inside_exclusion_zone', 'marked_unsuitable', 'no_children', 'not_enough_places', 'rating_too_low']);
  });

  it('returns every facility in one JSON value: the suitable in full, the others with every reason', async () => {
    const client = await scratchClient({ level: 2 });
    const table = await search(client, helsinkiDate(2), null);
    const { data, error } = await coordinator.rpc('safe_place_search_results', { client_id: client.id, arrival_date: helsinkiDate(2) });
    expect(error).toBeNull();
    const result = data as { suitable: SearchRow[]; excluded: { facility_id: string; name: string; municipality_code: string; is_stale: boolean; refusal_details: unknown[] }[] };
    // every facility the table form listed is there (unless another file removed it meanwhile)
    const listed = new Set([...result.suitable, ...result.excluded].map((row) => row.facility_id));
    const missing = table.filter((row) => !listed.has(row.facility_id)).map((row) => row.facility_id);
    expect((await one<{ n: number }>('select count(*)::int as n from public.facilities where id = any ($1::uuid[])', [missing])).n).toBe(0);
    expect(listed.size).toBe(result.suitable.length + result.excluded.length);
    expect(result.suitable.length).toBeGreaterThan(0);
    expect(Object.keys(result.suitable[0]!).sort()).toEqual(Object.keys(table[0]!).sort());
    expect(result.suitable.every((row) => row.suitable && row.refusals.length === 0)).toBe(true);
    expect(result.suitable.map((row) => row.rank)).toEqual([...result.suitable.map((row) => row.rank)].sort((x, y) => x - y));
    for (const row of result.excluded) {
      expect(row.refusal_details.length, `${row.name} is left out with a reason`).toBeGreaterThan(0);
      expect(Object.keys(row).sort()).toEqual(['facility_id', 'is_stale', 'municipality_code', 'name', 'refusal_details']);
    }
  });

  it('refuses with the same codes as before', async () => {
    const client = await scratchClient();
    const cases: [Record<string, unknown>, string][] = [
      [{ client_id: client.id, arrival_date: helsinkiDate(-1) }, 'invalid_date'],
      [{ client_id: client.id, arrival_date: helsinkiDate(400) }, 'invalid_date'],
      [{ client_id: client.id, ref_lon: 25 }, 'invalid_reference_point'],
      [{ client_id: client.id, ref_lon: 10, ref_lat: 60 }, 'invalid_reference_point'],
      [{ client_id: randomUUID() }, 'client_not_found'],
    ];
    for (const [args, code] of cases) {
      for (const fn of ['safe_place_search', 'safe_place_search_results']) {
        const { error } = await coordinator.rpc(fn, args);
        expect(error?.message, `${fn} with ${JSON.stringify(args)}`).toBe(code);
      }
    }
    const staff = await clientFor('staff');
    expect((await staff.rpc('safe_place_search_results', { client_id: client.id })).error?.message).toBe('not_allowed');
  });
});

describe('the search screen’s answer (safe_place_search_page)', () => {
  interface Row { facility_id: string; name: string; municipality_code: string; is_stale: boolean; suitable: boolean; rank: number; refusals: string[]; refusal_details: unknown[] }
  interface Listed { facility_id: string; name: string; municipality_code: string; is_stale: boolean; refusal_details: unknown[] }
  interface Found extends Listed { suitable: boolean; rank: number | null }
  interface Page {
    suitable_count: number; excluded_count: number; suitable: Row[]; reasons: { code: string; count: number }[];
    excluded: Listed[]; found: Found[]; found_more: boolean; focus: Found | null;
  }
  const CODES = ['facility_inactive', 'rating_too_low', 'inside_exclusion_zone', 'marked_unsuitable', 'gender_policy', 'no_children', 'boy_too_old', 'not_enough_places'];

  let client: { id: string; children: string[] };
  let mine: string[];
  const tag = `Sivu ${randomUUID().slice(0, 6)}`;

  beforeAll(async () => {
    const thisYear = Number(helsinkiDate().slice(0, 4));
    client = await scratchClient({ level: 3, gender: 'female', children: [{ birthYear: thisYear - 14, gender: 'male' }, { birthYear: thisYear - 4, gender: 'female' }] });
    mine = await Promise.all([
      scratchFacility({ name: `${tag} A`, rating: 4, capacity: 10 }),
      scratchFacility({ name: `${tag} B`, rating: 3, capacity: 3, municipality: '564', lon: 25.47, lat: 65.01 }),
      scratchFacility({ name: `${tag} C`, rating: 2 }),
      scratchFacility({ name: `${tag} D`, active: false }),
      scratchFacility({ name: `${tag} E`, gender: 'men', takesChildren: false }),
      scratchFacility({ name: `${tag} F`, boysMaxAge: 12 }),
      scratchFacility({ name: `${tag} G`, municipality: '049', lon: 24.93, lat: 60.17 }),
      scratchFacility({ name: `${tag} H`, municipality: '837', lon: 23.76, lat: 61.5 }),
      scratchFacility({ name: `${tag} I`, capacity: 12, municipality: '091', lon: 24.95, lat: 60.2 }),
      scratchFacility({ name: `${tag} J`, capacity: 2, turnaroundHours: 48 }),
      staleFacility(`${tag} K`),
    ]);
    // No exact position: the zone rule takes Helsinki's centre, inside the point zone below.
    const unplaced = await one<{ id: string }>(
      `insert into public.facilities (name, kind, operator, municipality_code, security_rating, takes_children)
       values ($1, 'shelter', 'Testi', '091', 4, true) returning id`, [`${tag} L`]);
    await db().query(`insert into public.capacity_reports (facility_id, kind, capacity, reported_role) values ($1, 'update', 10, 'coordinator')`, [unplaced.id]);
    mine.push(unplaced.id);
    await db().query(`insert into public.exclusion_zones (client_id, kind, lon, lat, radius_km) values ($1, 'point', 24.94, 60.17, 3)`, [client.id]);
    await db().query(`insert into public.exclusion_zones (client_id, kind, municipality_code) values ($1, 'municipality', '837')`, [client.id]);
    await db().query(`insert into public.client_unsuitable_facilities (client_id, facility_id, reason) values ($1, $2, 'Paljastunut')`, [client.id, mine[8]]);
    await db().query(`update public.clients set languages = '{sv}', needs_pets = true where id = $1`, [client.id]);
    await db().query(`update public.facilities set staff_languages = '{fi,sv}', pets_allowed = true where id = $1`, [mine[1]]);
    const others = await Promise.all(Array.from({ length: 2 }, () => scratchClient()));
    await placement({ client: others[0]!.id, facility: mine[0]!, status: 'active', persons: 8, plannedEnd: helsinkiDate(3) });
    await placement({ client: others[1]!.id, facility: mine[9]!, status: 'ended', persons: 1, endedHoursAgo: 2 });
  });

  /**
   * SQL run as the signed-in coordinator (the same claims PostgREST would set), in one statement
   * so the table form and the screen's answer see the same facilities although other files add
   * theirs meanwhile.
   */
  async function asCoordinator<T>(sql: string, params: unknown[]): Promise<T> {
    const token = (await coordinator.auth.getSession()).data.session?.access_token;
    if (!token) throw new Error('the coordinator has no session');
    const claims = Buffer.from(token.split('.')[1]!, 'base64url').toString('utf8');
    const connection = await db().connect();
    try {
      await connection.query('begin');
      await connection.query(`select set_config('request.jwt.claims', $1, true)`, [claims]);
      await connection.query('set local role authenticated');
      const result = await connection.query(sql, params);
      return result.rows[0] as T;
    } finally {
      await connection.query('rollback');
      connection.release();
    }
  }

  const listed = (row: Row): Listed => ({
    facility_id: row.facility_id, name: row.name, municipality_code: row.municipality_code, is_stale: row.is_stale, refusal_details: row.refusal_details,
  });

  it('judges, ranks and counts every facility as safe_place_search() does, and lists each reason’s facilities in rank order', async () => {
    for (const [arrival, ref] of [[helsinkiDate(), [25.66, 60.98]], [helsinkiDate(10), null], [helsinkiDate(1), [24.94, 60.17]]] as [string, [number, number] | null][]) {
      const args = [client.id, arrival, ref?.[0] ?? null, ref?.[1] ?? null];
      const answer = await asCoordinator<{ table: Row[]; page: Page; by_reason: Page[]; paged: Page }>(
        `select (select json_agg(r order by r.rank) from public.safe_place_search($1, $2, $3, $4) r) as table,
                public.safe_place_search_page($1, $2, $3, $4, 1000) as page,
                array(select public.safe_place_search_page($1, $2, $3, $4, 0, code, 0, 1000) from unnest($5::text[]) code) as by_reason,
                public.safe_place_search_page($1, $2, $3, $4, 3, 'not_enough_places', 2, 3) as paged`,
        [...args, CODES],
      );
      const { table, page } = answer;
      const where = `on ${arrival}${ref ? ' near a point' : ''}`;
      const suitable = table.filter((row) => row.suitable);
      expect(page.suitable_count, where).toBe(suitable.length);
      expect(page.excluded_count, where).toBe(table.length - suitable.length);
      // the suitable in full, rank for rank (the screen never asks for more than 1000)
      expect(page.suitable, where).toEqual(suitable.slice(0, 1000));
      expect(page.excluded, where).toEqual([]);
      expect(page.found, where).toEqual([]);
      expect(page.focus, where).toBeNull();
      // a facility counts under each of its reasons, in the rules' order; reasons nobody has are left out
      const expectedReasons = CODES.map((code) => ({ code, count: table.filter((row) => row.refusals.includes(code)).length })).filter((reason) => reason.count > 0);
      expect(page.reasons, where).toEqual(expectedReasons);
      CODES.forEach((code, index) => {
        const expected = table.filter((row) => row.refusals.includes(code)).map(listed);
        expect(answer.by_reason[index]!.excluded, `${code} ${where}`).toEqual(expected.slice(0, 1000));
        expect(answer.by_reason[index]!.suitable).toEqual([]);
      });
      // pages are slices of the same order
      const short = table.filter((row) => row.refusals.includes('not_enough_places')).map(listed);
      expect(answer.paged.excluded, where).toEqual(short.slice(2, 5));
      expect(answer.paged.suitable, where).toEqual(suitable.slice(0, 3));
      // this file's facilities break the rules they were made to break
      expect(table.find((row) => row.facility_id === mine[11])?.refusal_details, where).toContainEqual({ code: 'inside_exclusion_zone', zone_kind: 'point' });
      const myCodes = new Set(table.filter((row) => mine.includes(row.facility_id)).flatMap((row) => row.refusals));
      expect([...myCodes].sort(), where).toEqual(['boy_too_old', 'facility_inactive', 'gender_policy', 'inside_exclusion_zone', 'marked_unsuitable', 'no_children', 'not_enough_places', 'rating_too_low']);
    }
  });

  it('tells why a facility is not offered: by part of its name, and by id for the one that declined', async () => {
    const arrival = helsinkiDate();
    const answer = await asCoordinator<{ table: Row[]; named: Page; many: Page; none: Page; expected_many: string[]; suitable_focus: Page; excluded_focus: Page; unknown_focus: Page }>(
      `select (select json_agg(r order by r.rank) from public.safe_place_search($1, $2) r) as table,
              public.safe_place_search_page($1, $2, find_name => $3) as named,
              public.safe_place_search_page($1, $2, find_name => ' E ') as many,
              public.safe_place_search_page($1, $2, find_name => $3 || ' ei ole') as none,
              array(select f.id::text from public.facilities f where strpos(lower(f.name), 'e') > 0 order by f.name, f.id limit 20) as expected_many,
              public.safe_place_search_page($1, $2, focus_facility_id => $4) as suitable_focus,
              public.safe_place_search_page($1, $2, focus_facility_id => $5) as excluded_focus,
              public.safe_place_search_page($1, $2, focus_facility_id => $6) as unknown_focus`,
      [client.id, arrival, tag.toUpperCase(), mine[1], mine[3], randomUUID()],
    );
    const byId = new Map(answer.table.map((row) => [row.facility_id, row]));
    const verdict = (id: string): Found => {
      const row = byId.get(id)!;
      return { ...listed(row), suitable: row.suitable, rank: row.suitable ? row.rank : null };
    };
    // the name in any case, every match by name, each with its verdict
    expect(answer.named.found).toEqual(mine.map(verdict).sort((x, y) => (x.name < y.name ? -1 : 1)));
    expect(answer.named.found_more).toBe(false);
    expect(answer.named.found.some((row) => row.suitable)).toBe(true);
    expect(answer.named.suitable_count).toBe(answer.table.filter((row) => row.suitable).length);
    // the trimmed text; at most 20, and says when more match
    expect(answer.many.found.map((row) => row.facility_id)).toEqual(answer.expected_many);
    expect(answer.many.found_more).toBe(true);
    expect(answer.none.found).toEqual([]);
    // the declined facility, suitable (with its rank) or left out (with every reason); an unknown id gives nothing
    expect(answer.suitable_focus.focus).toEqual(verdict(mine[1]!));
    expect(answer.suitable_focus.focus?.rank).toBeGreaterThan(0);
    expect(answer.excluded_focus.focus).toEqual(verdict(mine[3]!));
    expect(answer.excluded_focus.focus?.refusal_details).toContainEqual({ code: 'facility_inactive' });
    expect(answer.unknown_focus.focus).toBeNull();
  });

  it('answers the screen through the API and refuses what it cannot answer', async () => {
    const { data, error } = await coordinator.rpc('safe_place_search_page', { client_id: client.id, excluded_reason: 'rating_too_low', find_name: tag, focus_facility_id: mine[3] });
    expect(error).toBeNull();
    const page = data as unknown as Page;
    expect(page.suitable.length).toBe(Math.min(50, page.suitable_count));
    expect(page.excluded.length).toBe(Math.min(50, page.reasons.find((reason) => reason.code === 'rating_too_low')?.count ?? 0));
    expect(page.found).toHaveLength(mine.length);
    expect(page.focus?.facility_id).toBe(mine[3]);

    const cases: [Record<string, unknown>, string][] = [
      [{ client_id: client.id, arrival_date: helsinkiDate(-1) }, 'invalid_date'],
      [{ client_id: client.id, ref_lon: 25 }, 'invalid_reference_point'],
      [{ client_id: randomUUID() }, 'client_not_found'],
      [{ client_id: client.id, suitable_limit: -1 }, 'invalid_page'],
      [{ client_id: client.id, suitable_limit: 1001 }, 'invalid_page'],
      [{ client_id: client.id, excluded_offset: -1 }, 'invalid_page'],
      [{ client_id: client.id, excluded_limit: 0 }, 'invalid_page'],
      [{ client_id: client.id, excluded_reason: 'too_far' }, 'invalid_page'],
      [{ client_id: client.id, find_name: 'x'.repeat(201) }, 'invalid_page'],
    ];
    for (const [args, code] of cases) {
      const refused = await coordinator.rpc('safe_place_search_page', args);
      expect(refused.error?.message, JSON.stringify(args).slice(0, 120)).toBe(code);
    }
    for (const actor of ['staff', 'caseworker', 'admin', 'auditor'] as const) {
      const other = await clientFor(actor);
      expect((await other.rpc('safe_place_search_page', { client_id: client.id })).error?.message, actor).toBe('not_allowed');
    }
  });
});
