// Statistics: only coordinators may read them; the figures come out right for placements, holds
// and unmet needs arranged in a municipality of their own; and nothing identifies a client.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clientFor, closeDb, db, one, scratchClient, scratchFacility, signOutAll, type Actor } from './support/stack.ts';
import { emptyMunicipality, placementRow } from './support/admin.ts';

const period = { period_start: '2020-01-01', period_end: '2024-12-31' };
let municipality: string;
let facility: string;
let clientCode: string;
let clientId: string;

beforeAll(async () => {
  municipality = await emptyMunicipality();
  facility = await scratchFacility({ municipality, rating: 4, capacity: 10 });
  const client = await scratchClient({ level: 2 });
  clientId = client.id;
  clientCode = (await one<{ code: string }>('select code from public.clients where id = $1', [clientId])).code;
  // Three ended stays (10, 20 and 40 days), a declined hold twice with the same reason written
  // differently, one expired hold, all in 2023; and two unmet needs.
  for (const [arrived, ended] of [['2023-03-01', '2023-03-11'], ['2023-04-01', '2023-04-21'], ['2023-05-01', '2023-06-10']] as const) {
    await placementRow({ client: clientId, facility, status: 'ended', persons: 2, arrivedAt: `${arrived}T10:00:00Z`, endedAt: `${ended}T10:00:00Z` });
  }
  await placementRow({ client: clientId, facility, status: 'declined', respondedAt: '2023-07-01T10:00:00Z', declineReason: 'Ei tilaa' });
  await placementRow({ client: clientId, facility, status: 'declined', respondedAt: '2023-07-02T10:00:00Z', declineReason: '  ei  TILAA ' });
  await placementRow({ client: clientId, facility, status: 'expired', expiredAt: '2023-08-01T10:00:00Z' });
  await db().query(
    `insert into public.unmet_needs (client_id, needed_on, persons, safety_level, municipality_code, reason)
     values ($1, '2023-09-05', 3, 4, $2, 'testi'), (null, '2023-09-20', 1, 4, $2, 'testi')`,
    [clientId, municipality],
  );
});

afterAll(async () => {
  await signOutAll();
  await closeDb();
});

describe('who may read statistics', () => {
  const functions = ['stats_weekly', 'stats_placements_monthly', 'stats_length_of_stay', 'stats_hold_outcomes', 'stats_unmet_needs_monthly'];
  const outcomes: Record<Actor, 'ok' | 'not_allowed' | 'denied'> = {
    anon: 'denied', coordinator: 'ok', staff: 'not_allowed', staff2: 'not_allowed', caseworker: 'not_allowed',
    caseworker2: 'not_allowed', admin: 'not_allowed', auditor: 'not_allowed',
  };
  for (const [actor, expected] of Object.entries(outcomes) as [Actor, string][]) {
    it(`${actor}: ${expected}`, async () => {
      const supabase = await clientFor(actor);
      for (const fn of functions) {
        const { error } = await supabase.rpc(fn, { ...period, municipality });
        if (expected === 'ok') expect(error, fn).toBeNull();
        else if (expected === 'not_allowed') expect(error?.message, fn).toBe('not_allowed');
        else expect(error?.code, fn).toBe('42501');
      }
    });
  }
});

describe('the figures', () => {
  it('count placements started and ended per month, with persons', async () => {
    const supabase = await clientFor('coordinator');
    const { data, error } = await supabase.rpc('stats_placements_monthly', { period_start: '2023-03-01', period_end: '2023-06-30', municipality });
    expect(error).toBeNull();
    expect(data).toEqual([
      { month: '2023-03-01', started: 1, persons_started: 2, ended: 1, persons_ended: 2 },
      { month: '2023-04-01', started: 1, persons_started: 2, ended: 1, persons_ended: 2 },
      { month: '2023-05-01', started: 1, persons_started: 2, ended: 0, persons_ended: 0 },
      { month: '2023-06-01', started: 0, persons_started: 0, ended: 1, persons_ended: 2 },
    ]);
  });

  it('give the median and 90th percentile length of stay', async () => {
    const supabase = await clientFor('coordinator');
    const { data } = await supabase.rpc('stats_length_of_stay', { ...period, municipality });
    // 10, 20, 40 days: median 20; p90 = 20 + 0.8 * (40 - 20) = 36
    expect(data).toEqual([
      { kind: 'shelter', placements: 3, median_days: 20, p90_days: 36 },
      { kind: null, placements: 3, median_days: 20, p90_days: 36 },
    ]);
  });

  it('group declined holds by reason regardless of case and spacing, and count expired ones', async () => {
    const supabase = await clientFor('coordinator');
    const { data } = await supabase.rpc('stats_hold_outcomes', { ...period, municipality });
    expect(data).toEqual([
      { outcome: 'declined', reason: expect.stringMatching(/^ei tilaa$/i), holds: 2, persons: 2 },
      { outcome: 'expired', reason: null, holds: 1, persons: 1 },
    ]);
  });

  it('count unmet needs by month, level and region', async () => {
    const supabase = await clientFor('coordinator');
    const { data } = await supabase.rpc('stats_unmet_needs_monthly', { ...period, municipality });
    expect(data).toHaveLength(1);
    expect(data?.[0]).toMatchObject({ month: '2023-09-01', safety_level: 4, needs: 2, persons: 4 });
  });

  it('filter by facility kind (a reception-centre filter leaves the shelter out)', async () => {
    const supabase = await clientFor('coordinator');
    const { data } = await supabase.rpc('stats_length_of_stay', { ...period, municipality, facility_kind: 'reception_centre' });
    expect(data).toEqual([{ kind: null, placements: 0, median_days: null, p90_days: null }]);
  });

  it('compute weekly occupancy from capacity reports and stays', async () => {
    const supabase = await clientFor('coordinator');
    const today = new Date().toISOString().slice(0, 10);
    const start = new Date(Date.now() - 13 * 86_400_000).toISOString().slice(0, 10);
    const { data, error } = await supabase.rpc('stats_weekly', { period_start: start, period_end: today, municipality });
    expect(error).toBeNull();
    expect(data?.length).toBeGreaterThanOrEqual(2);
    for (const week of data ?? []) {
      // the scratch facility reported 10 places (today) and nobody lives there now
      expect(week.occupied_place_days).toBe(0);
      expect(week.facility_days).toBeGreaterThan(0);
    }
  });

  it('refuse a reversed or too long period', async () => {
    const supabase = await clientFor('coordinator');
    expect((await supabase.rpc('stats_weekly', { period_start: '2024-02-01', period_end: '2024-01-01' })).error?.message).toBe('invalid_period');
    expect((await supabase.rpc('stats_weekly', { period_start: '2010-01-01', period_end: '2024-01-01' })).error?.message).toBe('invalid_period');
  });

  it('never contain a client code or client id', async () => {
    const supabase = await clientFor('coordinator');
    const everything = await Promise.all(
      ['stats_weekly', 'stats_placements_monthly', 'stats_length_of_stay', 'stats_hold_outcomes'].map((fn) =>
        supabase.rpc(fn, { ...period, municipality }),
      ),
    );
    everything.push(await supabase.rpc('stats_unmet_needs_monthly', { ...period, municipality }));
    const text = JSON.stringify(everything.map((result) => result.data));
    expect(text).not.toContain(clientCode);
    expect(text).not.toContain(clientId);
    expect(text).not.toContain(randomUUID().slice(0, 0) + facility);
  });
});
