// Everything shared between connections: topic membership, Presence, the change feed, and the
// fan-out of Broadcast messages (from clients, from the database, from the REST endpoint).
import type { StackContext } from '../context.ts';
import { canWrite, type Claims } from './auth.ts';
import { ChangeFeed, parseFilter, type ChangeSubscription, type DatabaseMessage } from './changes.ts';
import type { Channel, Connection } from './channel.ts';
import { PresenceTracker, type PresenceDiff } from './presence.ts';
import { encodeText, type BinaryBroadcast } from './protocol.ts';

const EVENTS = new Set(['*', 'INSERT', 'UPDATE', 'DELETE']);

export interface OutgoingBroadcast {
  type: 'broadcast';
  event: unknown;
  payload: unknown;
  meta?: { id: string };
}

export class RealtimeHub {
  readonly connections = new Set<Connection>();
  readonly changes: ChangeFeed;
  private readonly members = new Map<string, Set<Channel>>();
  private readonly presence = new PresenceTracker<Channel>();

  constructor(readonly ctx: StackContext) {
    this.changes = new ChangeFeed({
      databaseUrl: ctx.adminDatabaseUrl,
      pool: ctx.adminPool,
      log: (message) => this.log(message),
      onDatabaseMessage: (message) => this.deliverDatabaseMessage(message),
    });
  }

  log(message: string): void {
    this.ctx.log('realtime', message);
  }

  addChannel(channel: Channel): void {
    let members = this.members.get(channel.hubTopic);
    if (!members) {
      members = new Set();
      this.members.set(channel.hubTopic, members);
    }
    members.add(channel);
  }

  removeChannel(channel: Channel): void {
    const members = this.members.get(channel.hubTopic);
    if (!members?.delete(channel)) return;
    if (members.size === 0) this.members.delete(channel.hubTopic);
    this.untrackPresence(channel);
  }

  /** Channels that may read broadcasts: every public member; private ones with the read right. */
  private broadcastReaders(hubTopic: string): Channel[] {
    return [...(this.members.get(hubTopic) ?? [])].filter((channel) => !channel.isPrivate || channel.policies?.broadcast === true);
  }

  fanOutBroadcast(hubTopic: string, message: OutgoingBroadcast, binary: BinaryBroadcast | null, except: Channel | null): void {
    // Members of a topic mostly share one frame: encode it once per channel topic and vsn.
    const encoded = new Map<string, string>();
    for (const channel of this.broadcastReaders(hubTopic)) {
      if (channel === except) continue;
      if (binary) {
        channel.connection.sendBinaryBroadcast(channel.topic, binary);
        continue;
      }
      const key = `${channel.connection.vsn} ${channel.topic}`;
      let text = encoded.get(key);
      if (text === undefined) {
        // Fan-out goes out as Phoenix's fastlane does: without a join_ref.
        text = encodeText({ joinRef: null, ref: null, topic: channel.topic, event: 'broadcast', payload: message }, channel.connection.vsn);
        encoded.set(key, text);
      }
      channel.connection.sendText(text);
    }
  }

  private deliverDatabaseMessage(message: DatabaseMessage): void {
    const hubTopic = `${message.private ? 'private' : 'public'}:${message.topic}`;
    this.fanOutBroadcast(hubTopic, { type: 'broadcast', event: message.event, payload: message.payload, meta: { id: message.id } }, null, null);
  }

  /**
   * POST /api/broadcast: public messages go out as they are; private ones only to topics the
   * caller may write to (the INSERT policy, checked once per topic).
   */
  async restBroadcast(
    messages: { topic: string; event: string; payload: unknown; private: boolean; id?: string }[],
    claims: Claims,
  ): Promise<void> {
    const writable = new Map<string, boolean>();
    for (const message of messages) {
      if (message.private) {
        let allowed = writable.get(message.topic);
        if (allowed === undefined) {
          allowed = await this.restBroadcastAllowed(message.topic, claims);
          writable.set(message.topic, allowed);
        }
        if (!allowed) continue;
      }
      const outgoing: OutgoingBroadcast = { type: 'broadcast', event: message.event, payload: message.payload };
      if (message.id) outgoing.meta = { id: message.id };
      this.fanOutBroadcast(`${message.private ? 'private' : 'public'}:${message.topic}`, outgoing, null, null);
    }
  }

  restBroadcastAllowed(topic: string, claims: Claims): Promise<boolean> {
    return canWrite(this.ctx.adminPool, { subTopic: topic, claims }, 'broadcast', (text) => this.log(text));
  }

  restBinaryBroadcast(topic: string, isPrivate: boolean, broadcast: BinaryBroadcast): void {
    this.fanOutBroadcast(`${isPrivate ? 'private' : 'public'}:${topic}`, { type: 'broadcast', event: broadcast.userEvent, payload: {} }, broadcast, null);
  }

  private presenceReaders(hubTopic: string): Channel[] {
    return [...(this.members.get(hubTopic) ?? [])].filter(
      (channel) => channel.presenceEnabled && (!channel.isPrivate || channel.policies?.presence === true),
    );
  }

  syncPresence(channel: Channel): void {
    if (channel.isPrivate && channel.policies?.presence !== true) return;
    channel.push('presence_state', this.presence.state(channel.hubTopic));
  }

  trackPresence(channel: Channel, meta: Record<string, unknown>): void {
    this.broadcastPresenceDiff(channel.hubTopic, this.presence.track(channel.hubTopic, channel, channel.presenceKey, meta));
  }

  untrackPresence(channel: Channel): void {
    const diff = this.presence.untrack(channel.hubTopic, channel);
    if (diff) this.broadcastPresenceDiff(channel.hubTopic, diff);
  }

  private broadcastPresenceDiff(hubTopic: string, diff: PresenceDiff): void {
    for (const channel of this.presenceReaders(hubTopic)) {
      channel.connection.send({ joinRef: null, ref: null, topic: channel.topic, event: 'presence_diff', payload: diff });
    }
  }

  /**
   * Turns one `postgres_changes` entry of a join into a subscription, refusing what hosted's
   * subscription table refuses: unknown tables, filters on unknown or unreadable columns, values
   * that do not cast to the column type, `in` lists over 100.
   */
  async validateSubscription(
    params: Record<string, unknown>,
    channel: Channel,
    id: number,
  ): Promise<ChangeSubscription | string> {
    const event = params.event ?? '*';
    const schema = typeof params.schema === 'string' && params.schema !== '' ? params.schema : 'public';
    const table = typeof params.table === 'string' && params.table !== '' && params.table !== '*' ? params.table : null;
    const filterText = typeof params.filter === 'string' && params.filter !== '' ? params.filter : null;
    const described = `[event: ${String(event)}, schema: ${schema}, table: ${table ?? '*'}${filterText ? `, filters: ${filterText}` : ''}]`;
    const refusal = `Unable to subscribe to changes with given parameters. Please check Realtime is enabled for the given connect parameters: ${described}`;
    if (typeof event !== 'string' || !EVENTS.has(event)) return refusal;

    const filter = filterText ? parseFilter(filterText) : null;
    if (typeof filter === 'string') return `${refusal}: ${filter}`;
    if (filter && (table === null || schema === '*')) return refusal;

    if (table !== null && schema !== '*') {
      try {
        const found = await this.ctx.adminPool.query(
          `select 1 from pg_class c join pg_namespace n on n.oid = c.relnamespace where n.nspname = $1 and c.relname = $2`,
          [schema, table],
        );
        if (found.rowCount === 0) return refusal;
        if (filter) {
          const column = await this.ctx.adminPool.query<{ type: string; selectable: boolean }>(
            `select format_type(a.atttypid, a.atttypmod) as type, has_column_privilege($3, a.attrelid, a.attnum, 'SELECT') as selectable
               from pg_attribute a join pg_class c on c.oid = a.attrelid join pg_namespace n on n.oid = c.relnamespace
              where n.nspname = $1 and c.relname = $2 and a.attname = $4 and a.attnum > 0 and not a.attisdropped`,
            [schema, table, channel.claims.role, filter.column],
          );
          const row = column.rows[0];
          if (!row || !row.selectable) return `${refusal}: invalid column for filter ${filter.column}`;
          const cast = filter.op === 'in' ? `${row.type}[]` : row.type;
          await this.ctx.adminPool.query(`select $1::${cast}`, [filter.value]);
        }
      } catch (error) {
        return `${refusal}: ${(error as Error).message}`;
      }
    }
    return { id, event: event as ChangeSubscription['event'], schema, table, filter, subscriber: channel };
  }

  async close(): Promise<void> {
    for (const connection of [...this.connections]) {
      connection.teardown();
      connection.ws.terminate();
    }
    await this.changes.close();
  }
}
