// client_list pages before it looks up housing (migration 20261202000200_client_list_paging.sql).
// These tests hold it to the rows the previous definition returned: that query, which worked out
// every client's housing before paging, runs here as plain SQL beside the RPC, for every
// combination of filters and for several pages, on clients in every housing state.
import { randomUUID } from 'node:crypto';
import type { SupabaseClient } from '@supabase/supabase-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clientFor, closeDb, db, demoUsers, helsinkiDate, rows, scratchFacility, signOutAll } from './support/stack.ts';

type Housing = 'placed' | 'on_hold' | 'not_placed';
type Responsible = 'assistance_system' | 'city_of_helsinki';

interface Filters {
  search_code: string;
  level_filter?: number;
  housing_filter?: Housing;
  responsible_filter?: Responsible;
  caseworker_filter?: string;
  page_size?: number;
  page_offset?: number;
}

/** The previous client_list, word for word apart from parameters; `visibleTo` stands in for a caseworker's own clients. */
const PREVIOUS_CLIENT_LIST = `
  with base as (
    select c.*
    from public.clients c
    where ($8::uuid is null or c.id in (select a.client_id from public.caseworker_assignments a where a.caseworker_id = $8))
      and ($1::text is null or c.code ilike '%' || replace(replace(replace($1, '\\', '\\\\'), '%', '\\%'), '_', '\\_') || '%')
      and ($2::integer is null or c.safety_level = $2)
      and ($4::public.responsible_party is null or c.responsible_party = $4)
      and ($5::uuid is null or exists (select 1 from public.caseworker_assignments a where a.client_id = c.id and a.caseworker_id = $5))
  ),
  housed as (
    select b.*,
           act.id as act_id, act.facility_id as act_facility, act.arrived_at as act_since, act.planned_end as act_end,
           hld.id as hld_id, hld.status as hld_status, hld.facility_id as hld_facility, hld.hold_expires_at as hld_expires,
           case when act.id is not null then 'placed' when hld.id is not null then 'on_hold' else 'not_placed' end as state
    from base b
    left join lateral (
      select p.* from public.placements p where p.client_id = b.id and p.status = 'active' limit 1
    ) act on true
    left join lateral (
      select p.* from public.placements p
      where p.client_id = b.id and p.status in ('hold', 'accepted') and p.hold_expires_at > now()
      order by p.created_at desc limit 1
    ) hld on true
  ),
  filtered as (
    select h.*, count(*) over () as total from housed h
    where $3::text is null or h.state = $3
  )
  select to_jsonb(r) as row from (
    select
      f.id as client_id, f.code, f.gender, f.birth_year, f.safety_level, f.responsible_party, f.asylum_seeker,
      (select count(*)::integer from public.client_children ch where ch.client_id = f.id) as children_count,
      f.state as housing_state,
      f.act_id as active_placement_id, f.act_facility as active_facility_id, af.name as active_facility_name,
      am.name_fi as active_municipality_name_fi, am.name_sv as active_municipality_name_sv,
      f.act_since as active_since, f.act_end as active_planned_end, af.security_rating as active_facility_rating,
      f.hld_id as hold_placement_id, f.hld_status as hold_status, hf.name as hold_facility_name, f.hld_expires as hold_expires_at,
      array(select s.display_name from public.caseworker_assignments a join public.staff s on s.id = a.caseworker_id
            where a.client_id = f.id order by s.display_name) as caseworker_names,
      f.total as total_count
    from filtered f
    left join public.facilities af on af.id = f.act_facility
    left join public.municipalities am on am.code = af.municipality_code
    left join public.facilities hf on hf.id = f.hld_facility
    order by f.code
    limit $6 offset $7
  ) r`;

async function previousClientList(filters: Filters, visibleTo: string | null = null): Promise<unknown[]> {
  const found = await rows<{ row: unknown }>(PREVIOUS_CLIENT_LIST, [
    filters.search_code,
    filters.level_filter ?? null,
    filters.housing_filter ?? null,
    filters.responsible_filter ?? null,
    filters.caseworker_filter ?? null,
    filters.page_size ?? 50,
    filters.page_offset ?? 0,
    visibleTo,
  ]);
  return found.map((found) => found.row);
}

const CODE_ALPHABET = '23456789ABCDEFGHJKMNPQRSTUVWXYZ';
const randomCodeChars = (length: number) =>
  Array.from({ length }, () => CODE_ALPHABET[Math.floor(Math.random() * CODE_ALPHABET.length)]).join('');

/** Four random code characters shared by this run's clients (6-character codes), so a search finds only them. */
const TAG = randomCodeChars(4);

let coordinator: SupabaseClient;
let caseworker: SupabaseClient;

interface Arranged {
  level: number;
  responsible: Responsible;
  caseworkers: string[];
  children: number;
  /** Placements to give the client, in the order they were made. */
  placements: ('active' | 'hold' | 'accepted' | 'expired_hold_unmarked' | 'ended')[];
}

const ARRANGED: Arranged[] = [
  { level: 1, responsible: 'assistance_system', caseworkers: [], children: 0, placements: [] },
  { level: 2, responsible: 'city_of_helsinki', caseworkers: [demoUsers.caseworker.id], children: 2, placements: ['active'] },
  { level: 2, responsible: 'assistance_system', caseworkers: [demoUsers.caseworker.id, demoUsers.caseworker2.id], children: 1, placements: ['hold'] },
  { level: 3, responsible: 'city_of_helsinki', caseworkers: [], children: 0, placements: ['accepted'] },
  // A hold whose deadline has passed but that no job has marked expired yet: not on hold any more.
  { level: 2, responsible: 'assistance_system', caseworkers: [demoUsers.caseworker2.id], children: 0, placements: ['expired_hold_unmarked'] },
  // Living somewhere and held elsewhere for a move: placed, with the hold shown beside it.
  { level: 4, responsible: 'city_of_helsinki', caseworkers: [demoUsers.caseworker.id], children: 3, placements: ['active', 'hold'] },
  { level: 2, responsible: 'city_of_helsinki', caseworkers: [], children: 1, placements: ['ended'] },
  { level: 1, responsible: 'assistance_system', caseworkers: [demoUsers.caseworker.id], children: 0, placements: ['ended', 'active'] },
  { level: 2, responsible: 'assistance_system', caseworkers: [], children: 0, placements: ['hold'] },
  { level: 3, responsible: 'assistance_system', caseworkers: [demoUsers.caseworker.id], children: 0, placements: [] },
  { level: 2, responsible: 'city_of_helsinki', caseworkers: [demoUsers.caseworker2.id], children: 0, placements: ['active'] },
];

async function arrange(): Promise<void> {
  const facility = await scratchFacility({ capacity: 30, name: `Listasivutus ${randomUUID().slice(0, 6)}` });
  const otherFacility = await scratchFacility({ capacity: 30 });
  const codes = new Set<string>();
  for (const [index, client] of ARRANGED.entries()) {
    let code: string;
    do code = `AS-${TAG}${randomCodeChars(2)}`;
    while (codes.has(code));
    codes.add(code);
    const { rows: [created] } = await db().query<{ id: string }>(
      `insert into public.clients (code, gender, birth_year, safety_level, responsible_party, languages)
       values ($1, 'female', 1990, $2, $3, '{en}') returning id`,
      [code, client.level, client.responsible],
    );
    const id = created!.id;
    for (let child = 0; child < client.children; child++) {
      await db().query(`insert into public.client_children (client_id, birth_year, gender) values ($1, $2, 'male')`, [id, 2015 + child]);
    }
    for (const caseworkerId of client.caseworkers) {
      await db().query('insert into public.caseworker_assignments (client_id, caseworker_id) values ($1, $2)', [id, caseworkerId]);
    }
    for (const [order, kind] of client.placements.entries()) {
      const at = index % 2 === 0 ? facility : otherFacility;
      const createdAt = `now() - interval '${10 - order} days'`;
      const insert = (columns: string, values: string) =>
        db().query(
          `insert into public.placements (client_id, facility_id, persons, safety_level, planned_arrival, created_at, ${columns})
           values ($1, $2, 1, $3, $4, ${createdAt}, ${values})`,
          [id, at, client.level, helsinkiDate(-20)],
        );
      if (kind === 'active') await insert('status, arrived_at, planned_end', `'active', now() - interval '5 days', '${helsinkiDate(4)}'`);
      if (kind === 'hold') await insert('status, hold_expires_at', `'hold', now() + interval '1 day'`);
      if (kind === 'accepted') await insert('status, hold_expires_at, responded_at', `'accepted', now() + interval '2 days', now()`);
      if (kind === 'expired_hold_unmarked') await insert('status, hold_expires_at', `'hold', now() - interval '1 hour'`);
      if (kind === 'ended') await insert('status, arrived_at, ended_at', `'ended', now() - interval '9 days', now() - interval '8 days'`);
    }
  }
}

beforeAll(async () => {
  [coordinator, caseworker] = await Promise.all([clientFor('coordinator'), clientFor('caseworker')]);
  await arrange();
});

afterAll(async () => {
  await signOutAll();
  await closeDb();
});

async function clientList(supabase: SupabaseClient, filters: Filters): Promise<unknown[]> {
  const { data, error } = await supabase.rpc('client_list', filters);
  expect(error).toBeNull();
  return data as unknown[];
}

describe('client_list after paging first', () => {
  it('covers every housing state in the arranged clients', async () => {
    const states = (await clientList(coordinator, { search_code: `AS-${TAG}` })).map((row) => (row as { housing_state: string }).housing_state);
    expect(states).toHaveLength(ARRANGED.length);
    expect(new Set(states)).toEqual(new Set(['placed', 'on_hold', 'not_placed']));
  });

  it('returns the same rows as before for every combination of filters', async () => {
    const combinations: Filters[] = [];
    for (const housing_filter of [undefined, 'placed', 'on_hold', 'not_placed'] as const) {
      for (const level_filter of [undefined, 2]) {
        for (const responsible_filter of [undefined, 'city_of_helsinki'] as const) {
          for (const caseworker_filter of [undefined, demoUsers.caseworker.id]) {
            combinations.push({ search_code: `AS-${TAG}`, housing_filter, level_filter, responsible_filter, caseworker_filter });
          }
        }
      }
    }
    for (const filters of combinations) {
      expect(await clientList(coordinator, filters), JSON.stringify(filters)).toEqual(await previousClientList(filters));
    }
  });

  it('returns the same pages and total as before, up to and past the last page', async () => {
    for (const housing_filter of [undefined, 'not_placed'] as const) {
      for (const page_offset of [0, 3, 6, 9, 12]) {
        const filters: Filters = { search_code: `AS-${TAG}`, housing_filter, page_size: 3, page_offset };
        const page = await clientList(coordinator, filters);
        expect(page, JSON.stringify(filters)).toEqual(await previousClientList(filters));
        if (page_offset === 0) expect(page[0]).toMatchObject({ total_count: housing_filter ? 4 : ARRANGED.length });
      }
    }
  });

  it('searches codes regardless of case, and treats % and _ as characters, as before', async () => {
    for (const search_code of [`as-${TAG.toLowerCase()}`, TAG.slice(1), `AS-${TAG}%`, `AS_${TAG}`]) {
      const filters: Filters = { search_code };
      expect(await clientList(coordinator, filters), search_code).toEqual(await previousClientList(filters));
    }
    expect(await clientList(coordinator, { search_code: `AS_${TAG}` })).toEqual([]);
  });

  it('shows a caseworker the same rows of their own clients as before', async () => {
    for (const housing_filter of [undefined, 'placed', 'on_hold', 'not_placed'] as const) {
      const filters: Filters = { search_code: `AS-${TAG}`, housing_filter };
      expect(await clientList(caseworker, filters), JSON.stringify(filters)).toEqual(await previousClientList(filters, demoUsers.caseworker.id));
    }
  });
});
