// Retention: clients whose housing ended more than the configured number of years ago are
// deleted with everything about them; the statistics do not change; the trail records it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClient } from '@supabase/supabase-js';
import { inject } from 'vitest';
import WebSocket from 'ws';
import { clientFor, closeDb, db, one, rows, scratchClient, scratchFacility, signOutAll } from './support/stack.ts';
import { emptyMunicipality, placementRow } from './support/admin.ts';

function yearsAgo(years: number, days = 0): string {
  return new Date(Date.now() - years * 365.25 * 86_400_000 - days * 86_400_000).toISOString();
}

async function oldClient(createdYearsAgo: number): Promise<string> {
  const client = await scratchClient({ children: [{ birthYear: 2015, gender: 'female' }] });
  // The touch trigger would stamp now() as updated_at; set up history as if it were years old.
  const connection = await db().connect();
  try {
    await connection.query('begin');
    await connection.query('set local session_replication_role = replica');
    await connection.query('update public.clients set created_at = $2, updated_at = $2 where id = $1', [client.id, yearsAgo(createdYearsAgo)]);
    await connection.query('commit');
  } finally {
    connection.release();
  }
  await db().query(
    `insert into public.exclusion_zones (client_id, kind, municipality_code) values ($1, 'municipality', '091')`, [client.id]);
  return client.id;
}

async function exists(id: string): Promise<boolean> {
  return (await one<{ n: number }>('select count(*)::int as n from public.clients where id = $1', [id])).n === 1;
}

const applyRetention = async (): Promise<number> => {
  const service = createClient(inject('url'), inject('secretKey'), {
    auth: { persistSession: false, autoRefreshToken: false },
    realtime: { transport: WebSocket as unknown as typeof globalThis.WebSocket },
  });
  const { data, error } = await service.rpc('apply_retention');
  if (error) throw new Error(error.message);
  return data as number;
};

let municipality: string;
let facility: string;
let endedSixYearsAgo: string;
let endedFourYearsAgo: string;
let activeNow: string;
let placementOfDeleted: string;

beforeAll(async () => {
  municipality = await emptyMunicipality();
  facility = await scratchFacility({ municipality, capacity: 20 });

  endedSixYearsAgo = await oldClient(8);
  placementOfDeleted = await placementRow({ client: endedSixYearsAgo, facility, status: 'ended', persons: 2, arrivedAt: yearsAgo(6, 40), endedAt: yearsAgo(6) });
  await db().query(
    "insert into public.unmet_needs (client_id, needed_on, persons, safety_level, municipality_code, reason) values ($1, $2, 2, 3, $3, 'ei paikkaa')",
    [endedSixYearsAgo, yearsAgo(6, 50).slice(0, 10), municipality],
  );

  endedFourYearsAgo = await oldClient(8);
  await placementRow({ client: endedFourYearsAgo, facility, status: 'ended', arrivedAt: yearsAgo(4, 30), endedAt: yearsAgo(4) });

  // ended long ago, but living somewhere now: never deleted
  activeNow = await oldClient(8);
  await placementRow({ client: activeNow, facility, status: 'ended', arrivedAt: yearsAgo(7, 30), endedAt: yearsAgo(7) });
  await placementRow({ client: activeNow, facility, status: 'active', arrivedAt: yearsAgo(0, 5) });
});

afterAll(async () => {
  await db().query('update public.retention_settings set client_retention_years = 5');
  await signOutAll();
  await closeDb();
});

describe('retention', () => {
  it('deletes a client whose last placement ended more than five years ago, with zones, children and placements', async () => {
    const coordinator = await clientFor('coordinator');
    // at most five years per request: 7.5 to 3 years ago holds the three ended stays
    const statsArgs = { period_start: yearsAgo(7, 180).slice(0, 10), period_end: yearsAgo(3).slice(0, 10), municipality };
    const before = await Promise.all([
      coordinator.rpc('stats_placements_monthly', statsArgs),
      coordinator.rpc('stats_length_of_stay', statsArgs),
      coordinator.rpc('stats_unmet_needs_monthly', statsArgs),
    ]);

    const deleted = await applyRetention();
    expect(deleted).toBeGreaterThanOrEqual(1);

    expect(await exists(endedSixYearsAgo)).toBe(false);
    expect(await exists(endedFourYearsAgo)).toBe(true);
    expect(await exists(activeNow)).toBe(true);
    for (const table of ['exclusion_zones', 'client_children', 'placements', 'caseworker_assignments']) {
      const left = await one<{ n: number }>(`select count(*)::int as n from public.${table} where client_id = $1`, [endedSixYearsAgo]);
      expect(left.n, table).toBe(0);
    }
    expect((await one<{ n: number }>('select count(*)::int as n from public.placements where id = $1', [placementOfDeleted])).n).toBe(0);

    // the statistics are exactly as before
    const after = await Promise.all([
      coordinator.rpc('stats_placements_monthly', statsArgs),
      coordinator.rpc('stats_length_of_stay', statsArgs),
      coordinator.rpc('stats_unmet_needs_monthly', statsArgs),
    ]);
    for (const result of [...before, ...after]) expect(result.error).toBeNull();
    expect(after.map((r) => r.data)).toEqual(before.map((r) => r.data));
    expect(before[1].data?.find((r: { kind: string | null }) => r.kind === null)?.placements).toBe(3);

    // the unmet need stays, without its client
    expect(before[2].data).toHaveLength(1);
    const need = await one<{ client_id: string | null }>('select client_id from public.unmet_needs where municipality_code = $1', [municipality]);
    expect(need.client_id).toBeNull();
  });

  it('records the run and every deleted row in the audit trail with the reason', async () => {
    const summary = await rows<{ new_data: { deleted_clients: number; retention_years: number } }>(
      "select new_data from public.audit_log where reason = 'retention' and table_name = 'clients' and row_id is null order by id desc limit 1");
    expect(summary[0]?.new_data.retention_years).toBe(5);
    expect(summary[0]?.new_data.deleted_clients).toBeGreaterThanOrEqual(1);
    const perRow = await rows<{ table_name: string }>(
      "select distinct table_name from public.audit_log where reason = 'retention' and action = 'delete' and client_id = $1", [endedSixYearsAgo]);
    expect(perRow.map((r) => r.table_name).sort()).toEqual(expect.arrayContaining(['clients', 'exclusion_zones', 'placements']));
  });

  it('follows the configured number of years', async () => {
    await db().query('update public.retention_settings set client_retention_years = 3');
    await applyRetention();
    expect(await exists(endedFourYearsAgo)).toBe(false);
    expect(await exists(activeNow)).toBe(true);
  });

  it('does nothing (and writes no summary) when nobody is due', async () => {
    await db().query('update public.retention_settings set client_retention_years = 5');
    const summaries = async () => (await one<{ n: number }>("select count(*)::int as n from public.audit_log where reason = 'retention' and row_id is null")).n;
    const before = await summaries();
    expect(await applyRetention()).toBe(0);
    expect(await summaries()).toBe(before);
  });
});
