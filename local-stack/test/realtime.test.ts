// /realtime/v1 through the gateway, driven by the real supabase-js (and a raw `ws` client where a
// test checks the wire): framing, Broadcast, Presence, Broadcast from the database on private
// channels authorised by RLS, postgres_changes with filters and per-subscriber RLS, token updates.
import { createPrivateKey, randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { createClient, type RealtimeChannel, type SupabaseClient } from '@supabase/supabase-js';
import pg from 'pg';
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { signEs256 } from '../src/keys.ts';

const url = inject('url');
const publishableKey = inject('publishableKey');
const secretKey = inject('secretKey');
const databaseUrl = inject('databaseUrl');
const adminDatabaseUrl = inject('adminDatabaseUrl');
const stackDir = inject('stackDir');
const socketBase = `${url.replace(/^http/, 'ws')}/realtime/v1/websocket`;

const PASSWORD = 'contract-password-1';

/** Every frame the client hands to its socket, to see which went out binary. */
const sentFrames: { binary: boolean; data: unknown }[] = [];
class RecordingWebSocket extends WebSocket {
  override send(data: unknown, ...rest: unknown[]): void {
    sentFrames.push({ binary: typeof data !== 'string', data });
    (super.send as (...args: unknown[]) => void)(data, ...rest);
  }
}

function client(key: string): SupabaseClient {
  // Node 20 has no global WebSocket; supabase-js throws at createClient without a transport.
  return createClient(url, key, {
    auth: { persistSession: false, autoRefreshToken: false, detectSessionInUrl: false },
    realtime: { transport: RecordingWebSocket as never },
  });
}

interface TestUser {
  id: string;
  supabase: SupabaseClient;
  accessToken: string;
}

const admin = client(secretKey);
const db = new pg.Pool({ connectionString: databaseUrl, max: 2 });
let alice: TestUser;
let bob: TestUser;
const openClients: SupabaseClient[] = [];

async function createSignedInUser(name: string): Promise<TestUser> {
  const email = `${name}-${randomUUID()}@contract.example`;
  const created = await admin.auth.admin.createUser({ email, password: PASSWORD, email_confirm: true });
  if (created.error) throw created.error;
  const supabase = client(publishableKey);
  const signedIn = await supabase.auth.signInWithPassword({ email, password: PASSWORD });
  if (signedIn.error) throw signedIn.error;
  openClients.push(supabase);
  return { id: created.data.user.id, supabase, accessToken: signedIn.data.session.access_token };
}

/** Resolves once `check` passes; the test's timeout is the limit. */
async function eventually(check: () => boolean, what: string): Promise<void> {
  const started = Date.now();
  while (!check()) {
    // Only a guard so a stuck wait names what it waited for; the test's timeout is shorter.
    if (Date.now() - started > 60_000) throw new Error(`gave up waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

interface Subscription {
  statuses: string[];
  errors: (Error | undefined)[];
  systems: Record<string, unknown>[];
}

/** Subscribes and resolves with the first status the server's answer produced. */
function subscribe(channel: RealtimeChannel): Promise<Subscription & { first: string }> {
  const record: Subscription = { statuses: [], errors: [], systems: [] };
  channel.on('system', {}, (payload: Record<string, unknown>) => record.systems.push(payload));
  return new Promise((resolve) => {
    channel.subscribe((status, error) => {
      record.statuses.push(status);
      record.errors.push(error);
      if (record.statuses.length === 1) resolve(Object.assign(record, { first: status }));
    });
  });
}

/** Waits for "Subscribed to PostgreSQL": changes committed before it may be missed, as on hosted. */
async function subscribeToChanges(channel: RealtimeChannel): Promise<Subscription> {
  const subscription = await subscribe(channel);
  expect(subscription.first).toBe('SUBSCRIBED');
  await eventually(() => subscription.systems.some((system) => system.message === 'Subscribed to PostgreSQL'), 'Subscribed to PostgreSQL');
  return subscription;
}

type RawFrame = [string | null, string | null, string, string, Record<string, unknown>];

/** A bare WebSocket speaking vsn 2.0.0, for what supabase-js hides. */
async function rawSocket(apikey: string): Promise<{ ws: WebSocket; frames: RawFrame[]; next: (match: (frame: RawFrame) => boolean) => Promise<RawFrame> }> {
  const ws = new WebSocket(`${socketBase}?apikey=${encodeURIComponent(apikey)}&vsn=2.0.0`);
  const frames: RawFrame[] = [];
  ws.on('message', (data, isBinary) => {
    if (!isBinary) frames.push(JSON.parse(data.toString()) as RawFrame);
  });
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
  });
  const next = async (match: (frame: RawFrame) => boolean): Promise<RawFrame> => {
    await eventually(() => frames.some(match), 'a frame');
    return frames.find(match)!;
  };
  return { ws, frames, next };
}

/** The kind 3 "user broadcast push" layout realtime-js sends for `channel.send()`. */
function userBroadcastPush(joinRef: string, ref: string, topic: string, event: string, payload: unknown): Buffer {
  const parts = [joinRef, ref, topic, event, ''].map((text) => Buffer.from(text, 'utf8'));
  const header = Buffer.from([3, ...parts.map((part) => part.length), 1]);
  return Buffer.concat([header, ...parts, Buffer.from(JSON.stringify(payload), 'utf8')]);
}

beforeAll(async () => {
  alice = await createSignedInUser('alice');
  bob = await createSignedInUser('bob');
});

afterAll(async () => {
  for (const supabase of openClients) await supabase.removeAllChannels();
  for (const user of [alice, bob]) if (user) await admin.auth.admin.deleteUser(user.id);
  await db.end();
});

describe('the socket', () => {
  it('connects with vsn 2.0.0 and a join yields SUBSCRIBED', async () => {
    const supabase = client(publishableKey);
    openClients.push(supabase);
    const channel = supabase.channel(`hello-${randomUUID()}`);
    const subscription = await subscribe(channel);
    expect(subscription.first).toBe('SUBSCRIBED');
    const endpoint = new URL(supabase.realtime.endpointURL());
    expect(endpoint.pathname).toBe('/realtime/v1/websocket');
    expect(endpoint.searchParams.get('vsn')).toBe('2.0.0');
    expect(await supabase.removeChannel(channel)).toBe('ok');
  });

  it('answers heartbeats', async () => {
    const { ws, next } = await rawSocket(publishableKey);
    ws.send(JSON.stringify([null, '7', 'phoenix', 'heartbeat', {}]));
    const reply = await next((frame) => frame[1] === '7');
    expect(reply).toEqual([null, '7', 'phoenix', 'phx_reply', { status: 'ok', response: {} }]);
    ws.close();
  });

  it('refuses an unknown or missing apikey before the upgrade', async () => {
    for (const query of ['?apikey=sb_publishable_not-a-key&vsn=2.0.0', '?vsn=2.0.0']) {
      const ws = new WebSocket(`${socketBase}${query}`);
      const refusal = await new Promise<{ status: number; body: string }>((resolve, reject) => {
        ws.on('unexpected-response', (_req, res) => {
          let body = '';
          res.on('data', (chunk: Buffer) => (body += chunk.toString()));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
        });
        ws.on('open', () => reject(new Error('the upgrade was accepted')));
      });
      expect(refusal.status).toBe(401);
      expect(JSON.parse(refusal.body)).toHaveProperty('message');
    }
  });

  it('replies to a leave and closes the channel; a second join of a topic replaces the first', async () => {
    const { ws, next } = await rawSocket(publishableKey);
    const topic = `realtime:raw-${randomUUID()}`;
    ws.send(JSON.stringify(['1', '1', topic, 'phx_join', { config: { postgres_changes: [] } }]));
    expect((await next((frame) => frame[1] === '1'))[4]).toEqual({ status: 'ok', response: { postgres_changes: [] } });
    ws.send(JSON.stringify(['2', '2', topic, 'phx_join', { config: {} }]));
    expect((await next((frame) => frame[1] === '2'))[4]).toMatchObject({ status: 'ok' });
    ws.send(JSON.stringify(['2', '3', topic, 'phx_leave', {}]));
    expect(await next((frame) => frame[1] === '3')).toEqual(['2', '3', topic, 'phx_reply', { status: 'ok', response: {} }]);
    expect(await next((frame) => frame[3] === 'phx_close')).toEqual(['2', '2', topic, 'phx_close', {}]);
    ws.close();
  });
});

describe('Broadcast', () => {
  it('carries a message from one client to another, sent as a binary frame', async () => {
    const topic = `chat-${randomUUID()}`;
    const received: Record<string, unknown>[] = [];
    const listener = alice.supabase.channel(topic).on('broadcast', { event: 'greeting' }, (message) => received.push(message));
    expect((await subscribe(listener)).first).toBe('SUBSCRIBED');
    const sender = bob.supabase.channel(topic);
    expect((await subscribe(sender)).first).toBe('SUBSCRIBED');

    const before = sentFrames.length;
    expect(await sender.send({ type: 'broadcast', event: 'greeting', payload: { text: 'hei' } })).toBe('ok');
    await eventually(() => received.length === 1, 'the broadcast');
    expect(received[0]).toEqual({ type: 'broadcast', event: 'greeting', payload: { text: 'hei' } });
    expect(sentFrames.slice(before).some((frame) => frame.binary)).toBe(true);

    await alice.supabase.removeChannel(listener);
    await bob.supabase.removeChannel(sender);
  });

  it('decodes a raw binary push and honours self and ack', async () => {
    const topic = `binary-${randomUUID()}`;
    const received: Record<string, unknown>[] = [];
    const listener = alice.supabase.channel(topic).on('broadcast', { event: 'ping' }, (message) => received.push(message));
    expect((await subscribe(listener)).first).toBe('SUBSCRIBED');

    const { ws, next } = await rawSocket(publishableKey);
    ws.send(JSON.stringify(['1', '1', `realtime:${topic}`, 'phx_join', { config: { broadcast: { self: true, ack: true } } }]));
    await next((frame) => frame[1] === '1');
    ws.send(userBroadcastPush('1', '2', `realtime:${topic}`, 'ping', { n: 1 }));
    // ack: the server replies to the push; self: the sender gets its own message back.
    expect((await next((frame) => frame[1] === '2'))[4]).toEqual({ status: 'ok', response: {} });
    const echoed = await next((frame) => frame[3] === 'broadcast');
    expect(echoed[4]).toEqual({ type: 'broadcast', event: 'ping', payload: { n: 1 } });
    await eventually(() => received.length === 1, 'the binary broadcast');
    expect(received[0]).toEqual({ type: 'broadcast', event: 'ping', payload: { n: 1 } });

    ws.close();
    await alice.supabase.removeChannel(listener);
  });

  it('acknowledges a send when the channel asks for acks', async () => {
    const channel = alice.supabase.channel(`ack-${randomUUID()}`, { config: { broadcast: { ack: true } } });
    expect((await subscribe(channel)).first).toBe('SUBSCRIBED');
    expect(await channel.send({ type: 'broadcast', event: 'x', payload: {} })).toBe('ok');
    await alice.supabase.removeChannel(channel);
  });

  it('accepts the REST broadcast endpoint (202) and delivers it', async () => {
    const topic = `rest-${randomUUID()}`;
    const received: Record<string, unknown>[] = [];
    const listener = alice.supabase.channel(topic).on('broadcast', { event: 'rest' }, (message) => received.push(message));
    expect((await subscribe(listener)).first).toBe('SUBSCRIBED');
    const response = await fetch(`${url}/realtime/v1/api/broadcast`, {
      method: 'POST',
      headers: { apikey: publishableKey, 'Content-Type': 'application/json' },
      body: JSON.stringify({ messages: [{ topic, event: 'rest', payload: { via: 'rest' } }] }),
    });
    expect(response.status).toBe(202);
    await eventually(() => received.length === 1, 'the REST broadcast');
    expect(received[0]).toMatchObject({ event: 'rest', payload: { via: 'rest' } });

    const sender = bob.supabase.channel(topic);
    await expect(sender.httpSend('rest', { via: 'httpSend' })).resolves.toEqual({ success: true });
    await eventually(() => received.length === 2, 'the httpSend broadcast');
    await alice.supabase.removeChannel(listener);
    await bob.supabase.removeChannel(sender);

    const noKey = await fetch(`${url}/realtime/v1/api/broadcast`, { method: 'POST', body: '{}' });
    expect(noKey.status).toBe(401);
  });
});

describe('Presence', () => {
  it('syncs state and reports joins and leaves', async () => {
    const topic = `lobby-${randomUUID()}`;
    const aliceChannel = alice.supabase.channel(topic, { config: { presence: { key: 'alice' } } });
    const joins: string[] = [];
    const leaves: string[] = [];
    aliceChannel
      .on('presence', { event: 'join' }, ({ key }) => joins.push(key))
      .on('presence', { event: 'leave' }, ({ key }) => leaves.push(key));
    expect((await subscribe(aliceChannel)).first).toBe('SUBSCRIBED');
    expect(await aliceChannel.track({ status: 'online' })).toBe('ok');
    await eventually(() => joins.includes('alice'), 'alice in her own presence');

    const bobChannel = bob.supabase.channel(topic, { config: { presence: { key: 'bob' } } });
    let synced = false;
    bobChannel.on('presence', { event: 'sync' }, () => (synced = true));
    expect((await subscribe(bobChannel)).first).toBe('SUBSCRIBED');
    await eventually(() => synced && 'alice' in bobChannel.presenceState(), 'the presence state');
    expect(bobChannel.presenceState().alice).toEqual([expect.objectContaining({ status: 'online', presence_ref: expect.any(String) })]);

    expect(await bobChannel.track({ status: 'busy' })).toBe('ok');
    await eventually(() => joins.includes('bob'), 'bob joining');
    expect(aliceChannel.presenceState().bob).toEqual([expect.objectContaining({ status: 'busy' })]);

    expect(await bobChannel.untrack()).toBe('ok');
    await eventually(() => leaves.includes('bob'), 'bob untracking');
    expect(await bob.supabase.removeChannel(bobChannel)).toBe('ok');
    await alice.supabase.removeChannel(aliceChannel);
  });

  it('reports a leave when a tracked client leaves the channel', async () => {
    const topic = `leave-${randomUUID()}`;
    const watcher = alice.supabase.channel(topic, { config: { presence: { key: 'watcher' } } });
    const leaves: string[] = [];
    watcher.on('presence', { event: 'leave' }, ({ key }) => leaves.push(key));
    expect((await subscribe(watcher)).first).toBe('SUBSCRIBED');
    const leaver = bob.supabase.channel(topic, { config: { presence: { key: 'leaver' } } });
    expect((await subscribe(leaver)).first).toBe('SUBSCRIBED');
    expect(await leaver.track({ here: true })).toBe('ok');
    await eventually(() => 'leaver' in watcher.presenceState(), 'the tracked client');
    expect(await bob.supabase.removeChannel(leaver)).toBe('ok');
    await eventually(() => leaves.includes('leaver'), 'the leave');
    expect(watcher.presenceState()).not.toHaveProperty('leaver');
    await alice.supabase.removeChannel(watcher);
  });
});

describe('Broadcast from the database on private channels', () => {
  it('reaches a member of the topic and refuses a non-member at join', async () => {
    const room = `r-${randomUUID()}`;
    const topic = `room:${room}`;
    await db.query('insert into public.private_topics (topic_name, user_id) values ($1, $2)', [room, alice.id]);
    await alice.supabase.realtime.setAuth(alice.accessToken);
    await bob.supabase.realtime.setAuth(bob.accessToken);

    const received: Record<string, unknown>[] = [];
    const member = alice.supabase
      .channel(topic, { config: { private: true } })
      .on('broadcast', { event: 'note' }, (message) => received.push(message))
      .on('broadcast', { event: 'raw' }, (message) => received.push(message));
    expect((await subscribe(member)).first).toBe('SUBSCRIBED');

    const outsider = bob.supabase.channel(topic, { config: { private: true } });
    const refused = await subscribe(outsider);
    expect(refused.first).toBe('CHANNEL_ERROR');
    expect(refused.errors[0]?.message).toContain(`Unauthorized: You do not have permissions to read from this Channel topic: ${topic}`);
    await bob.supabase.removeChannel(outsider);

    // A security-definer function calling realtime.send(), and realtime.send() called directly.
    await db.query('select public.broadcast_note($1, $2)', [topic, 'hello members']);
    await db.query(`select realtime.send('{"n": 2}'::jsonb, 'raw', $1, true)`, [topic]);
    await eventually(() => received.length === 2, 'both database broadcasts');
    const [note, raw] = received as [Record<string, unknown>, Record<string, unknown>];
    expect(note).toMatchObject({ type: 'broadcast', event: 'note', payload: { body: 'hello members' } });
    const meta = note.meta as { id: string };
    expect(meta.id).toMatch(/^[0-9a-f-]{36}$/);
    expect((note.payload as { id: string }).id).toBe(meta.id);
    expect(raw).toMatchObject({ event: 'raw', payload: { n: 2 } });

    await alice.supabase.removeChannel(member);
  });

  it('lets a member send on the private channel (INSERT policy) and delivers only private messages there', async () => {
    const room = `w-${randomUUID()}`;
    const topic = `room:${room}`;
    await db.query('insert into public.private_topics (topic_name, user_id) values ($1, $2), ($1, $3)', [room, alice.id, bob.id]);
    await alice.supabase.realtime.setAuth(alice.accessToken);
    await bob.supabase.realtime.setAuth(bob.accessToken);
    const received: Record<string, unknown>[] = [];
    const listener = alice.supabase.channel(topic, { config: { private: true } }).on('broadcast', { event: '*' }, (message) => received.push(message));
    expect((await subscribe(listener)).first).toBe('SUBSCRIBED');
    const sender = bob.supabase.channel(topic, { config: { private: true, broadcast: { ack: true } } });
    expect((await subscribe(sender)).first).toBe('SUBSCRIBED');

    // A public message for the same topic name belongs to the public channel, not this one.
    await db.query(`select realtime.send('{}'::jsonb, 'public-one', $1, false)`, [topic]);
    expect(await sender.send({ type: 'broadcast', event: 'private-one', payload: { from: 'bob' } })).toBe('ok');
    await eventually(() => received.length >= 1, 'the private send');
    expect(received.map((message) => message.event)).toEqual(['private-one']);

    await alice.supabase.removeChannel(listener);
    await bob.supabase.removeChannel(sender);
  });
});

describe('private channels with read but no write right', () => {
  it('refuses sends without an INSERT policy and delivers broadcast_changes() from a trigger', async () => {
    const ddl = new pg.Client({ connectionString: adminDatabaseUrl });
    await ddl.connect();
    const topic = `readonly:${randomUUID()}`;
    try {
      // Readable by every signed-in user, writable by none (no INSERT policy for this prefix).
      await ddl.query(`
        create policy readonly_read on realtime.messages for select to authenticated using (realtime.topic() like 'readonly:%');
        create table public.realtime_counts (id int primary key, free int not null);
        create function public.realtime_counts_broadcast() returns trigger
        language plpgsql security definer set search_path = '' as $$
        begin
          perform realtime.broadcast_changes('${topic}', tg_op, tg_op, tg_table_name, tg_table_schema, new, old);
          return null;
        end $$;
        create trigger realtime_counts_broadcast after insert or update or delete on public.realtime_counts
          for each row execute function public.realtime_counts_broadcast();
      `);
      await alice.supabase.realtime.setAuth(alice.accessToken);
      await bob.supabase.realtime.setAuth(bob.accessToken);
      const bobSaw: Record<string, unknown>[] = [];
      const reader = bob.supabase.channel(topic, { config: { private: true } }).on('broadcast', { event: '*' }, (message) => bobSaw.push(message));
      expect((await subscribe(reader)).first).toBe('SUBSCRIBED');
      const writer = alice.supabase.channel(topic, { config: { private: true, broadcast: { ack: true } } });
      expect((await subscribe(writer)).first).toBe('SUBSCRIBED');

      // Hosted neither delivers nor acknowledges a send the INSERT policy refuses.
      expect(await writer.send({ type: 'broadcast', event: 'forbidden', payload: {} }, { timeout: 1000 })).toBe('timed out');
      await ddl.query('insert into public.realtime_counts values (1, 5)');
      await ddl.query('update public.realtime_counts set free = 4 where id = 1');
      await eventually(() => bobSaw.length >= 2, 'the trigger broadcasts');
      expect(bobSaw.map((message) => message.event)).toEqual(['INSERT', 'UPDATE']);
      expect(bobSaw[1]!.payload).toMatchObject({
        operation: 'UPDATE',
        schema: 'public',
        table: 'realtime_counts',
        record: { id: 1, free: 4 },
        old_record: { id: 1, free: 5 },
      });
      await alice.supabase.removeChannel(writer);
      await bob.supabase.removeChannel(reader);
    } finally {
      await ddl.query('drop table if exists public.realtime_counts; drop function if exists public.realtime_counts_broadcast();');
      await ddl.query('drop policy if exists readonly_read on realtime.messages');
      await ddl.end();
    }
  });
});

describe('postgres_changes', () => {
  it('delivers INSERT, UPDATE and DELETE with the shapes supabase-js expects', async () => {
    const tag = `t-${randomUUID()}`;
    const received: Record<string, unknown>[] = [];
    // No filter: a DELETE only carries the primary key, so a `tag` filter would not match it.
    const channel = admin
      .channel(`tags-${randomUUID()}`)
      .on('postgres_changes', { event: '*', schema: 'public', table: 'note_tags' }, (change) => received.push(change));
    await subscribeToChanges(channel);

    const inserted = await db.query<{ id: string }>('insert into public.note_tags (tag, label) values ($1, $2) returning id', [tag, 'first']);
    const id = Number(inserted.rows[0]!.id);
    await db.query('update public.note_tags set label = $2 where id = $1', [id, 'second']);
    await db.query('delete from public.note_tags where id = $1', [id]);
    const changes = (): Record<string, unknown>[] =>
      received.filter((change) => (change.new as { id?: number }).id === id || (change.old as { id?: number }).id === id);
    await eventually(() => changes().length === 3, 'three changes');

    const [insert, update, remove] = changes() as [Record<string, unknown>, Record<string, unknown>, Record<string, unknown>];
    expect(insert).toMatchObject({ schema: 'public', table: 'note_tags', eventType: 'INSERT', new: { id, tag, label: 'first' }, old: {}, errors: null });
    expect(insert.commit_timestamp).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    expect(update).toMatchObject({ eventType: 'UPDATE', new: { id, tag, label: 'second' }, old: { id } });
    expect(remove).toMatchObject({ eventType: 'DELETE', new: {}, old: { id } });
    expect(await admin.removeChannel(channel)).toBe('ok');
  });

  it('applies a filter: id=eq.X matches only that row', async () => {
    const first = await db.query<{ id: string }>(`insert into public.note_tags (tag) values ('filter-a') returning id`);
    const watchedId = Number(first.rows[0]!.id);
    const events: { id: number; label: string }[] = [];
    const channel = admin.channel(`filter-${randomUUID()}`).on(
      'postgres_changes',
      { event: 'UPDATE', schema: 'public', table: 'note_tags', filter: `id=eq.${watchedId}` },
      (change) => events.push(change.new as { id: number; label: string }),
    );
    await subscribeToChanges(channel);
    const other = await db.query<{ id: string }>(`insert into public.note_tags (tag) values ('filter-b') returning id`);
    await db.query(`update public.note_tags set label = 'other' where id = $1`, [Number(other.rows[0]!.id)]);
    await db.query(`update public.note_tags set label = 'watched' where id = $1`, [watchedId]);
    await eventually(() => events.length >= 1, 'the watched update');
    // Changes are delivered in commit order, so the unwatched update would have come first.
    expect(events).toEqual([expect.objectContaining({ id: watchedId, label: 'watched' })]);
    await admin.removeChannel(channel);
  });

  it('applies `in` filters with the column type', async () => {
    const rows = await db.query<{ id: string }>(`insert into public.note_tags (tag) values ('in-a'), ('in-b'), ('in-c') returning id`);
    const [a, b, c] = rows.rows.map((row) => Number(row.id)) as [number, number, number];
    const seen: number[] = [];
    const channel = admin.channel(`in-${randomUUID()}`).on(
      'postgres_changes',
      { event: 'DELETE', schema: 'public', table: 'note_tags', filter: `id=in.(${a},${c})` },
      (change) => seen.push((change.old as { id: number }).id),
    );
    await subscribeToChanges(channel);
    await db.query('delete from public.note_tags where id = any($1)', [[a, b, c]]);
    await eventually(() => seen.length >= 2, 'the two matching deletes');
    expect(seen.sort()).toEqual([a, c].sort());
    await admin.removeChannel(channel);
  });

  it('delivers a row only to the user whose SELECT policy shows it', async () => {
    await alice.supabase.realtime.setAuth(alice.accessToken);
    await bob.supabase.realtime.setAuth(bob.accessToken);
    const aliceSaw: string[] = [];
    const bobSaw: string[] = [];
    const aliceChannel = alice.supabase
      .channel(`notes-a-${randomUUID()}`)
      .on('postgres_changes', { event: 'INSERT', schema: 'public', table: 'notes' }, (change) => aliceSaw.push((change.new as { body: string }).body));
    const bobChannel = bob.supabase
      .channel(`notes-b-${randomUUID()}`)
      .on('postgres_changes', { event: 'INSERT', schema: 'public', table: 'notes' }, (change) => bobSaw.push((change.new as { body: string }).body));
    await subscribeToChanges(aliceChannel);
    await subscribeToChanges(bobChannel);

    expect((await alice.supabase.from('notes').insert({ body: 'for alice only' })).error).toBeNull();
    expect((await bob.supabase.from('notes').insert({ body: 'for bob only' })).error).toBeNull();
    await eventually(() => aliceSaw.length >= 1 && bobSaw.length >= 1, 'each user seeing their own note');
    // Bob's note committed after Alice's: had Alice's reached Bob, it would already be here.
    expect(aliceSaw).toEqual(['for alice only']);
    expect(bobSaw).toEqual(['for bob only']);
    await alice.supabase.removeChannel(aliceChannel);
    await bob.supabase.removeChannel(bobChannel);
  });

  it('sends values as to_jsonb of their column type, drops columns the role cannot read, and keeps DELETE to the key under RLS', async () => {
    // A table of this test only, created as the superuser (DDL is not the app's business here).
    const ddl = new pg.Client({ connectionString: adminDatabaseUrl });
    await ddl.connect();
    try {
      await ddl.query(`
        create table public.realtime_types (
          id bigint primary key, amount numeric(10, 2), doc jsonb, flag boolean, tags int[], at timestamptz, secret text
        );
        alter table public.realtime_types replica identity full;
        alter table public.realtime_types enable row level security;
        create policy realtime_types_read on public.realtime_types for select to authenticated using (true);
        grant select (id, amount, doc, flag, tags, at) on public.realtime_types to authenticated;
        alter publication supabase_realtime add table public.realtime_types;
      `);
      const { ws, frames, next } = await rawSocket(publishableKey);
      const topic = `realtime:types-${randomUUID()}`;
      const params = { event: '*', schema: 'public', table: 'realtime_types' };
      ws.send(JSON.stringify(['1', '1', topic, 'phx_join', { config: { postgres_changes: [params] }, access_token: alice.accessToken }]));
      const joined = await next((frame) => frame[1] === '1');
      const [echoed] = (joined[4].response as { postgres_changes: (typeof params & { id: number })[] }).postgres_changes;
      expect(echoed).toEqual({ ...params, id: expect.any(Number) });
      await next((frame) => frame[3] === 'system' && frame[4].message === 'Subscribed to PostgreSQL');

      const changes = (): Record<string, unknown>[] =>
        frames.filter((frame) => frame[3] === 'postgres_changes').map((frame) => frame[4]);
      // One at a time: the RLS check reads the row after commit, so a row already deleted again
      // would (as on hosted) no longer be visible and its INSERT not delivered.
      await ddl.query(
        `insert into public.realtime_types values (1, 12.50, '{"a": [1, "b"]}', true, '{1,2}', '2024-03-31 01:30:00+00', 'hidden')`,
      );
      await eventually(() => changes().length === 1, 'the insert');
      await ddl.query(`update public.realtime_types set amount = 3, flag = false where id = 1`);
      await eventually(() => changes().length === 2, 'the update');
      await ddl.query(`delete from public.realtime_types where id = 1`);
      await eventually(() => changes().length === 3, 'the delete');
      const [insert, update, remove] = changes() as [Record<string, unknown>, Record<string, unknown>, Record<string, unknown>];

      expect(insert.ids).toEqual([echoed!.id]);
      const visibleColumns = [
        { name: 'id', type: 'int8' },
        { name: 'amount', type: 'numeric' },
        { name: 'doc', type: 'jsonb' },
        { name: 'flag', type: 'bool' },
        { name: 'tags', type: '_int4' },
        { name: 'at', type: 'timestamptz' },
      ];
      expect(insert.data).toEqual({
        schema: 'public',
        table: 'realtime_types',
        type: 'INSERT',
        commit_timestamp: expect.stringMatching(/Z$/),
        columns: visibleColumns,
        record: { id: 1, amount: 12.5, doc: { a: [1, 'b'] }, flag: true, tags: [1, 2], at: '2024-03-31T01:30:00+00:00' },
        errors: null,
      });
      expect(update.data).toMatchObject({
        type: 'UPDATE',
        record: { id: 1, amount: 3, flag: false },
        // REPLICA IDENTITY FULL: the whole old row (minus unreadable columns).
        old_record: { id: 1, amount: 12.5, doc: { a: [1, 'b'] }, flag: true, tags: [1, 2], at: '2024-03-31T01:30:00+00:00' },
      });
      expect(JSON.stringify(update)).not.toContain('hidden');
      // DELETE under RLS: only the primary key, and no `record`.
      expect(remove.data).toEqual(expect.objectContaining({ type: 'DELETE', old_record: { id: 1 } }));
      expect(remove.data).not.toHaveProperty('record');
      ws.close();
    } finally {
      await ddl.query('drop table if exists public.realtime_types');
      await ddl.end();
    }
  });

  it('reports an invalid filter with a system error instead of subscribing', async () => {
    const channel = admin.channel(`bad-${randomUUID()}`).on(
      'postgres_changes',
      { event: '*', schema: 'public', table: 'note_tags', filter: 'no_such_column=eq.1' },
      () => undefined,
    );
    const subscription = await subscribe(channel);
    expect(subscription.first).toBe('SUBSCRIBED');
    await eventually(() => subscription.systems.length > 0, 'the system message');
    expect(subscription.systems[0]).toMatchObject({ extension: 'postgres_changes', status: 'error' });
    await admin.removeChannel(channel);
  });
});

describe('token changes on an open channel', () => {
  it('accepts setAuth with a new token and uses its claims from then on', async () => {
    const supabase = client(publishableKey);
    openClients.push(supabase);
    await supabase.realtime.setAuth(alice.accessToken);
    const seen: string[] = [];
    const channel = supabase
      .channel(`switch-${randomUUID()}`)
      .on('postgres_changes', { event: 'INSERT', schema: 'public', table: 'notes' }, (change) => seen.push((change.new as { body: string }).body));
    const subscription = await subscribeToChanges(channel);

    await supabase.realtime.setAuth(bob.accessToken);
    // The server re-registers the subscription with the new claims and says so again.
    await eventually(() => subscription.systems.filter((system) => system.message === 'Subscribed to PostgreSQL').length === 2, 're-subscription');
    expect((await alice.supabase.from('notes').insert({ body: 'alice after switch' })).error).toBeNull();
    expect((await bob.supabase.from('notes').insert({ body: 'bob after switch' })).error).toBeNull();
    await eventually(() => seen.length >= 1, "bob's note");
    expect(seen).toEqual(['bob after switch']);
    expect(subscription.statuses).toEqual(['SUBSCRIBED']);
    expect(await supabase.removeChannel(channel)).toBe('ok');
  });

  it('closes the channel with a system error on an invalid token', async () => {
    const supabase = client(publishableKey);
    openClients.push(supabase);
    await supabase.realtime.setAuth(alice.accessToken);
    const channel = supabase.channel(`invalid-${randomUUID()}`);
    const subscription = await subscribe(channel);
    expect(subscription.first).toBe('SUBSCRIBED');
    const [header, body] = alice.accessToken.split('.');
    await supabase.realtime.setAuth(`${header}.${body}.${Buffer.from('forged').toString('base64url')}`);
    await eventually(() => subscription.statuses.includes('CLOSED'), 'the channel closing');
    expect(subscription.systems).toEqual([expect.objectContaining({ extension: 'system', status: 'error' })]);
  });

  it('closes the channel when its token expires', async () => {
    const keys = JSON.parse(await readFile(path.join(stackDir, 'keys.json'), 'utf8')) as { signing: { kid: string; privateJwk: Record<string, unknown> } };
    const key = createPrivateKey({ key: keys.signing.privateJwk as never, format: 'jwk' });
    const now = Math.floor(Date.now() / 1000);
    const shortLived = signEs256({ role: 'authenticated', sub: alice.id, aud: 'authenticated', iat: now, exp: now + 2 }, key, keys.signing.kid);

    const supabase = client(publishableKey);
    openClients.push(supabase);
    await supabase.realtime.setAuth(shortLived);
    const channel = supabase.channel(`expiring-${randomUUID()}`);
    const subscription = await subscribe(channel);
    expect(subscription.first).toBe('SUBSCRIBED');
    await eventually(() => subscription.statuses.includes('CLOSED'), 'the channel closing at expiry');
    expect(subscription.systems[0]).toMatchObject({ extension: 'system', status: 'error' });
    expect(String(subscription.systems[0]!.message)).toMatch(/^Token has expired \d+ seconds ago$/);
  });
});
