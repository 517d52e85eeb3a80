// The change feed behind Realtime, driven directly against the contract stack's database with
// its timed polls set an hour apart: whatever arrives was drained because realtime.messages'
// trigger woke the feed at commit, not because a poll came round. Also: order across wake-ups,
// rolled-back sends, and capture resuming on a new connection after the old one was terminated.
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { ChangeFeed, type DatabaseMessage } from '../src/realtime/changes.ts';

const adminDatabaseUrl = inject('adminDatabaseUrl');
const HOUR_MS = 3_600_000;

let pool: pg.Pool;
let feed: ChangeFeed;
const received: DatabaseMessage[] = [];
const logged: string[] = [];

/** Resolves once `check` passes; the test's timeout is the limit. */
async function eventually(check: () => boolean | Promise<boolean>, what: string): Promise<void> {
  const started = Date.now();
  while (!(await check())) {
    // Only a guard so a stuck wait names what it waited for; the test's timeout is shorter.
    if (Date.now() - started > 60_000) throw new Error(`gave up waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/**
 * One realtime.send in a transaction of its own. The contract stack commits asynchronously
 * (synchronous_commit = off), so each send also checks that a wake-up does not wait for the WAL
 * writer: decoding reads only flushed WAL.
 */
async function send(topic: string, n: number): Promise<void> {
  await pool.query(`select realtime.send(jsonb_build_object('n', $2::int), 'ping', $1, false)`, [topic, n]);
}

const numbersOn = (topic: string): number[] =>
  received.filter((message) => message.topic === topic).map((message) => (message.payload as { n: number }).n);

/** Lets the drains that followed the last delivery finish; after them only a wake-up drains. */
const settle = () => new Promise((resolve) => setTimeout(resolve, 300));

beforeAll(async () => {
  pool = new pg.Pool({ connectionString: adminDatabaseUrl, max: 3 });
  pool.on('error', () => undefined);
  feed = new ChangeFeed({
    databaseUrl: adminDatabaseUrl,
    pool,
    log: (message) => logged.push(message),
    onDatabaseMessage: (message) => received.push(message),
    pollIntervalsMs: { idle: HOUR_MS, watched: HOUR_MS },
  });
  await feed.ready;
});

afterAll(async () => {
  await feed?.close();
  await pool?.end();
});

describe('capture of Broadcast from the database', () => {
  it('drains a message as soon as its insert commits, without waiting for a poll', async () => {
    const topic = `wake-${randomUUID()}`;
    // The feed's first drain runs right after it starts; the first message may ride on it.
    await send(topic, 1);
    await eventually(() => numbersOn(topic).length === 1, 'the first message');
    await settle();

    await send(topic, 2);
    await eventually(() => numbersOn(topic).length === 2, 'a message with the next poll an hour away');
    expect(numbersOn(topic)).toEqual([1, 2]);
  });

  it('delivers messages in commit order, each once, however the wake-ups fall', async () => {
    const topic = `order-${randomUUID()}`;
    for (let n = 1; n <= 20; n++) await send(topic, n);
    // Five in one transaction: Postgres folds their identical notifications into one wake-up.
    await pool.query(`select realtime.send(jsonb_build_object('n', n), 'ping', $1, false) from generate_series(21, 25) n`, [topic]);
    await send(topic, 26);
    await eventually(() => numbersOn(topic).length >= 26, 'all 26 messages');
    await settle();
    expect(numbersOn(topic)).toEqual(Array.from({ length: 26 }, (_, index) => index + 1));
  });

  it('never delivers a message whose transaction rolled back', async () => {
    const topic = `rollback-${randomUUID()}`;
    const client = await pool.connect();
    try {
      await client.query('begin');
      await client.query(`select realtime.send('{"n": 1}'::jsonb, 'ping', $1, false)`, [topic]);
      await client.query('rollback');
    } finally {
      client.release();
    }
    await send(topic, 2);
    await eventually(() => numbersOn(topic).length > 0, 'the committed message');
    await settle();
    expect(numbersOn(topic)).toEqual([2]);
  });

  it('opens a new slot and keeps capturing after its connection is terminated', async () => {
    const before = feed.slotName;
    expect(before).not.toBeNull();
    const terminated = await pool.query<{ done: boolean }>(
      `select pg_terminate_backend(active_pid) as done from pg_replication_slots where slot_name = $1`,
      [before],
    );
    expect(terminated.rows[0]?.done).toBe(true);
    await eventually(() => feed.slotName !== null && feed.slotName !== before, 'a new slot');
    await eventually(async () => {
      const slots = await pool.query(`select 1 from pg_replication_slots where slot_name = $1 and active`, [feed.slotName]);
      return slots.rowCount === 1;
    }, 'the new slot in use');
    expect(logged).toContain('replication connection restored');

    const topic = `reconnected-${randomUUID()}`;
    await send(topic, 1);
    await eventually(() => numbersOn(topic).length === 1, 'a message on the new connection');
    // The old temporary slot went with its connection: nothing keeps WAL for it.
    const old = await pool.query(`select 1 from pg_replication_slots where slot_name = $1`, [before]);
    expect(old.rowCount).toBe(0);
  });
});
