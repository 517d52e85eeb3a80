// Failure drills against a real stack of their own: Postgres restarts under a stream of writes,
// the gateway (Auth, Realtime) restarts under an open channel, and a form submitted twice at the
// same instant. What must hold: every write is either committed once or reported as not saved
// (and a retry of a reported failure never makes a second record), the clients recover without
// help, a live channel comes back and delivers again.
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createClient, type RealtimeChannel, type SupabaseClient } from '@supabase/supabase-js';
import pg from 'pg';
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStack, type RunningStack } from '../../local-stack/src/stack.ts';

let dir: string;
let stack: RunningStack;
let db: pg.Pool;
let coordinator: SupabaseClient;

function newClient(): SupabaseClient {
  return createClient(stack.url, stack.publishableKey, {
    auth: { persistSession: false, autoRefreshToken: false },
    realtime: { transport: WebSocket as unknown as typeof globalThis.WebSocket },
  });
}

async function signedIn(email: string): Promise<SupabaseClient> {
  const supabase = newClient();
  const { error } = await supabase.auth.signInWithPassword({ email, password: 'suoja-demo' });
  if (error) throw error;
  return supabase;
}

/** A facility and clients of the drill's own; returns their ids. */
async function scratch(capacity: number, clientCount: number): Promise<{ facility: string; clients: string[] }> {
  const facility = randomUUID();
  await db.query(
    `insert into public.facilities (id, name, kind, municipality_code, security_rating, takes_children)
     values ($1, $2, 'shelter', '091', 4, true)`,
    [facility, `Harjoituskoti ${facility.slice(0, 8)}`],
  );
  await db.query(`insert into public.capacity_reports (facility_id, kind, capacity, reported_role) values ($1, 'update', $2, 'coordinator')`, [facility, capacity]);
  const clients: string[] = [];
  for (let i = 0; i < clientCount; i++) {
    const { rows } = await db.query<{ id: string }>(`insert into public.clients (gender, birth_year, safety_level, languages) values ('female', 1990, 1, '{fi}') returning id`);
    clients.push(rows[0]!.id);
  }
  return { facility, clients };
}

function helsinkiToday(): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Helsinki' }).format(new Date());
}

function holdArgs(client: string, facility: string, key: string) {
  return {
    client_id: client,
    facility_id: facility,
    persons: [client],
    planned_arrival: helsinkiToday(),
    planned_end: null as unknown as string,
    hold_expires_at: new Date(Date.now() + 12 * 3_600_000).toISOString(),
    idempotency_key: key,
  };
}

async function until(check: () => Promise<boolean> | boolean, what: string): Promise<void> {
  for (let i = 0; i < 300; i++) {
    if (await check()) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`never saw ${what}`);
}

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'suoja-drills-'));
  stack = await startStack({ dataDir: path.join(dir, 'stack'), apiPort: 0, dbPort: 0, fsync: false, logToStderr: false });
  db = new pg.Pool({ connectionString: stack.databaseUrl, max: 3 });
  db.on('error', () => {
    // Idle connections see the drill's Postgres restart; the pool reconnects on the next query.
  });
  coordinator = await signedIn('coordinator@suoja.example');
}, 180_000);

afterAll(async () => {
  await coordinator?.realtime.disconnect();
  await db?.end();
  await stack?.stop();
  await rm(dir, { recursive: true, force: true });
});

describe('Postgres restarts while coordinators work', () => {
  it('commits every write once or reports it unsaved; retries of unsaved ones never duplicate; service resumes by itself', async () => {
    const { facility, clients } = await scratch(40, 30);
    const attempts = clients.map((client) => ({ client, key: randomUUID(), outcome: 'pending' as 'saved' | 'failed' | 'pending' }));

    // Holds go out one after another while Postgres is restarted in the middle of them.
    const writer = (async () => {
      for (const attempt of attempts) {
        const { error } = await coordinator.rpc('place_hold', holdArgs(attempt.client, facility, attempt.key));
        attempt.outcome = error ? 'failed' : 'saved';
      }
    })();
    await until(() => attempts.filter((a) => a.outcome !== 'pending').length >= 5, 'the first holds');
    await stack.restartPostgres();
    await writer;

    const failed = attempts.filter((a) => a.outcome === 'failed');
    const saved = attempts.filter((a) => a.outcome === 'saved');
    expect(saved.length).toBeGreaterThan(0);

    const counts = async () =>
      new Map(
        (await db.query<{ key: string; n: string }>(`select idempotency_key::text as key, count(*)::text as n from public.placements where facility_id = $1 group by 1`, [facility])).rows.map(
          (row) => [row.key, Number(row.n)],
        ),
      );
    const afterRestart = await counts();
    for (const attempt of saved) expect(afterRestart.get(attempt.key), `hold ${attempt.key} was reported saved`).toBe(1);

    // The user tries again whatever was reported unsaved: each ends up as exactly one hold.
    for (const attempt of failed) {
      const { error } = await coordinator.rpc('place_hold', holdArgs(attempt.client, facility, attempt.key));
      expect(error, `retry of ${attempt.key}`).toBeNull();
    }
    const final = await counts();
    for (const attempt of attempts) expect(final.get(attempt.key), `hold ${attempt.key}`).toBe(1);
    expect([...final.values()].reduce((a, b) => a + b, 0)).toBe(attempts.length);

    // Reads work again without anyone reconnecting by hand, and sign-in too (Auth's own pool).
    const { data, error } = await coordinator.rpc('facility_availability', {});
    expect(error).toBeNull();
    expect(Array.isArray(data)).toBe(true);
    await signedIn('staff@suoja.example');
  }, 120_000);
});

describe('the gateway (Auth, Realtime) restarts', () => {
  it('an open channel resubscribes by itself and receives the next change', async () => {
    const { facility } = await scratch(5, 0);
    const staff = await signedIn('staff2@suoja.example');
    await staff.realtime.setAuth();
    const received: Array<{ payload: { facility_id: string; capacity: number } }> = [];
    const statuses: string[] = [];
    const channel: RealtimeChannel = staff.channel('availability', { config: { private: true } });
    channel.on('broadcast', { event: 'availability_changed' }, (message) => received.push(message as never));
    channel.subscribe((status) => statuses.push(status));
    await until(() => statuses.includes('SUBSCRIBED'), 'the first subscription');

    await stack.restartGateway();
    // realtime-js notices the dropped socket, reconnects with back-off and joins again.
    await until(() => statuses.filter((s) => s === 'SUBSCRIBED').length >= 2, 'a new subscription after the restart');
    expect(channel.state).toBe('joined');

    // The client refetches after a reconnect; the API answers again straight away.
    const { error: readError } = await staff.rpc('facility_availability', {});
    expect(readError).toBeNull();

    const { error } = await coordinator.rpc('update_capacity', {
      facility_id: facility,
      capacity: 9,
      out_of_service: 0,
      out_of_service_reason: null as unknown as string,
      occupied_by_others: 0,
    });
    expect(error).toBeNull();
    await until(() => received.some((m) => m.payload.facility_id === facility && m.payload.capacity === 9), 'the change after the restart');
    await staff.removeChannel(channel);
    await staff.realtime.disconnect();
  }, 120_000);
});

describe('double submission and the last place', () => {
  it('the same hold submitted twice at the same instant makes one record', async () => {
    const { facility, clients } = await scratch(3, 1);
    const key = randomUUID();
    const [first, second] = await Promise.all([
      coordinator.rpc('place_hold', holdArgs(clients[0]!, facility, key)),
      coordinator.rpc('place_hold', holdArgs(clients[0]!, facility, key)),
    ]);
    // Both answers name the same hold, or the loser is told plainly; never two records.
    const outcomes = [first, second].map((r) => (r.error ? r.error.message : (r.data as { id: string }).id));
    const ids = outcomes.filter((o) => /^[0-9a-f-]{36}$/.test(o));
    expect(ids.length).toBeGreaterThanOrEqual(1);
    expect(new Set(ids).size).toBe(1);
    const { rows } = await db.query(`select id from public.placements where idempotency_key = $1`, [key]);
    expect(rows).toHaveLength(1);
  });

  it('two coordinators taking the last place at once: one hold, one clear refusal', async () => {
    const { facility, clients } = await scratch(1, 2);
    const email = `drill-coordinator-${randomUUID().slice(0, 8)}@suoja.example`;
    const { error: createError } = await createClient(stack.url, stack.secretKey, {
      auth: { persistSession: false, autoRefreshToken: false },
      realtime: { transport: WebSocket as unknown as typeof globalThis.WebSocket },
    }).auth.admin.createUser({ email, password: 'suoja-demo', email_confirm: true, app_metadata: { role: 'coordinator' } });
    expect(createError).toBeNull();
    const other = await signedIn(email);
    const results = await Promise.all([
      coordinator.rpc('place_hold', holdArgs(clients[0]!, facility, randomUUID())),
      other.rpc('place_hold', holdArgs(clients[1]!, facility, randomUUID())),
    ]);
    expect(results.filter((r) => !r.error)).toHaveLength(1);
    expect(results.filter((r) => r.error).map((r) => r.error!.message)).toEqual(['not_enough_places']);
    const { rows } = await db.query(`select id from public.placements where facility_id = $1`, [facility]);
    expect(rows).toHaveLength(1);
  });
});
