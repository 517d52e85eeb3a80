// The map must show every facility, however many there are: PostgREST answers at most
// AVAILABILITY_PAGE_SIZE rows a request, so the loader pages until a short page. The query
// builder is stood in for here; what the database returns is checked in the integration tests.
import { describe, expect, it } from 'vitest';
import { AVAILABILITY_PAGE_SIZE, fetchAllAvailability } from './facilities';

function fakeClient(total: number, failAt?: number) {
  const ranges: Array<[number, number]> = [];
  const client = {
    rpc: () => ({
      select: () => ({
        order: () => ({
          range: async (from: number, to: number) => {
            ranges.push([from, to]);
            if (failAt === from) return { data: null, error: { message: 'statement timeout' } };
            const count = Math.max(0, Math.min(to, total - 1) - from + 1);
            return { data: Array.from({ length: count }, (_, i) => ({ facility_id: `f${from + i}` })), error: null };
          }
        })
      })
    })
  };
  return { client: client as unknown as Parameters<typeof fetchAllAvailability>[0], ranges };
}

describe('fetchAllAvailability', () => {
  it('reads every facility past the per-request row cap, page by page', async () => {
    const { client, ranges } = fakeClient(2 * AVAILABILITY_PAGE_SIZE + 7);
    const rows = await fetchAllAvailability(client);
    expect(rows).toHaveLength(2 * AVAILABILITY_PAGE_SIZE + 7);
    expect(new Set(rows.map((row) => row.facility_id)).size).toBe(rows.length);
    expect(ranges).toEqual([
      [0, AVAILABILITY_PAGE_SIZE - 1],
      [AVAILABILITY_PAGE_SIZE, 2 * AVAILABILITY_PAGE_SIZE - 1],
      [2 * AVAILABILITY_PAGE_SIZE, 3 * AVAILABILITY_PAGE_SIZE - 1]
    ]);
  });

  it('asks once more after an exactly full page, and stops at the empty one', async () => {
    const { client, ranges } = fakeClient(AVAILABILITY_PAGE_SIZE);
    expect(await fetchAllAvailability(client)).toHaveLength(AVAILABILITY_PAGE_SIZE);
    expect(ranges).toHaveLength(2);
  });

  it('fails as a whole when any page fails, rather than showing part of the country', async () => {
    const { client } = fakeClient(3 * AVAILABILITY_PAGE_SIZE, AVAILABILITY_PAGE_SIZE);
    await expect(fetchAllAvailability(client)).rejects.toThrow('statement timeout');
  });
});
