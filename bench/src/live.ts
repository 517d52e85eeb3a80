// 4. Live update latency: a capacity change committed in Postgres until the callback in a
// subscribed supabase-js client (private `availability` channel, Broadcast from the database),
// with 1 and with 200 subscribers, next to a bare LISTEN/NOTIFY round trip on the same database.
import { randomUUID } from 'node:crypto';
import type { RealtimeChannel, SupabaseClient } from '@supabase/supabase-js';
import pg from 'pg';
import type { RunningStack } from '../../local-stack/src/stack.ts';
import { ratio, seededRandom, summarize, type Summary } from './stats.ts';
import { clientWithToken, COORDINATOR_ID } from './supabase.ts';

const DELIVERY_TIMEOUT_MS = 10_000;
/** Changes come at random gaps, never in step with the capture's fallback poll (100 ms). */
const MAX_GAP_MS = 150;

export interface LiveFigure {
  subscribers: number;
  changes: number;
  /** From sending the insert (its trigger builds the broadcast, then it commits) to each callback. */
  latency: Summary;
  /** The insert statement alone, until its commit returned: the database's share of `latency`. */
  statement: Summary;
  /** From the insert's commit returning to each callback: capture, fan-out and the socket. */
  afterCommit: Summary;
  /** The last subscriber's callback, per change. */
  allDelivered: Summary;
  missed: number;
  ratioP50: number | null;
  ratioP95: number | null;
}

export interface LiveResults {
  notifyBaseline: Summary;
  figures: LiveFigure[];
}

async function notifyRoundTrip(databaseUrl: string, samples: number): Promise<Summary> {
  const listener = new pg.Client({ connectionString: databaseUrl });
  const notifier = new pg.Client({ connectionString: databaseUrl });
  await Promise.all([listener.connect(), notifier.connect()]);
  try {
    await listener.query('listen bench_round_trip');
    const latencies: number[] = [];
    for (let i = 0; i < samples; i++) {
      const marker = String(i);
      const arrived = new Promise<number>((resolve) => {
        const onNotification = (message: pg.Notification) => {
          if (message.payload !== marker) return;
          listener.off('notification', onNotification);
          resolve(performance.now());
        };
        listener.on('notification', onNotification);
      });
      const sent = performance.now();
      await notifier.query('select pg_notify($1, $2)', ['bench_round_trip', marker]);
      latencies.push((await arrived) - sent);
    }
    return summarize(latencies.slice(Math.min(5, samples - 1)));
  } finally {
    await Promise.all([listener.end(), notifier.end()]);
  }
}

async function subscribe(stack: RunningStack, token: string, count: number, onChange: (index: number, capacity: number) => void) {
  const clients: SupabaseClient[] = [];
  const channels: RealtimeChannel[] = [];
  await Promise.all(
    Array.from({ length: count }, async (_, index) => {
      const client = clientWithToken(stack, token);
      clients.push(client);
      await client.realtime.setAuth(token);
      const channel = client.channel('availability', { config: { private: true } });
      channels.push(channel);
      channel.on('broadcast', { event: 'availability_changed' }, (message) => {
        const payload = message.payload as { capacity?: number };
        if (typeof payload.capacity === 'number') onChange(index, payload.capacity);
      });
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error('a subscriber did not join the availability channel within 30 s')), 30_000);
        channel.subscribe((status, error) => {
          if (status === 'SUBSCRIBED') {
            clearTimeout(timer);
            resolve();
          } else if (status === 'CHANNEL_ERROR' || status === 'TIMED_OUT') {
            clearTimeout(timer);
            reject(new Error(`subscribing failed: ${status} ${error?.message ?? ''}`));
          }
        });
      });
    }),
  );
  return {
    async close() {
      await Promise.all(clients.map((client) => client.removeAllChannels()));
      await Promise.all(clients.map((client) => client.realtime.disconnect()));
    },
  };
}

async function measureWithSubscribers(stack: RunningStack, token: string, db: pg.Client, subscribers: number, changes: number, baseline: Summary, log: (message: string) => void): Promise<LiveFigure> {
  const facilityId = randomUUID();
  await db.query(
    `insert into public.facilities (id, name, kind, municipality_code, security_rating, active) values ($1, $2, 'supported_housing', '091', 2, true)`,
    [facilityId, `Live-testi ${subscribers}`],
  );
  // Capacities carry the change's number, so a callback is matched to the change that caused it.
  let expectedCapacity = -1;
  let sentAt = 0;
  let committedAt = 0;
  let pending = new Set<number>();
  let lastArrival = 0;
  let resolveAll: (() => void) | null = null;
  const latencies: number[] = [];
  const afterCommit: number[] = [];
  const statements: number[] = [];
  const allDelivered: number[] = [];
  const subscription = await subscribe(stack, token, subscribers, (index, capacity) => {
    if (capacity !== expectedCapacity || !pending.has(index)) return;
    const now = performance.now();
    pending.delete(index);
    latencies.push(now - sentAt);
    afterCommit.push(now - committedAt);
    lastArrival = now;
    if (pending.size === 0) resolveAll?.();
  });
  let missed = 0;
  const gap = seededRandom(subscribers);
  try {
    for (let i = 0; i < changes + 2; i++) {
      const warmup = i < 2;
      const before = latencies.length;
      const beforeCommit = afterCommit.length;
      expectedCapacity = 1000 + i;
      pending = new Set(Array.from({ length: subscribers }, (_, index) => index));
      const delivered = new Promise<void>((resolve) => {
        resolveAll = resolve;
      });
      let timer: NodeJS.Timeout | undefined;
      const timedOut = new Promise<'timeout'>((resolve) => {
        timer = setTimeout(() => resolve('timeout'), DELIVERY_TIMEOUT_MS);
      });
      // Autocommit: the insert returns after its commit, so sentAt is at most one statement
      // earlier than the commit (the figure errs on the slow side by that much).
      sentAt = performance.now();
      // A callback can run before this await resumes: until then it measures from the send.
      committedAt = sentAt;
      await db.query(
        `insert into public.capacity_reports (facility_id, kind, capacity, reported_by, reported_role) values ($1, 'update', $2, $3, 'coordinator')`,
        [facilityId, expectedCapacity, COORDINATOR_ID],
      );
      committedAt = performance.now();
      if (!warmup) statements.push(committedAt - sentAt);
      const outcome = await Promise.race([delivered.then(() => 'ok' as const), timedOut]);
      clearTimeout(timer);
      if (warmup) {
        latencies.length = before;
        afterCommit.length = beforeCommit;
      } else {
        if (outcome === 'timeout') missed += pending.size;
        else allDelivered.push(lastArrival - sentAt);
      }
      await new Promise((resolve) => setTimeout(resolve, gap() * MAX_GAP_MS));
    }
  } finally {
    expectedCapacity = -1;
    await subscription.close();
  }
  if (latencies.length === 0) throw new Error(`no live update reached any of ${subscribers} subscribers`);
  const latency = summarize(latencies);
  const statement = summarize(statements);
  const sinceCommit = summarize(afterCommit);
  log(
    `live, ${subscribers} subscriber(s): p50 ${latency.p50.toFixed(0)} ms, p95 ${latency.p95.toFixed(0)} ms, missed ${missed}` +
      ` (insert statement p50 ${statement.p50.toFixed(0)} ms, p95 ${statement.p95.toFixed(0)} ms; after its commit p50 ${sinceCommit.p50.toFixed(0)} ms, p95 ${sinceCommit.p95.toFixed(0)} ms)`,
  );
  return {
    subscribers,
    changes,
    latency,
    statement,
    afterCommit: sinceCommit,
    allDelivered: allDelivered.length > 0 ? summarize(allDelivered) : latency,
    missed,
    ratioP50: ratio(latency.p50, baseline.p50),
    ratioP95: ratio(latency.p95, baseline.p95),
  };
}

export async function measureLive(stack: RunningStack, token: string, subscriberCounts: number[], changes: number, log: (message: string) => void): Promise<LiveResults> {
  const notifyBaseline = await notifyRoundTrip(stack.databaseUrl, 105);
  log(`LISTEN/NOTIFY round trip p50 ${notifyBaseline.p50.toFixed(2)} ms`);
  const db = new pg.Client({ connectionString: stack.databaseUrl });
  await db.connect();
  const figures: LiveFigure[] = [];
  try {
    for (const count of subscriberCounts) figures.push(await measureWithSubscribers(stack, token, db, count, changes, notifyBaseline, log));
  } finally {
    await db.end();
  }
  return { notifyBaseline, figures };
}
