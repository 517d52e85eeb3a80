// Change capture from the WAL, as hosted Realtime's Postgres Changes does it: a logical
// replication slot with wal2json, drained with pg_logical_slot_get_changes, restricted to the
// tables of the `supabase_realtime` publication. The same stream carries inserts into
// realtime.messages, which become Broadcast-from-the-database messages (hosted reads those from
// its own replication stream; one slot here keeps a single ordered stream and one drainer).
//
// When to drain: hosted streams the WAL as it is written; SQL-level decoding can only be asked.
// A statement trigger on realtime.messages (local-stack/sql/20-realtime.sql) NOTIFYs at commit,
// so a broadcast from the database is drained at once. App tables get no trigger (the stack
// must not touch the app's schema), so they rely on the timed poll, which first asks cheaply
// whether any WAL was flushed since the last drain and is shorter while someone subscribes to
// postgres_changes. Every drain runs on the one connection that owns the slot, one at a time,
// so delivery order is the WAL's order whatever woke it.
//
// Decoding reads only flushed WAL. With synchronous_commit = off (the stack's fast mode for
// tests) a NOTIFY arrives before the WAL writer has flushed its commit (up to 600 ms later), so
// a wake-up first commits a one-byte logical message synchronously: flushing it flushes every
// commit before it.
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import type { Claims } from './auth.ts';

export const PUBLICATION = 'supabase_realtime';
/** The channel realtime.messages' trigger notifies; the payload is empty. */
export const WAKE_CHANNEL = 'realtime_local_capture';
/** Between polls with no postgres_changes subscriber: only a fallback for missed wake-ups. */
const IDLE_POLL_MS = 100;
/** Between polls while postgres_changes has subscribers (a poll with no new WAL is one cheap query). */
const WATCHED_POLL_MS = 20;
/** Prefix of the logical messages that force a flush; wal2json is told to leave them out. */
const FLUSH_MESSAGE_PREFIX = 'realtime_local_flush';
const RETRY_AFTER_ERROR_MS = 1000;
const RECONNECT_MIN_MS = 250;
const RECONNECT_MAX_MS = 2000;
const MAX_CHANGES_PER_POLL = 1000;
const MAX_RECORD_BYTES = 1024 * 1024;
const MESSAGE_RETENTION_CHECK_MS = 10 * 60 * 1000;

export type FilterOp = 'eq' | 'neq' | 'lt' | 'lte' | 'gt' | 'gte' | 'in';
const OPERATORS: Record<FilterOp, string> = { eq: '=', neq: '!=', lt: '<', lte: '<=', gt: '>', gte: '>=', in: '= any' };

export interface ParsedFilter {
  column: string;
  op: FilterOp;
  /** One value, or the list for `in`. */
  value: string | string[];
}

/** `col=op.value`; `in` takes `(a,b,"c d")`. Returns an error message when malformed. */
export function parseFilter(filter: string): ParsedFilter | string {
  const match = /^([^=]+)=(eq|neq|lt|lte|gt|gte|in)\.(.*)$/s.exec(filter);
  if (!match) return `Error parsing \`filter\` params: ${filter}`;
  const [, column, op, raw] = match as unknown as [string, string, FilterOp, string];
  if (op !== 'in') return { column, op, value: raw };
  const inner = /^\((.*)\)$/s.exec(raw)?.[1];
  if (inner === undefined) return `Error parsing \`filter\` params: ${filter}`;
  const values = inner === '' ? [] : inner.split(',').map((item) => item.trim().replace(/^"(.*)"$/s, '$1'));
  if (values.length > 100) return 'too many values for `in` filter. Maximum 100';
  return { column, op, value: values };
}

export interface ChangeSubscriber {
  readonly claims: Claims;
  /** Sends one `postgres_changes` message to the channel. */
  deliver(ids: number[], data: Record<string, unknown>): void;
}

export interface ChangeSubscription {
  id: number;
  event: '*' | 'INSERT' | 'UPDATE' | 'DELETE';
  schema: string;
  /** null: every table of the schema (`table` absent or `*`). */
  table: string | null;
  filter: ParsedFilter | null;
  subscriber: ChangeSubscriber;
}

export interface DatabaseMessage {
  id: string;
  topic: string;
  event: string;
  payload: unknown;
  private: boolean;
}

interface WalColumn {
  name: string;
  /** format_type() of the column, usable in a cast. */
  type: string;
  /** to_jsonb() of the value. */
  value: unknown;
  /** The value as Postgres printed it (null for NULL). */
  raw: string | null;
}

interface WalChange {
  action: 'I' | 'U' | 'D';
  schema: string;
  table: string;
  commitTimestamp: string | null;
  columns: WalColumn[];
  identity: WalColumn[];
  pk: string[];
  publishes: { insert: boolean; update: boolean; delete: boolean };
  bytes: number;
}

const ACTION_TYPES = { I: 'INSERT', U: 'UPDATE', D: 'DELETE' } as const;

function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

// add-tables wants schema.table with space, quote, comma, period and asterisk escaped by a backslash.
const POLL_SQL = `
with pub as (
  select
    coalesce(bool_or(pp.pubinsert), false) as pubinsert,
    coalesce(bool_or(pp.pubupdate), false) as pubupdate,
    coalesce(bool_or(pp.pubdelete), false) as pubdelete,
    string_agg(
      regexp_replace(ppt.schemaname, '([ '',.*])', '\\\\\\1', 'g') || '.' || regexp_replace(ppt.tablename, '([ '',.*])', '\\\\\\1', 'g'),
      ','
    ) filter (where ppt.tablename is not null) as tables
  from pg_publication pp
  left join pg_publication_tables ppt on ppt.pubname = pp.pubname
  where pp.pubname = $3
),
w2j as materialized (
  select x.n, x.data::jsonb as wal, octet_length(x.data) as bytes
  from pub, pg_logical_slot_get_changes(
    $1, null, $2,
    'format-version', '2',
    'include-pk', 'true',
    'include-timestamp', 'true',
    'include-type-oids', 'true',
    'include-transaction', 'false',
    'filter-msg-prefixes', $4,
    'add-tables', concat_ws(',', 'realtime.messages', pub.tables)
  ) with ordinality as x(lsn, xid, data, n)
)
select
  w2j.wal ->> 'action' as action,
  w2j.wal ->> 'schema' as schema,
  w2j.wal ->> 'table' as table,
  w2j.bytes,
  to_char((w2j.wal ->> 'timestamp')::timestamptz at time zone 'utc', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') as commit_timestamp,
  coalesce((
    select jsonb_agg(jsonb_build_object(
      'name', c ->> 'name',
      'type', format_type((c ->> 'typeoid')::oid, null),
      'value', realtime.cast(c -> 'value' #>> '{}', (c ->> 'typeoid')::oid::regtype),
      'raw', c -> 'value' #>> '{}'
    ) order by i)
    from jsonb_array_elements(w2j.wal -> 'columns') with ordinality as e(c, i)
  ), '[]'::jsonb) as columns,
  coalesce((
    select jsonb_agg(jsonb_build_object(
      'name', c ->> 'name',
      'type', format_type((c ->> 'typeoid')::oid, null),
      'value', realtime.cast(c -> 'value' #>> '{}', (c ->> 'typeoid')::oid::regtype),
      'raw', c -> 'value' #>> '{}'
    ) order by i)
    from jsonb_array_elements(w2j.wal -> 'identity') with ordinality as e(c, i)
  ), '[]'::jsonb) as identity,
  coalesce((select jsonb_agg(p ->> 'name') from jsonb_array_elements(w2j.wal -> 'pk') as p), '[]'::jsonb) as pk,
  pub.pubinsert, pub.pubupdate, pub.pubdelete
from w2j, pub
order by w2j.n`;

interface PollRow {
  action: string;
  schema: string;
  table: string;
  bytes: number;
  commit_timestamp: string | null;
  columns: WalColumn[];
  identity: WalColumn[];
  pk: string[];
  pubinsert: boolean | null;
  pubupdate: boolean | null;
  pubdelete: boolean | null;
}

interface TableInfo {
  oid: number;
  rlsEnabled: boolean;
  /** Every live column in attnum order, with pg_type.typname as the client expects. */
  columns: { name: string; typname: string }[];
}

interface RoleView {
  bypassRls: boolean;
  selectable: Set<string>;
}

/** Per-poll cache: catalogue facts and privileges are read fresh for every batch of changes. */
class BatchCatalog {
  private readonly tables = new Map<string, Promise<TableInfo | null>>();
  private readonly views = new Map<string, Promise<RoleView | null>>();

  constructor(private readonly pool: pg.Pool) {}

  table(schema: string, table: string): Promise<TableInfo | null> {
    const key = `${schema}.${table}`;
    let info = this.tables.get(key);
    if (!info) {
      info = this.pool
        .query<{ oid: number; rls: boolean; columns: { name: string; typname: string }[] }>(
          `select c.oid::int as oid, c.relrowsecurity as rls,
                  coalesce((select jsonb_agg(jsonb_build_object('name', a.attname, 'typname', t.typname) order by a.attnum)
                              from pg_attribute a join pg_type t on t.oid = a.atttypid
                             where a.attrelid = c.oid and a.attnum > 0 and not a.attisdropped), '[]'::jsonb) as columns
             from pg_class c join pg_namespace n on n.oid = c.relnamespace
            where n.nspname = $1 and c.relname = $2`,
          [schema, table],
        )
        .then((result) => {
          const row = result.rows[0];
          return row ? { oid: row.oid, rlsEnabled: row.rls, columns: row.columns } : null;
        });
      this.tables.set(key, info);
    }
    return info;
  }

  view(table: TableInfo, role: string): Promise<RoleView | null> {
    const key = `${table.oid}/${role}`;
    let view = this.views.get(key);
    if (!view) {
      view = this.pool
        .query<{ bypass: boolean; selectable: string[] }>(
          `select r.rolbypassrls as bypass,
                  coalesce((select array_agg(a.attname::text) from pg_attribute a
                             where a.attrelid = $1::oid and a.attnum > 0 and not a.attisdropped
                               and has_column_privilege(r.oid, a.attrelid, a.attnum, 'SELECT')), '{}') as selectable
             from pg_roles r where r.rolname = $2`,
          [table.oid, role],
        )
        .then((result) => {
          const row = result.rows[0];
          return row ? { bypassRls: row.bypass, selectable: new Set(row.selectable) } : null;
        })
        .catch(() => null);
      this.views.set(key, view);
    }
    return view;
  }
}

export interface ChangeFeedOptions {
  databaseUrl: string;
  /** Pool for catalogue reads and RLS checks (superuser). */
  pool: pg.Pool;
  log: (message: string) => void;
  onDatabaseMessage: (message: DatabaseMessage) => void;
  /** Overrides IDLE_POLL_MS and WATCHED_POLL_MS (tests make them long to see that wake-ups alone deliver). */
  pollIntervalsMs?: { idle: number; watched: number };
}

/** Whether WAL was flushed past what the slot has consumed; false means a drain would find nothing. */
const WAL_MOVED_SQL = `select pg_current_wal_flush_lsn() > confirmed_flush_lsn as moved from pg_replication_slots where slot_name = $1`;

interface SlotConnection {
  client: pg.Client;
  slotName: string;
  /** The server commits asynchronously, so a wake-up must flush the WAL before decoding. */
  flushOnWake: boolean;
}

export class ChangeFeed {
  private readonly subscriptions = new Set<ChangeSubscription>();
  private connection: SlotConnection | null = null;
  private connecting: Promise<void> | null = null;
  private reconnectTimer: NodeJS.Timeout | null = null;
  private timer: NodeJS.Timeout | null = null;
  private polling: Promise<void> | null = null;
  /** A wake-up arrived since the last drain started: the next drain runs at once and flushes first. */
  private woken = false;
  private stopped = false;
  private lastRetention = 0;
  private startError: Error | null = null;
  private readonly intervals: { idle: number; watched: number };
  /** Resolves once the first slot exists, so changes committed afterwards are captured. */
  readonly ready: Promise<void>;

  constructor(private readonly options: ChangeFeedOptions) {
    this.intervals = options.pollIntervalsMs ?? { idle: IDLE_POLL_MS, watched: WATCHED_POLL_MS };
    this.ready = this.start();
    this.ready.catch(() => undefined);
  }

  get failure(): Error | null {
    return this.startError;
  }

  /** The slot being drained now; null while (re)connecting. Each connection has its own. */
  get slotName(): string | null {
    return this.connection?.slotName ?? null;
  }

  private async start(): Promise<void> {
    try {
      this.connection = await this.connect();
    } catch (error) {
      this.startError = error as Error;
      this.options.log(`cannot capture changes (wal_level=logical and postgresql-15-wal2json are required): ${(error as Error).message}`);
      throw error;
    }
    if (this.stopped) {
      await this.disconnect();
      return;
    }
    this.schedule(0);
  }

  private async connect(): Promise<SlotConnection> {
    const slotName = `supabase_realtime_local_${process.pid}_${randomBytes(4).toString('hex')}`;
    const client = new pg.Client({ connectionString: this.options.databaseUrl, application_name: 'realtime_rls' });
    client.on('error', (error) => {
      this.options.log(`replication connection error: ${error.message}`);
      this.lost(client);
    });
    client.on('end', () => this.lost(client));
    client.on('notification', (notification) => {
      if (notification.channel === WAKE_CHANNEL) this.wake();
    });
    let flushOnWake = false;
    try {
      await client.connect();
      const setting = await client.query<{ value: string }>(`select current_setting('synchronous_commit') as value`);
      flushOnWake = setting.rows[0]?.value === 'off';
      // Values of time zone–aware types are rendered by this session; hosted projects run in UTC.
      // Its only commits are the flushing messages, which must wait for the flush.
      await client.query(`set timezone to 'UTC'; set synchronous_commit to on`);
      // Listening before the slot exists: every message the slot will carry also wakes us.
      await client.query(`listen ${WAKE_CHANNEL}`);
      // Temporary: the slot disappears with this connection, so a crashed stack leaves no slot
      // holding WAL back. It also means only this connection may read it.
      await client.query(`select pg_create_logical_replication_slot($1, 'wal2json', true)`, [slotName]);
    } catch (error) {
      await client.end().catch(() => undefined);
      throw error;
    }
    return { client, slotName, flushOnWake };
  }

  /**
   * The slot's connection broke (Postgres restarted, the backend was terminated). Its temporary
   * slot went with it, so changes committed until a new slot exists are not captured: as on
   * hosted, where Realtime's slot is temporary too and clients refetch after a reconnect.
   */
  private lost(client: pg.Client): void {
    if (this.stopped || this.connection?.client !== client) return;
    this.connection = null;
    client.end().catch(() => undefined);
    this.options.log('replication connection lost; reconnecting');
    this.reconnect(RECONNECT_MIN_MS);
  }

  private reconnect(delay: number): void {
    if (this.stopped || this.reconnectTimer) return;
    this.reconnectTimer = setTimeout(() => {
      this.reconnectTimer = null;
      this.connecting = this.connect().then(
        async (connection) => {
          this.connecting = null;
          if (this.stopped) {
            await connection.client.end().catch(() => undefined);
            return;
          }
          this.connection = connection;
          this.options.log('replication connection restored');
          this.wake();
        },
        (error: Error) => {
          this.connecting = null;
          this.options.log(`reconnecting for change capture failed: ${error.message}`);
          this.reconnect(Math.min(delay * 2, RECONNECT_MAX_MS));
        },
      );
    }, delay);
  }

  add(subscription: ChangeSubscription): void {
    this.subscriptions.add(subscription);
  }

  remove(subscription: ChangeSubscription): void {
    this.subscriptions.delete(subscription);
  }

  /** Drain now (or straight after the drain under way) instead of at the next poll. */
  private wake(): void {
    if (this.stopped) return;
    this.woken = true;
    // A drain under way may have decoded before this commit was flushed: the next one runs as it ends.
    if (!this.polling) this.schedule(0);
  }

  private schedule(delay: number): void {
    if (this.stopped) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = null;
      this.polling = this.drain();
    }, delay);
  }

  private async drain(): Promise<void> {
    const woken = this.woken;
    this.woken = false;
    let delay: number;
    try {
      const count = await this.poll(woken);
      // A non-empty batch: there may be more right behind it.
      delay = count > 0 ? 0 : this.subscriptions.size > 0 ? this.intervals.watched : this.intervals.idle;
      await this.maybeDeleteOldMessages();
    } catch (error) {
      this.options.log(`polling changes failed: ${(error as Error).message}`);
      delay = RETRY_AFTER_ERROR_MS;
    }
    this.polling = null;
    this.schedule(this.woken ? 0 : delay);
  }

  private async poll(woken: boolean): Promise<number> {
    const connection = this.connection;
    if (!connection || this.stopped) return 0;
    const { client, slotName } = connection;
    if (woken && connection.flushOnWake) {
      await client.query(`select pg_logical_emit_message(true, $1, '')`, [FLUSH_MESSAGE_PREFIX]);
    }
    // Starting a decoding session costs far more than this look at two positions.
    const moved = await client.query<{ moved: boolean }>(WAL_MOVED_SQL, [slotName]);
    if (moved.rows[0]?.moved === false) return 0;
    const result = await client.query<PollRow>(POLL_SQL, [slotName, MAX_CHANGES_PER_POLL, PUBLICATION, FLUSH_MESSAGE_PREFIX]);
    const catalog = new BatchCatalog(this.options.pool);
    for (const row of result.rows) {
      if (this.stopped) break;
      const change: WalChange = {
        action: row.action as WalChange['action'],
        schema: row.schema,
        table: row.table,
        commitTimestamp: row.commit_timestamp,
        columns: row.columns,
        identity: row.identity,
        pk: row.pk,
        publishes: { insert: !!row.pubinsert, update: !!row.pubupdate, delete: !!row.pubdelete },
        bytes: row.bytes,
      };
      try {
        if (change.schema === 'realtime' && change.table === 'messages') this.handleMessage(change);
        else await this.handleChange(change, catalog);
      } catch (error) {
        this.options.log(`dropping change on ${change.schema}.${change.table}: ${(error as Error).message}`);
      }
    }
    return result.rows.length;
  }

  private async maybeDeleteOldMessages(): Promise<void> {
    if (Date.now() - this.lastRetention < MESSAGE_RETENTION_CHECK_MS) return;
    this.lastRetention = Date.now();
    await this.options.pool
      .query(`delete from realtime.messages where inserted_at < now() - interval '3 days'`)
      .catch((error: Error) => this.options.log(`cleaning realtime.messages failed: ${error.message}`));
  }

  private handleMessage(change: WalChange): void {
    if (change.action !== 'I') return;
    const value = (name: string): unknown => change.columns.find((column) => column.name === name)?.value ?? null;
    if (value('extension') !== 'broadcast') return;
    const topic = value('topic');
    const event = value('event');
    if (typeof topic !== 'string' || typeof event !== 'string') return;
    this.options.onDatabaseMessage({
      id: String(value('id')),
      topic,
      event,
      payload: value('payload') ?? {},
      private: value('private') === true,
    });
  }

  private async handleChange(change: WalChange, catalog: BatchCatalog): Promise<void> {
    const type = ACTION_TYPES[change.action];
    if (!type) return;
    if ((type === 'INSERT' && !change.publishes.insert) || (type === 'UPDATE' && !change.publishes.update) || (type === 'DELETE' && !change.publishes.delete)) {
      return;
    }
    const matching = [...this.subscriptions].filter(
      (subscription) =>
        (subscription.schema === '*' || subscription.schema === change.schema) &&
        (subscription.table === null || subscription.table === change.table) &&
        (subscription.event === '*' || subscription.event === type),
    );
    if (matching.length === 0) return;
    const table = await catalog.table(change.schema, change.table);
    if (!table) return;

    const passing = await this.applyFilters(change, matching);
    const byRole = new Map<string, ChangeSubscription[]>();
    for (const subscription of passing) {
      const role = subscription.subscriber.claims.role;
      const list = byRole.get(role) ?? [];
      list.push(subscription);
      byRole.set(role, list);
    }

    await Promise.all(
      [...byRole].map(async ([role, subscriptions]) => {
        const view = await catalog.view(table, role);
        if (!view) return;
        const data = this.payloadFor(change, type, table, view);
        let visible = subscriptions;
        if (!data.errors && table.rlsEnabled && type !== 'DELETE' && !view.bypassRls) {
          visible = await this.visibleUnderRls(change, role, subscriptions);
        }
        this.deliver(visible, data);
      }),
    );
  }

  /** The payload one role may see, following hosted's realtime.apply_rls. */
  private payloadFor(change: WalChange, type: string, table: TableInfo, view: RoleView): Record<string, unknown> & { errors: string[] | null } {
    const base = { schema: change.schema, table: change.table, type };
    if (type !== 'DELETE') {
      if (change.pk.length === 0) {
        return { ...base, commit_timestamp: null, columns: [], errors: ['Error 400: Bad Request, no primary key'], record: {} };
      }
      if (!change.pk.every((name) => view.selectable.has(name))) {
        return { ...base, commit_timestamp: null, columns: [], errors: ['Error 401: Unauthorized'], record: {} };
      }
    }
    const tooLarge = change.bytes > MAX_RECORD_BYTES;
    const keep = (column: WalColumn): boolean =>
      view.selectable.has(column.name) && (!tooLarge || Buffer.byteLength(JSON.stringify(column.value)) <= 64);
    const toRecord = (columns: WalColumn[]): Record<string, unknown> =>
      Object.fromEntries(columns.filter(keep).map((column) => [column.name, column.value]));

    const data: Record<string, unknown> & { errors: string[] | null } = {
      ...base,
      commit_timestamp: change.commitTimestamp,
      columns: table.columns.filter((column) => view.selectable.has(column.name)).map((column) => ({ name: column.name, type: column.typname })),
      errors: tooLarge ? ['Error 413: Payload Too Large'] : null,
    };
    if (type === 'INSERT' || type === 'UPDATE') {
      // Unchanged TOASTed values are absent from the new tuple; the old one may carry them.
      const names = new Set(change.columns.map((column) => column.name));
      data.record = toRecord([...change.columns, ...change.identity.filter((column) => !names.has(column.name))]);
    }
    if (type === 'UPDATE') data.old_record = toRecord(change.identity);
    if (type === 'DELETE') {
      const identity = table.rlsEnabled ? change.identity.filter((column) => change.pk.includes(column.name)) : change.identity;
      data.old_record = toRecord(identity);
    }
    return data;
  }

  /** Evaluates every distinct filter once, with Postgres casting both sides to the column type. */
  private async applyFilters(change: WalChange, subscriptions: ChangeSubscription[]): Promise<ChangeSubscription[]> {
    const filtered = subscriptions.filter((subscription) => subscription.filter !== null);
    if (filtered.length === 0) return subscriptions;
    const newColumns = new Map(change.columns.map((column) => [column.name, column]));
    const oldColumns = new Map(change.identity.map((column) => [column.name, column]));
    const expressions: string[] = [];
    const params: unknown[] = [];
    const slots = new Map<string, number>();
    const slotFor = (filter: ParsedFilter, column: WalColumn | undefined): number | null => {
      if (!column) return null;
      const key = JSON.stringify([filter, column.name, column.raw, column.type]);
      let slot = slots.get(key);
      if (slot === undefined) {
        params.push(column.raw, filter.value);
        const typeCast = filter.op === 'in' ? `${column.type}[]` : column.type;
        expressions.push(`coalesce($${params.length - 1}::${column.type} ${OPERATORS[filter.op]} ($${params.length}::${typeCast}), false)`);
        slot = expressions.length;
        slots.set(key, slot);
      }
      return slot;
    };
    const plan = filtered.map((subscription) => {
      const filter = subscription.filter!;
      return {
        subscription,
        newSlot: change.action === 'D' ? null : slotFor(filter, newColumns.get(filter.column)),
        oldSlot: change.action === 'D' ? slotFor(filter, oldColumns.get(filter.column)) : null,
      };
    });
    let results: boolean[] = [];
    if (expressions.length > 0) {
      try {
        const result = await this.options.pool.query<{ results: boolean[] }>(`select array[${expressions.join(', ')}] as results`, params);
        results = result.rows[0]!.results;
      } catch (error) {
        this.options.log(`evaluating filters failed: ${(error as Error).message}`);
      }
    }
    const passes = new Set(
      plan
        .filter(({ newSlot, oldSlot }) => (newSlot !== null && results[newSlot - 1] === true) || (oldSlot !== null && results[oldSlot - 1] === true))
        .map(({ subscription }) => subscription),
    );
    return subscriptions.filter((subscription) => subscription.filter === null || passes.has(subscription));
  }

  /**
   * RLS as the subscriber: with its role and claims set, is the row (by primary key) visible now?
   * One check per distinct claim set, not per subscriber.
   */
  private async visibleUnderRls(change: WalChange, role: string, subscriptions: ChangeSubscription[]): Promise<ChangeSubscription[]> {
    const pkColumns = change.pk.map((name) => change.columns.find((column) => column.name === name));
    if (pkColumns.some((column) => column === undefined)) return [];
    const predicate = pkColumns.map((column, index) => `${quoteIdent(column!.name)} = $${index + 1}::${column!.type}`).join(' and ');
    const sql = `select exists(select 1 from ${quoteIdent(change.schema)}.${quoteIdent(change.table)} where ${predicate}) as visible`;
    const values = pkColumns.map((column) => column!.raw);

    const byClaims = new Map<string, ChangeSubscription[]>();
    for (const subscription of subscriptions) {
      const key = JSON.stringify(subscription.subscriber.claims);
      const list = byClaims.get(key) ?? [];
      list.push(subscription);
      byClaims.set(key, list);
    }
    const visible: ChangeSubscription[] = [];
    await Promise.all(
      [...byClaims].map(async ([claims, group]) => {
        if (await this.checkVisible(sql, values, role, claims)) visible.push(...group);
      }),
    );
    return visible;
  }

  private async checkVisible(sql: string, values: unknown[], role: string, claims: string): Promise<boolean> {
    const client = await this.options.pool.connect();
    try {
      await client.query('begin');
      await client.query(`select set_config('role', $1, true), set_config('request.jwt.claims', $2, true)`, [role, claims]);
      const result = await client.query<{ visible: boolean }>(sql, values);
      return result.rows[0]?.visible === true;
    } catch {
      // No table privilege or a failing policy: the row is not visible to this subscriber.
      return false;
    } finally {
      try {
        await client.query('rollback');
        client.release();
      } catch (error) {
        client.release(error instanceof Error ? error : true);
      }
    }
  }

  private deliver(subscriptions: ChangeSubscription[], data: Record<string, unknown>): void {
    const bySubscriber = new Map<ChangeSubscriber, number[]>();
    for (const subscription of subscriptions) {
      const ids = bySubscriber.get(subscription.subscriber) ?? [];
      if (!ids.includes(subscription.id)) ids.push(subscription.id);
      bySubscriber.set(subscription.subscriber, ids);
    }
    for (const [subscriber, ids] of bySubscriber) subscriber.deliver(ids, data);
  }

  async close(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    if (this.reconnectTimer) clearTimeout(this.reconnectTimer);
    this.reconnectTimer = null;
    await this.ready.catch(() => undefined);
    await this.connecting;
    await this.polling;
    await this.disconnect();
  }

  private async disconnect(): Promise<void> {
    const connection = this.connection;
    this.connection = null;
    if (!connection) return;
    await connection.client.query('select pg_drop_replication_slot($1)', [connection.slotName]).catch(() => undefined);
    await connection.client.end().catch(() => undefined);
  }
}
