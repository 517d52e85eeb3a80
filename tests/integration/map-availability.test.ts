// The map's status words (src/lib/domain/availability.ts) agree with the database's
// (private.availability_status, as facility_availability() reports it): on every seeded facility,
// and on a generated grid of figures around each threshold.
import { afterAll, describe, expect, it } from 'vitest';
import { availabilityStatus } from '../../src/lib/domain/availability.ts';
import { clientFor, closeDb, rows, signOutAll } from './support/stack.ts';

afterAll(async () => {
  await signOutAll();
  await closeDb();
});

interface AvailabilityRow {
  facility_id: string;
  name: string;
  active: boolean;
  capacity: number | null;
  free_places: number;
  over_occupied: boolean;
  status: string;
  last_confirmed_at: string | null;
}

describe('availability status thresholds', () => {
  it('match the database on every facility of the seed, as the coordinator sees them', async () => {
    const coordinator = await clientFor('coordinator');
    const { data, error } = await coordinator
      .rpc('facility_availability')
      .select('facility_id, name, active, capacity, free_places, over_occupied, status, last_confirmed_at');
    expect(error).toBeNull();
    const facilities = data as unknown as AvailabilityRow[];
    const now = new Date();
    const disagreements = facilities
      .map((row) => ({
        name: row.name,
        database: row.status,
        app: availabilityStatus(
          { active: row.active, capacity: row.capacity, freePlaces: row.free_places, overOccupied: row.over_occupied, lastConfirmedAt: row.last_confirmed_at },
          now
        )
      }))
      .filter((row) => row.database !== row.app);
    expect(disagreements, 'facilities whose status the map would word differently from the database').toEqual([]);
    // The seed has enough variety for the comparison to mean something (other test files running
    // at the same time may add more statuses, such as an over-occupied facility of their own).
    expect([...new Set(facilities.map((row) => row.status))]).toEqual(expect.arrayContaining(['free', 'few', 'full', 'stale', 'closed']));
  });

  it('match the database on a grid of figures around every threshold', async () => {
    const cases: { active: boolean; capacity: number | null; freeRaw: number; hoursAgo: number | null }[] = [];
    for (const active of [true, false]) {
      for (const capacity of [null, 0, 1, 5, 20, 21, 30, 150]) {
        for (const freeRaw of [-3, -1, 0, 1, 2, 3, 4, 15, 16]) {
          for (const hoursAgo of [null, 0.5, 23.9, 24.1, 200]) {
            if ((capacity === null) !== (hoursAgo === null)) continue; // no report means neither
            cases.push({ active, capacity, freeRaw, hoursAgo });
          }
        }
      }
    }
    const statuses = await rows<{ status: string; checked_at: Date }>(
      `select private.availability_status(c.active, c.capacity, c.free_raw,
                case when c.hours_ago is null then null else now() - make_interval(secs => c.hours_ago * 3600) end) as status,
              now() as checked_at
         from jsonb_to_recordset($1::jsonb) as c(active boolean, capacity integer, free_raw integer, hours_ago double precision, ord integer)
        order by c.ord`,
      [JSON.stringify(cases.map((c, ord) => ({ active: c.active, capacity: c.capacity, free_raw: c.freeRaw, hours_ago: c.hoursAgo, ord })))]
    );
    expect(statuses).toHaveLength(cases.length);
    const disagreements = cases.flatMap((c, index) => {
      const row = statuses[index]!;
      const now = new Date(row.checked_at);
      const app = availabilityStatus(
        {
          active: c.active,
          capacity: c.capacity,
          freePlaces: Math.max(c.freeRaw, 0),
          overOccupied: c.freeRaw < 0,
          lastConfirmedAt: c.hoursAgo === null ? null : new Date(now.getTime() - c.hoursAgo * 3_600_000)
        },
        now
      );
      return app === row.status ? [] : [{ ...c, database: row.status, app }];
    });
    expect(disagreements).toEqual([]);
  });
});
