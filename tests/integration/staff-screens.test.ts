// The facility staff's screens read through RLS with the user's own client, and mirror the
// capacity rules of update_capacity in TypeScript: both checked here against the real stack.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import type { SupabaseClient } from '@supabase/supabase-js';
import { fieldForCapacityCode, parseCapacityForm } from '../../src/lib/components/staff/capacity-form';
import { listMyFacilities, loadMyFacility } from '../../src/lib/components/staff/facility-data';
import { rpcErrorCode } from '../../src/lib/components/staff/placement-forms';
import type { Database } from '../../src/lib/supabase/database.types';
import { clientFor, closeDb, db, demoUsers, helsinkiDate, hoursFromNow, KAISLA, one, PAJU, rows, scratchClient, scratchFacility, signOutAll } from './support/stack';

let facility: string;
let holdId: string;
let clientCode: string;

async function as(actor: 'staff' | 'staff2' | 'coordinator'): Promise<SupabaseClient<Database>> {
  return (await clientFor(actor)) as unknown as SupabaseClient<Database>;
}

beforeAll(async () => {
  facility = await scratchFacility({ members: [demoUsers.staff.id], capacity: 8 });
  const client = await scratchClient({ level: 2, children: [{ birthYear: 2017, gender: 'male' }] });
  clientCode = (await one<{ code: string }>('select code from public.clients where id = $1', [client.id])).code;
  const coordinator = await clientFor('coordinator');
  const held = await coordinator.rpc('place_hold', {
    client_id: client.id, facility_id: facility, persons: [client.id, ...client.children], planned_arrival: helsinkiDate(1),
    planned_end: null, hold_expires_at: hoursFromNow(5), idempotency_key: randomUUID(),
  });
  expect(held.error).toBeNull();
  holdId = (held.data as { id: string }).id;
});

afterAll(async () => {
  await db().query('delete from public.facility_memberships where staff_id = $1 and facility_id = $2', [demoUsers.staff.id, facility]);
  await signOutAll();
  await closeDb();
});

describe('what the staff screens read', () => {
  it('lists only the facilities the staff member belongs to', async () => {
    // Other test files add staff@ to scratch facilities of their own while this runs, so the list
    // is compared with the memberships read just before and just after it.
    const membershipsOf = async (staffId: string) =>
      (await rows<{ facility_id: string }>('select facility_id from public.facility_memberships where staff_id = $1', [staffId])).map((row) => row.facility_id);
    const expectOnlyMemberships = async (actor: 'staff' | 'staff2', staffId: string, mustList: string[], mustNotList: string[]) => {
      const before = await membershipsOf(staffId);
      const listed = (await listMyFacilities(await as(actor), staffId)).map((row) => row.id);
      const after = await membershipsOf(staffId);
      expect(listed).toEqual(expect.arrayContaining(mustList));
      for (const id of mustNotList) expect(listed, `${actor} must not see facility ${id}`).not.toContain(id);
      for (const id of listed) expect([...before, ...after], `${actor} is not a member of listed facility ${id}`).toContain(id);
    };
    await expectOnlyMemberships('staff', demoUsers.staff.id, [KAISLA, facility], [PAJU]);
    await expectOnlyMemberships('staff2', demoUsers.staff2.id, [PAJU], [KAISLA, facility]);
  });

  it('shows a member the hold with the client code, persons, child and safety level, and the figures counting it', async () => {
    const view = await loadMyFacility(await as('staff'), demoUsers.staff.id, facility, new Date());
    expect(view).not.toBeNull();
    expect(view?.holds).toHaveLength(1);
    expect(view?.holds[0]).toMatchObject({ id: holdId, clientCode, persons: 2, safetyLevel: 2, children: [{ birthYear: 2017, gender: 'male' }] });
    expect(view?.facility).toMatchObject({ capacity: 8, held: 2, freePlaces: 6, occupied: 0 });
    expect(view?.arrivals).toEqual([]);
  });

  it('gives another facility’s staff nothing: no view, no placement, no client', async () => {
    const staff2 = await as('staff2');
    expect(await loadMyFacility(staff2, demoUsers.staff2.id, facility, new Date())).toBeNull();
    // Even claiming to be staff@ changes nothing: RLS answers for the token, not the argument.
    expect(await loadMyFacility(staff2, demoUsers.staff.id, facility, new Date())).toBeNull();
    const placements = await staff2.from('placements').select('id').eq('id', holdId);
    expect(placements.data).toEqual([]);
    const clients = await staff2.from('clients').select('id').eq('code', clientCode);
    expect(clients.data).toEqual([]);
  });

  it('drops a hold from the list once its deadline has passed, even before expire_holds() runs', async () => {
    const later = new Date(Date.now() + 6 * 3_600_000);
    const view = await loadMyFacility(await as('staff'), demoUsers.staff.id, facility, later);
    expect(view?.holds).toEqual([]);
  });
});

describe('the capacity form agrees with update_capacity', () => {
  const cases: [capacity: string, outOfService: string, reason: string, others: string][] = [];
  for (const capacity of ['0', '3', '10000', '10001', '-1']) {
    for (const outOfService of ['0', '2', '4']) {
      for (const reason of ['', 'Vesivahinko', 'x'.repeat(501)]) {
        for (const others of ['0', '1', '3']) cases.push([capacity, outOfService, reason, others]);
      }
    }
  }

  it(`accepts exactly what the database accepts, and puts each refusal beside the same field (${cases.length} cases)`, async () => {
    const staff = await as('staff');
    const target = await scratchFacility({ members: [demoUsers.staff.id], capacity: 5 });
    try {
      for (const [capacity, outOfService, reason, others] of cases) {
        const form = new FormData();
        form.set('capacity', capacity);
        form.set('out_of_service', outOfService);
        form.set('out_of_service_reason', reason);
        form.set('occupied_by_others', others);
        const parsed = parseCapacityForm(form);
        const { error } = await staff.rpc('update_capacity', {
          facility_id: target, capacity: Number(capacity), out_of_service: Number(outOfService),
          out_of_service_reason: reason === '' ? (null as unknown as string) : reason, occupied_by_others: Number(others),
        });
        const label = `capacity ${capacity}, out of service ${outOfService}, reason ${reason.length} chars, others ${others}`;
        expect(parsed.ok, label).toBe(error === null);
        if (error && !parsed.ok) {
          const code = rpcErrorCode(error);
          expect(code, label).not.toBeNull();
          const mapped = fieldForCapacityCode(code ?? '');
          expect(mapped, `${label}: ${code}`).not.toBeNull();
          expect(Object.keys(parsed.errors), `${label}: ${code}`).toContain(mapped?.field);
        }
      }
    } finally {
      await db().query('delete from public.facility_memberships where staff_id = $1 and facility_id = $2', [demoUsers.staff.id, target]);
    }
  });
});
