// Many coordinators reaching for the last places of one facility at the same instant: exactly as
// many holds succeed as there were places, every time.
import { randomUUID } from 'node:crypto';
import type { SupabaseClient } from '@supabase/supabase-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeDb, demoUsers, DEMO_PASSWORD, helsinkiDate, hoursFromNow, newClient, one, scratchClient, scratchFacility } from './support/stack.ts';

const coordinators: SupabaseClient[] = [];

beforeAll(async () => {
  // separate sessions, so the requests really travel side by side through separate connections
  for (let i = 0; i < 5; i++) {
    const supabase = newClient();
    const { error } = await supabase.auth.signInWithPassword({ email: demoUsers.coordinator.email, password: DEMO_PASSWORD });
    if (error) throw error;
    coordinators.push(supabase);
  }
});

afterAll(async () => {
  for (const supabase of coordinators) await supabase.realtime.disconnect();
  await closeDb();
});

describe('no overbooking under concurrency', () => {
  it.each([1, 2, 3, 4, 5, 6])('round %i: 20 simultaneous holds for the last 3 places -> exactly 3 succeed', async () => {
    const facility = await scratchFacility({ capacity: 3 });
    const clients = await Promise.all(Array.from({ length: 20 }, () => scratchClient()));
    const results = await Promise.all(clients.map((client, i) => coordinators[i % coordinators.length]!.rpc('place_hold', {
      client_id: client.id, facility_id: facility, persons: [client.id], planned_arrival: helsinkiDate(), planned_end: null,
      hold_expires_at: hoursFromNow(12), idempotency_key: randomUUID(),
    })));
    const succeeded = results.filter((r) => !r.error);
    const refused = results.filter((r) => r.error);
    expect(succeeded).toHaveLength(3);
    expect(new Set(refused.map((r) => r.error!.message))).toEqual(new Set(['not_enough_places']));
    const held = await one<{ n: number }>("select coalesce(sum(persons), 0)::int as n from public.placements where facility_id = $1 and status = 'hold'", [facility]);
    expect(held.n).toBe(3);
  });

  it('households compete too: 10 families of 2 for 5 places -> exactly 2 families get in', async () => {
    const facility = await scratchFacility({ capacity: 5 });
    const families = await Promise.all(Array.from({ length: 10 }, () => scratchClient({ children: [{ birthYear: 2020, gender: 'female' }] })));
    const results = await Promise.all(families.map((family, i) => coordinators[i % coordinators.length]!.rpc('place_hold', {
      client_id: family.id, facility_id: facility, persons: [family.id, ...family.children], planned_arrival: helsinkiDate(),
      planned_end: null, hold_expires_at: hoursFromNow(12), idempotency_key: randomUUID(),
    })));
    expect(results.filter((r) => !r.error)).toHaveLength(2);
  });

  it('the same double-submitted hold from two sessions at once creates one record', async () => {
    const facility = await scratchFacility({ capacity: 3 });
    const client = await scratchClient();
    const key = randomUUID();
    const args = { client_id: client.id, facility_id: facility, persons: [client.id], planned_arrival: helsinkiDate(), planned_end: null, hold_expires_at: hoursFromNow(12), idempotency_key: key };
    const results = await Promise.all(coordinators.map((supabase) => supabase.rpc('place_hold', args)));
    expect(results.every((r) => !r.error)).toBe(true);
    expect(new Set(results.map((r) => r.data.id)).size).toBe(1);
    expect((await one<{ n: number }>('select count(*)::int as n from public.placements where client_id = $1', [client.id])).n).toBe(1);
  });
});
