// Who may read, insert, update and delete what, for every exposed table and every role, with
// real signed-in supabase-js clients. The expected outcomes are written down as data below.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  clientFor, closeDb, db, demoUsers, one, scratchClient, scratchFacility, signOutAll, type Actor,
} from './support/stack.ts';

const actors: Actor[] = ['anon', 'coordinator', 'staff', 'caseworker', 'admin', 'auditor'];

/** 'all' rows, 'none', or the SQL counting the rows this user should see ($1 = user id). */
type ReadRule = 'all' | 'none' | { sql: string };
type WriteRule = Actor[]; // the actors allowed; everyone else is refused

interface Fixture {
  facility: string;
  otherFacility: string;
  client: string;
  child: string;
  placement: string;
  scratchStaff: string;
}

interface TableRules {
  read: Partial<Record<Actor, ReadRule>>;
  insert: { allowed: WriteRule; row: (f: Fixture) => Record<string, unknown>; cleanup: string };
  update: { allowed: WriteRule; key: (f: Fixture) => Record<string, unknown>; patch: Record<string, unknown>; changed: (f: Fixture) => [string, unknown[]] };
  delete: { allowed: WriteRule; make: (f: Fixture) => [string, unknown[]]; key: (made: Record<string, unknown>) => Record<string, unknown>; exists: string; undo?: string };
}

const staffOwn = { sql: 'select count(*) from public.staff where id = $1' };

const staffClients = `(select p.client_id from public.placements p join public.facility_memberships m on m.facility_id = p.facility_id
                       where m.staff_id = $1 and p.status in ('hold', 'accepted', 'active'))`;
const caseworkerClients = '(select client_id from public.caseworker_assignments where caseworker_id = $1)';

// read: anon sees nothing anywhere; an omitted role means 'none'.
const matrix: Record<string, TableRules> = {
  staff: {
    read: { coordinator: staffOwn, staff: staffOwn, caseworker: staffOwn, admin: 'all', auditor: 'all' },
    insert: { allowed: [], row: () => ({ id: randomUUID(), email: 'x@suoja.example', display_name: 'rls-matrix' }), cleanup: "delete from public.staff where display_name = 'rls-matrix'" },
    update: { allowed: ['admin'], key: (f) => ({ id: f.scratchStaff }), patch: { display_name: 'rls-matrix-updated' }, changed: (f) => ["select display_name = 'rls-matrix-updated' as changed from public.staff where id = $1", [f.scratchStaff]] },
    delete: { allowed: [], make: (f) => ['select id from public.staff where id = $1', [f.scratchStaff]], key: (m) => ({ id: m.id }), exists: 'select count(*)::int as n from public.staff where id = $1' },
  },
  facilities: {
    read: { coordinator: 'all', staff: 'all', admin: 'all',
      caseworker: { sql: `select count(distinct facility_id) from public.placements where client_id in ${caseworkerClients}` } },
    insert: { allowed: ['admin'], row: () => ({ name: 'rls-matrix', kind: 'shelter', municipality_code: '091', security_rating: 2 }), cleanup: "delete from public.capacity_reports where false; delete from public.facilities where name = 'rls-matrix'" },
    update: { allowed: ['admin'], key: (f) => ({ id: f.facility }), patch: { operator: 'rls-matrix-updated' }, changed: (f) => ["select operator = 'rls-matrix-updated' as changed from public.facilities where id = $1", [f.facility]] },
    delete: { allowed: [], make: () => ["insert into public.facilities (name, kind, municipality_code, security_rating) values ('rls-matrix-del', 'shelter', '091', 1) returning id", []], key: (m) => ({ id: m.id }), exists: 'select count(*)::int as n from public.facilities where id = $1' },
  },
  facility_locations: {
    read: {},
    insert: { allowed: [], row: (f) => ({ facility_id: f.otherFacility, street_address: 'rls-matrix', postal_code: '00100', lon: 25, lat: 60.2 }), cleanup: "delete from public.facility_locations where street_address = 'rls-matrix'" },
    update: { allowed: [], key: (f) => ({ facility_id: f.facility }), patch: { street_address: 'rls-matrix-updated' }, changed: (f) => ["select street_address = 'rls-matrix-updated' as changed from public.facility_locations where facility_id = $1", [f.facility]] },
    delete: { allowed: [], make: (f) => ['select facility_id from public.facility_locations where facility_id = $1', [f.facility]], key: (m) => ({ facility_id: m.facility_id }), exists: 'select count(*)::int as n from public.facility_locations where facility_id = $1' },
  },
  facility_memberships: {
    read: { coordinator: 'all', admin: 'all', staff: { sql: 'select count(*) from public.facility_memberships where staff_id = $1' } },
    insert: { allowed: ['admin'], row: (f) => ({ staff_id: demoUsers.auditor.id, facility_id: f.otherFacility }), cleanup: `delete from public.facility_memberships where staff_id = '${demoUsers.auditor.id}'` },
    update: { allowed: [], key: (f) => ({ facility_id: f.facility }), patch: { created_at: '2001-01-01T00:00:00Z' }, changed: (f) => ["select bool_or(created_at < '2002-01-01') as changed from public.facility_memberships where facility_id = $1", [f.facility]] },
    delete: { allowed: ['admin'], make: (f) => ['insert into public.facility_memberships (staff_id, facility_id) values ($1, $2) returning staff_id, facility_id', [demoUsers.caseworker2.id, f.otherFacility]], key: (m) => ({ staff_id: m.staff_id, facility_id: m.facility_id }), exists: 'select count(*)::int as n from public.facility_memberships where staff_id = $1', undo: `delete from public.facility_memberships where staff_id = '${demoUsers.caseworker2.id}'` },
  },
  capacity_reports: {
    read: { coordinator: 'all', staff: 'all', admin: 'all' },
    insert: { allowed: [], row: (f) => ({ facility_id: f.facility, kind: 'update', capacity: 777 }), cleanup: 'select 1' },
    update: { allowed: [], key: (f) => ({ facility_id: f.facility }), patch: { capacity: 778 }, changed: (f) => ['select bool_or(capacity = 778) as changed from public.capacity_reports where facility_id = $1', [f.facility]] },
    delete: { allowed: [], make: (f) => ['select id from public.capacity_reports where facility_id = $1 limit 1', [f.facility]], key: (m) => ({ id: m.id }), exists: 'select count(*)::int as n from public.capacity_reports where id = $1' },
  },
  regions: {
    read: { coordinator: 'all', staff: 'all', caseworker: 'all', admin: 'all', auditor: 'all' },
    insert: { allowed: [], row: () => ({ code: '99', name_fi: 'rls-matrix', name_sv: 'rls-matrix' }), cleanup: "delete from public.regions where code = '99'" },
    update: { allowed: [], key: () => ({ code: '01' }), patch: { name_sv: 'rls-matrix-updated' }, changed: () => ["select name_sv = 'rls-matrix-updated' as changed from public.regions where code = '01'", []] },
    delete: { allowed: [], make: () => ["select code from public.regions where code = '21'", []], key: (m) => ({ code: m.code }), exists: 'select count(*)::int as n from public.regions where code = $1' },
  },
  municipalities: {
    read: { coordinator: 'all', staff: 'all', caseworker: 'all', admin: 'all', auditor: 'all' },
    insert: { allowed: [], row: () => ({ code: '999', name_fi: 'rls-matrix', name_sv: 'x', region_code: '01', centre_lon: 25, centre_lat: 60.2 }), cleanup: "delete from public.municipalities where code = '999'" },
    update: { allowed: [], key: () => ({ code: '091' }), patch: { centre_lon: 25.5 }, changed: () => ["select centre_lon = 25.5 as changed from public.municipalities where code = '091'", []] },
    delete: { allowed: [], make: () => ["select code from public.municipalities where code = '478'", []], key: (m) => ({ code: m.code }), exists: 'select count(*)::int as n from public.municipalities where code = $1' },
  },
  clients: {
    read: { coordinator: 'all',
      staff: { sql: `select count(distinct client_id) from ${staffClients} s` },
      caseworker: { sql: `select count(*) from ${caseworkerClients} s` } },
    insert: { allowed: ['coordinator'], row: () => ({ gender: 'female', birth_year: 1901, safety_level: 1 }), cleanup: 'delete from public.clients where birth_year = 1901' },
    update: { allowed: ['coordinator'], key: (f) => ({ id: f.client }), patch: { needs_other: 'rls-matrix-updated' }, changed: (f) => ["select needs_other = 'rls-matrix-updated' as changed from public.clients where id = $1", [f.client]] },
    delete: { allowed: [], make: () => ["insert into public.clients (gender, birth_year, safety_level) values ('male', 1902, 1) returning id", []], key: (m) => ({ id: m.id }), exists: 'select count(*)::int as n from public.clients where id = $1' },
  },
  client_children: {
    read: { coordinator: 'all',
      staff: { sql: `select count(*) from public.client_children where client_id in ${staffClients}` },
      caseworker: { sql: `select count(*) from public.client_children where client_id in ${caseworkerClients}` } },
    insert: { allowed: ['coordinator'], row: (f) => ({ client_id: f.client, birth_year: 1999, gender: 'male' }), cleanup: 'delete from public.client_children where birth_year = 1999' },
    update: { allowed: ['coordinator'], key: (f) => ({ id: f.child }), patch: { birth_year: 2001 }, changed: (f) => ['select birth_year = 2001 as changed from public.client_children where id = $1', [f.child]] },
    delete: { allowed: ['coordinator'], make: (f) => ["insert into public.client_children (client_id, birth_year, gender) values ($1, 2020, 'female') returning id", [f.client]], key: (m) => ({ id: m.id }), exists: 'select count(*)::int as n from public.client_children where id = $1' },
  },
  caseworker_assignments: {
    read: { coordinator: 'all', admin: 'all', caseworker: { sql: 'select count(*) from public.caseworker_assignments where caseworker_id = $1' } },
    insert: { allowed: ['coordinator', 'admin'], row: (f) => ({ client_id: f.client, caseworker_id: demoUsers.caseworker2.id }), cleanup: `delete from public.caseworker_assignments where caseworker_id = '${demoUsers.caseworker2.id}' and client_id in (select id from public.clients where needs_other like 'rls-fixture%')` },
    update: { allowed: [], key: (f) => ({ client_id: f.client }), patch: { created_at: '2001-01-01T00:00:00Z' }, changed: (f) => ["select bool_or(created_at < '2002-01-01') as changed from public.caseworker_assignments where client_id = $1", [f.client]] },
    delete: { allowed: ['coordinator', 'admin'], make: (f) => ['insert into public.caseworker_assignments (client_id, caseworker_id) values ($1, $2) returning client_id, caseworker_id', [f.client, demoUsers.caseworker2.id]], key: (m) => ({ client_id: m.client_id, caseworker_id: m.caseworker_id }), exists: `select count(*)::int as n from public.caseworker_assignments where client_id = $1 and caseworker_id = '${demoUsers.caseworker2.id}'`, undo: `delete from public.caseworker_assignments where caseworker_id = '${demoUsers.caseworker2.id}' and client_id in (select id from public.clients where needs_other = 'rls-fixture')` },
  },
  exclusion_zones: {
    read: { coordinator: 'all' },
    insert: { allowed: ['coordinator'], row: (f) => ({ client_id: f.client, kind: 'municipality', municipality_code: '478' }), cleanup: "delete from public.exclusion_zones where municipality_code = '478'" },
    update: { allowed: [], key: (f) => ({ client_id: f.client }), patch: { municipality_code: '049' }, changed: (f) => ["select bool_or(municipality_code = '049') as changed from public.exclusion_zones where client_id = $1", [f.client]] },
    delete: { allowed: ['coordinator'], make: (f) => ["insert into public.exclusion_zones (client_id, kind, municipality_code) values ($1, 'municipality', '148') returning id", [f.client]], key: (m) => ({ id: m.id }), exists: 'select count(*)::int as n from public.exclusion_zones where id = $1' },
  },
  exclusion_zone_reasons: {
    read: { coordinator: 'all' },
    insert: { allowed: ['coordinator'], row: (f) => ({ zone_id: (f as Fixture & { bareZone: string }).bareZone, reason: 'rls-matrix' }), cleanup: "delete from public.exclusion_zone_reasons where reason = 'rls-matrix'" },
    update: { allowed: ['coordinator'], key: (f) => ({ zone_id: (f as Fixture & { zone: string }).zone }), patch: { reason: 'rls-matrix-updated' }, changed: (f) => ["select reason = 'rls-matrix-updated' as changed from public.exclusion_zone_reasons where zone_id = $1", [(f as Fixture & { zone: string }).zone]] },
    delete: { allowed: ['coordinator'], make: (f) => ["insert into public.exclusion_zone_reasons (zone_id, reason) values ($1, 'rls-del') returning zone_id", [(f as Fixture & { bareZone: string }).bareZone]], key: (m) => ({ zone_id: m.zone_id }), exists: 'select count(*)::int as n from public.exclusion_zone_reasons where zone_id = $1', undo: "delete from public.exclusion_zone_reasons where reason = 'rls-del'" },
  },
  client_unsuitable_facilities: {
    read: { coordinator: 'all' },
    insert: { allowed: ['coordinator'], row: (f) => ({ client_id: f.client, facility_id: f.otherFacility, reason: 'rls-matrix' }), cleanup: "delete from public.client_unsuitable_facilities where reason = 'rls-matrix'" },
    update: { allowed: [], key: (f) => ({ client_id: f.client }), patch: { reason: 'rls-matrix-updated' }, changed: (f) => ["select bool_or(reason = 'rls-matrix-updated') as changed from public.client_unsuitable_facilities where client_id = $1", [f.client]] },
    delete: { allowed: ['coordinator'], make: (f) => ["insert into public.client_unsuitable_facilities (client_id, facility_id, reason) values ($1, $2, 'rls-del') returning client_id, facility_id", [f.client, f.otherFacility]], key: (m) => ({ client_id: m.client_id, facility_id: m.facility_id }), exists: "select count(*)::int as n from public.client_unsuitable_facilities where client_id = $1 and reason = 'rls-del'", undo: "delete from public.client_unsuitable_facilities where reason = 'rls-del'" },
  },
  unmet_needs: {
    read: { coordinator: 'all' },
    insert: { allowed: ['coordinator'], row: () => ({ needed_on: '2026-01-01', persons: 1, safety_level: 1, reason: 'rls-matrix' }), cleanup: "delete from public.unmet_needs where reason = 'rls-matrix'" },
    update: { allowed: [], key: (f) => ({ id: (f as Fixture & { need: string }).need }), patch: { reason: 'rls-matrix-updated' }, changed: (f) => ["select reason = 'rls-matrix-updated' as changed from public.unmet_needs where id = $1", [(f as Fixture & { need: string }).need]] },
    delete: { allowed: [], make: () => ["insert into public.unmet_needs (needed_on, persons, safety_level, reason) values ('2026-01-02', 1, 1, 'rls-del') returning id", []], key: (m) => ({ id: m.id }), exists: 'select count(*)::int as n from public.unmet_needs where id = $1' },
  },
  placements: {
    read: { coordinator: 'all',
      staff: { sql: 'select count(*) from public.placements where facility_id in (select facility_id from public.facility_memberships where staff_id = $1)' },
      caseworker: { sql: `select count(*) from public.placements where client_id in ${caseworkerClients}` } },
    insert: { allowed: [], row: (f) => ({ client_id: f.client, facility_id: f.otherFacility, status: 'active', persons: 1, safety_level: 1, planned_arrival: '2026-01-01', arrived_at: new Date().toISOString() }), cleanup: 'select 1' },
    update: { allowed: [], key: (f) => ({ id: f.placement }), patch: { persons: 3 }, changed: (f) => ['select persons = 3 as changed from public.placements where id = $1', [f.placement]] },
    delete: { allowed: [], make: (f) => ['select id from public.placements where id = $1', [f.placement]], key: (m) => ({ id: m.id }), exists: 'select count(*)::int as n from public.placements where id = $1' },
  },
  placement_persons: {
    read: { coordinator: 'all',
      staff: { sql: 'select count(*) from public.placement_persons pp join public.placements p on p.id = pp.placement_id where p.facility_id in (select facility_id from public.facility_memberships where staff_id = $1)' },
      caseworker: { sql: `select count(*) from public.placement_persons pp join public.placements p on p.id = pp.placement_id where p.client_id in ${caseworkerClients}` } },
    insert: { allowed: [], row: (f) => ({ placement_id: f.placement, child_id: f.child }), cleanup: 'select 1' },
    update: { allowed: [], key: (f) => ({ placement_id: f.placement }), patch: { child_id: null }, changed: (f) => ['select count(*) > 1 as changed from public.placement_persons where placement_id = $1 and child_id is null', [f.placement]] },
    delete: { allowed: [], make: (f) => ['select id from public.placement_persons where placement_id = $1 limit 1', [f.placement]], key: (m) => ({ id: m.id }), exists: 'select count(*)::int as n from public.placement_persons where id = $1' },
  },
  audit_log: {
    read: { auditor: 'all' },
    insert: { allowed: [], row: () => ({ action: 'insert', table_name: 'rls-matrix' }), cleanup: 'select 1' },
    update: { allowed: [], key: () => ({ table_name: 'facilities' }), patch: { reason: 'rls-matrix-updated' }, changed: () => ["select bool_or(reason = 'rls-matrix-updated') as changed from public.audit_log where table_name = 'facilities'", []] },
    delete: { allowed: [], make: () => ["select id from public.audit_log where table_name = 'facilities' order by id limit 1", []], key: (m) => ({ id: m.id }), exists: 'select count(*)::int as n from public.audit_log where id = $1' },
  },
};

let fixture: Fixture & { zone: string; bareZone: string; need: string };

beforeAll(async () => {
  const facility = await scratchFacility({ members: [demoUsers.staff.id] });
  const otherFacility = await scratchFacility();
  const client = await scratchClient({ children: [{ birthYear: 2018, gender: 'male' }], caseworker: demoUsers.caseworker.id });
  await db().query("update public.clients set needs_other = 'rls-fixture' where id = $1", [client.id]);
  const placement = await one<{ id: string }>(
    `insert into public.placements (client_id, facility_id, status, persons, safety_level, planned_arrival, hold_expires_at)
     values ($1, $2, 'hold', 2, 1, current_date, now() + interval '1 day') returning id`, [client.id, facility]);
  await db().query('insert into public.placement_persons (placement_id, child_id) values ($1, null), ($1, $2)', [placement.id, client.children[0]]);
  const zone = await one<{ id: string }>("insert into public.exclusion_zones (client_id, kind, municipality_code) values ($1, 'municipality', '609') returning id", [client.id]);
  await db().query("insert into public.exclusion_zone_reasons (zone_id, reason) values ($1, 'rls-fixture')", [zone.id]);
  const bareZone = await one<{ id: string }>("insert into public.exclusion_zones (client_id, kind, municipality_code) values ($1, 'municipality', '684') returning id", [client.id]);
  await db().query("insert into public.client_unsuitable_facilities (client_id, facility_id, reason) values ($1, $2, 'rls-fixture')", [client.id, facility]);
  const need = await one<{ id: string }>("insert into public.unmet_needs (needed_on, persons, safety_level, reason) values (current_date, 1, 1, 'rls-fixture') returning id");
  const scratchStaff = randomUUID();
  await db().query(
    `insert into auth.users (instance_id, id, aud, role, email, raw_app_meta_data, raw_user_meta_data, created_at, updated_at)
     values ('00000000-0000-0000-0000-000000000000', $1, 'authenticated', 'authenticated', $2, '{"role":"caseworker"}', '{"display_name":"rls-fixture"}', now(), now())`,
    [scratchStaff, `rls-${scratchStaff.slice(0, 8)}@suoja.example`]);
  fixture = { facility, otherFacility, client: client.id, child: client.children[0]!, placement: placement.id, scratchStaff, zone: zone.id, bareZone: bareZone.id, need: need.id };
  for (const actor of actors) await clientFor(actor);
});

afterAll(async () => {
  await signOutAll();
  await closeDb();
});

async function restoreFixture() {
  await db().query("update public.staff set display_name = 'rls-fixture' where id = $1", [fixture.scratchStaff]);
  await db().query("update public.facilities set operator = 'Testi' where id = $1", [fixture.facility]);
  await db().query("update public.clients set needs_other = 'rls-fixture' where id = $1", [fixture.client]);
  await db().query('update public.client_children set birth_year = 2018 where id = $1', [fixture.child]);
  await db().query("update public.exclusion_zone_reasons set reason = 'rls-fixture' where zone_id = $1", [fixture.zone]);
}

const userId = (actor: Actor) => (actor === 'anon' ? null : demoUsers[actor].id);

describe.each(Object.entries(matrix))('%s', (table, rules) => {
  it.each(actors)('read as %s', async (actor) => {
    const rule: ReadRule = actor === 'anon' ? 'none' : (rules.read[actor] ?? 'none');
    const supabase = await clientFor(actor);
    const { count, error } = await supabase.from(table).select('*', { count: 'exact', head: true });
    const visible = error ? 0 : (count ?? 0);
    if (rule === 'none') {
      expect(visible, `${actor} must not read ${table}`).toBe(0);
      return;
    }
    expect(error).toBeNull();
    const expected = rule === 'all'
      ? (await one<{ n: number }>(`select count(*)::int as n from public.${table}`)).n
      : Number(Object.values(await one(rule.sql, [userId(actor)]))[0]);
    expect(visible, `${actor} reads the expected ${table} rows`).toBe(expected);
    expect(visible).toBeGreaterThan(0);
  });

  it.each(actors)('insert as %s', async (actor) => {
    const supabase = await clientFor(actor);
    const { error } = await supabase.from(table).insert(rules.insert.row(fixture));
    await db().query(rules.insert.cleanup);
    if (rules.insert.allowed.includes(actor)) expect(error, `${actor} may insert into ${table}`).toBeNull();
    else expect(error, `${actor} must not insert into ${table}`).not.toBeNull();
  });

  it.each(actors)('update as %s', async (actor) => {
    const supabase = await clientFor(actor);
    await supabase.from(table).update(rules.update.patch).match(rules.update.key(fixture));
    const [sql, params] = rules.update.changed(fixture);
    const changed = Boolean((await one<{ changed: boolean | null }>(sql, params)).changed);
    await restoreFixture();
    expect(changed, `${actor} ${rules.update.allowed.includes(actor) ? 'may' : 'must not'} update ${table}`)
      .toBe(rules.update.allowed.includes(actor));
  });

  it.each(actors)('delete as %s', async (actor) => {
    const [makeSql, makeParams] = rules.delete.make(fixture);
    const made = await one<Record<string, unknown>>(makeSql, makeParams);
    const key = rules.delete.key(made);
    const supabase = await clientFor(actor);
    await supabase.from(table).delete().match(key);
    const remaining = (await one<{ n: number }>(rules.delete.exists, [Object.values(key)[0]])).n;
    if (rules.delete.undo) await db().query(rules.delete.undo);
    expect(remaining === 0, `${actor} ${rules.delete.allowed.includes(actor) ? 'may' : 'must not'} delete from ${table}`)
      .toBe(rules.delete.allowed.includes(actor));
  });
});
