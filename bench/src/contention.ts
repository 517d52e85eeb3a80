// 3. Contention: 200 coordinators' sessions reach for the 50 free places of one facility at the
// same instant, each holding a place for a different client. Exactly 50 must succeed; anything
// else is an overbooking (or a lost booking) and fails the whole run.
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import type { RunningStack } from '../../local-stack/src/stack.ts';
import { clientWithToken, COORDINATOR_ID } from './supabase.ts';

export const CONTENDERS = 200;
export const FREE_PLACES = 50;

export interface ContentionRound {
  succeeded: number;
  refusedNotEnoughPlaces: number;
  otherErrors: string[];
  heldInDatabase: number;
  seconds: number;
  opsPerSecond: number;
}

export interface ContentionResults {
  rounds: ContentionRound[];
  /** True only when every round had exactly FREE_PLACES holds, in the answers and in the database. */
  exact: boolean;
  opsPerSecondMedian: number;
}

async function arrange(db: pg.Client, round: number): Promise<{ facilityId: string; clientIds: string[] }> {
  const facilityId = randomUUID();
  await db.query('begin');
  try {
    await db.query(
      `insert into public.facilities (id, name, kind, municipality_code, security_rating, gender_policy, takes_children, active)
       values ($1, $2, 'reception_centre', '091', 4, 'any', true, true)`,
      [facilityId, `Kilpailutesti ${round}`],
    );
    await db.query(
      `insert into public.capacity_reports (facility_id, kind, capacity, reported_by, reported_role)
       values ($1, 'update', $2, $3, 'coordinator')`,
      [facilityId, FREE_PLACES, COORDINATOR_ID],
    );
    const clients = await db.query<{ id: string }>(
      `insert into public.clients (gender, birth_year, safety_level, created_by)
       select 'female', 1990, 1, $2 from generate_series(1, $1) returning id`,
      [CONTENDERS, COORDINATOR_ID],
    );
    await db.query('commit');
    return { facilityId, clientIds: clients.rows.map((row) => row.id) };
  } catch (error) {
    await db.query('rollback');
    throw error;
  }
}

export async function measureContention(stack: RunningStack, token: string, rounds: number, log: (message: string) => void): Promise<ContentionResults> {
  const db = new pg.Client({ connectionString: stack.databaseUrl });
  await db.connect();
  // One supabase-js client per contender: separate instances, as separate browsers would be.
  const sessions = Array.from({ length: CONTENDERS }, () => clientWithToken(stack, token));
  const results: ContentionRound[] = [];
  try {
    for (let round = 1; round <= rounds; round++) {
      const { facilityId, clientIds } = await arrange(db, round);
      const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Helsinki' }).format(new Date());
      const deadline = new Date(Date.now() + 12 * 3600 * 1000).toISOString();
      const started = performance.now();
      const answers = await Promise.all(
        clientIds.map((clientId, i) =>
          sessions[i]!.rpc('place_hold', {
            client_id: clientId,
            facility_id: facilityId,
            persons: [clientId],
            planned_arrival: today,
            planned_end: null,
            hold_expires_at: deadline,
            idempotency_key: randomUUID(),
          }),
        ),
      );
      const seconds = (performance.now() - started) / 1000;
      const held = await db.query<{ persons: number }>(
        `select coalesce(sum(persons), 0)::int as persons from public.placements where facility_id = $1 and status = 'hold'`,
        [facilityId],
      );
      const otherErrors = answers.filter((a) => a.error && a.error.message !== 'not_enough_places').map((a) => a.error!.message);
      const outcome: ContentionRound = {
        succeeded: answers.filter((a) => !a.error).length,
        refusedNotEnoughPlaces: answers.filter((a) => a.error?.message === 'not_enough_places').length,
        otherErrors: [...new Set(otherErrors)],
        heldInDatabase: held.rows[0]!.persons,
        seconds,
        opsPerSecond: CONTENDERS / seconds,
      };
      results.push(outcome);
      log(`contention round ${round}: ${outcome.succeeded} held, ${outcome.refusedNotEnoughPlaces} refused, ${outcome.otherErrors.length} other errors, ${outcome.opsPerSecond.toFixed(0)} ops/s`);
    }
  } finally {
    await db.end();
  }
  const exact = results.every((r) => r.succeeded === FREE_PLACES && r.heldInDatabase === FREE_PLACES && r.otherErrors.length === 0);
  const sorted = results.map((r) => r.opsPerSecond).sort((a, b) => a - b);
  return { rounds: results, exact, opsPerSecondMedian: sorted[Math.floor((sorted.length - 1) / 2)] ?? 0 };
}
