// Live figures: rows loaded once, then patched from a private Broadcast topic the database
// sends to (see supabase/migrations/20261127001000_realtime.sql), and reloaded in full on every
// (re)join so nothing missed while disconnected stays wrong.
//
// Generic over the row and change shapes so other screens can reuse it; for the facilities'
// free places use `liveFacilityAvailability()` below. Usage in a component:
//
//   const live = liveFacilityAvailability(data.supabase, data.facilities);
//   onMount(() => live.start());          // returns the cleanup
//   live.rows                             // current rows ($state.raw: replaced, never mutated)
//   live.recentlyChanged.has(id)          // highlight for a moment after a change
//   live.connection.state                 // 'live' | 'reconnecting' | 'offline' | ...
//   live.announcement                     // the latest batch of changed keys, at most one per second
import type { SupabaseClient } from '@supabase/supabase-js';
import type { Database } from '$lib/supabase/database.types';
import { SvelteSet } from 'svelte/reactivity';
import { applyChange, createAvailabilityLoader, isAvailabilityChange, type AvailabilityChange, type FacilityAvailability } from '$lib/map/facilities';
import { onConnectionRestored, reportConnectionTrouble } from './connection-signals';
import { RealtimeConnection, type ChannelStatus } from './connection-state.svelte';

export interface LiveRowsOptions<Row, Change> {
  // Any project schema: the class only uses auth, realtime and the refetch callback.
  supabase: SupabaseClient<Database>;
  /** The private Broadcast topic, e.g. `availability` or `facility:<uuid>`. */
  topic: string;
  /** The broadcast event name the database sends, e.g. `availability_changed`. */
  event: string;
  initialRows: Row[];
  rowKey(row: Row): string;
  /** Validates a broadcast payload; null ignores it. */
  parseChange(payload: unknown): Change | null;
  changeKey(change: Change): string;
  applyChange(row: Row, change: Change): Row;
  /** Loads every row again; called on each (re)join. */
  refetch(): Promise<Row[]>;
  /** How long a changed row stays highlighted (one steady highlight, never a blink). */
  highlightMs?: number;
  /** Changes within this window are announced together. */
  announceEveryMs?: number;
}

export interface ChangeAnnouncement {
  keys: string[];
  /** Increases with every announcement, so the same keys twice still count as new. */
  sequence: number;
}

export class LiveRows<Row, Change> {
  rows = $state.raw<Row[]>([]);
  readonly connection = new RealtimeConnection();
  readonly recentlyChanged = new SvelteSet<string>();
  announcement = $state.raw<ChangeAnnouncement | null>(null);
  /** When the rows were last loaded in full (epoch ms). */
  refreshedAt = $state<number>(Date.now());
  /** The last full reload failed (the rows are older than they look). */
  refreshFailed = $state(false);

  readonly #options: LiveRowsOptions<Row, Change>;
  // Bookkeeping, not state: nothing renders these, so they stay plain (non-reactive) collections.
  // eslint-disable-next-line svelte/prefer-svelte-reactivity -- timers, never rendered
  #highlightTimers = new Map<string, ReturnType<typeof setTimeout>>();
  // eslint-disable-next-line svelte/prefer-svelte-reactivity -- collected, then announced at once
  #pendingAnnouncement = new Set<string>();
  #announceTimer: ReturnType<typeof setTimeout> | null = null;
  #refetching: Promise<void> | null = null;
  #changesDuringRefetch: Change[] = [];

  constructor(options: LiveRowsOptions<Row, Change>) {
    this.#options = options;
    this.rows = options.initialRows;
  }

  /** Joins the topic; returns the cleanup (leave the channel, stop timers). Browser only. */
  start(): () => void {
    const { supabase, topic, event } = this.#options;
    let stopped = false;
    const stopWatching = typeof window === 'undefined' ? () => {} : this.connection.watchBrowser();
    const channel = supabase.channel(topic, { config: { private: true } });
    channel.on('broadcast', { event }, (message: { payload?: unknown }) => this.receive(message.payload));

    const join = async (): Promise<void> => {
      // Private channels are authorised by the user's token, not the publishable key.
      const {
        data: { session }
      } = await supabase.auth.getSession();
      if (stopped) return;
      if (session) await supabase.realtime.setAuth(session.access_token);
      channel.subscribe((status: ChannelStatus, error?: Error) => {
        if (this.connection.onChannelStatus(status, error)) void this.refresh();
        // A dropped channel may mean the server is gone: the app-wide notice checks at once.
        else if (!stopped && this.connection.state === 'reconnecting') reportConnectionTrouble();
      });
    };
    void join();

    // Back online: the socket may have survived the outage (then no rejoin will come to say so)
    // or be dead without knowing it yet. Reload the figures either way, and let a heartbeat find
    // out which; a dead socket then reconnects and rejoins by itself.
    const online = (): void => {
      void this.refresh();
      if (channel.state === 'joined' && supabase.realtime.isConnected()) {
        this.connection.confirmStillJoined();
        void supabase.realtime.sendHeartbeat();
      }
    };
    if (typeof window !== 'undefined') window.addEventListener('online', online);
    // The database was out of reach (the socket may have stayed up meanwhile, so no rejoin
    // says so): broadcasts sent just before or after the outage may be lost; reload.
    const stopRestored = onConnectionRestored(() => void this.refresh());

    // A refreshed token must reach the open channel, or the server closes it at expiry.
    const {
      data: { subscription }
    } = supabase.auth.onAuthStateChange((_event, session) => {
      if (session) void supabase.realtime.setAuth(session.access_token);
    });

    return () => {
      stopped = true;
      this.connection.markClosed();
      subscription.unsubscribe();
      stopRestored();
      stopWatching();
      if (typeof window !== 'undefined') window.removeEventListener('online', online);
      void supabase.removeChannel(channel);
      for (const timer of this.#highlightTimers.values()) clearTimeout(timer);
      this.#highlightTimers.clear();
      if (this.#announceTimer) clearTimeout(this.#announceTimer);
    };
  }

  /** Applies one broadcast payload. Public so tests and other transports can feed it. */
  receive(payload: unknown): void {
    const change = this.#options.parseChange(payload);
    if (change === null) return;
    if (this.#refetching) this.#changesDuringRefetch.push(change);
    const key = this.#options.changeKey(change);
    const index = this.rows.findIndex((row) => this.#options.rowKey(row) === key);
    if (index === -1) {
      // A row this screen has not loaded (e.g. a new facility): only a full load can add it.
      void this.refresh();
      return;
    }
    const next = [...this.rows];
    next[index] = this.#options.applyChange(next[index]!, change);
    this.rows = next;
    this.#markChanged(key);
  }

  /** Reloads every row; concurrent calls share one request. */
  refresh(): Promise<void> {
    this.#refetching ??= (async () => {
      this.#changesDuringRefetch = [];
      try {
        const fresh = await this.#options.refetch();
        // eslint-disable-next-line svelte/prefer-svelte-reactivity -- a local snapshot, never rendered
        const before = new Map(this.rows.map((row) => [this.#options.rowKey(row), JSON.stringify(row)]));
        let rows = fresh;
        // Changes that arrived while the request ran may be newer than its snapshot.
        for (const change of this.#changesDuringRefetch) {
          const key = this.#options.changeKey(change);
          rows = rows.map((row) => (this.#options.rowKey(row) === key ? this.#options.applyChange(row, change) : row));
        }
        this.rows = rows;
        this.refreshedAt = Date.now();
        this.refreshFailed = false;
        // A reload after a break shows what changed meanwhile, like a live change would.
        for (const row of rows) {
          const key = this.#options.rowKey(row);
          const previous = before.get(key);
          if (previous !== undefined && previous !== JSON.stringify(row)) this.#markChanged(key);
        }
      } catch (error) {
        console.error('Reloading the live figures failed', error);
        this.refreshFailed = true;
      } finally {
        this.#refetching = null;
        this.#changesDuringRefetch = [];
      }
    })();
    return this.#refetching;
  }

  #markChanged(key: string): void {
    const highlightMs = this.#options.highlightMs ?? 3000;
    this.recentlyChanged.add(key);
    const existing = this.#highlightTimers.get(key);
    if (existing) clearTimeout(existing);
    this.#highlightTimers.set(
      key,
      setTimeout(() => {
        this.recentlyChanged.delete(key);
        this.#highlightTimers.delete(key);
      }, highlightMs)
    );

    this.#pendingAnnouncement.add(key);
    this.#announceTimer ??= setTimeout(() => {
      this.announcement = { keys: [...this.#pendingAnnouncement], sequence: (this.announcement?.sequence ?? 0) + 1 };
      this.#pendingAnnouncement.clear();
      this.#announceTimer = null;
    }, this.#options.announceEveryMs ?? 1000);
  }
}

/**
 * Live free places of every facility the user may see, from the `availability` topic. Each
 * reload fetches only the figures; the facilities' names, policies and municipalities are fetched once
 * and again only when they change (createAvailabilityLoader), for as long as these rows live.
 */
export function liveFacilityAvailability(
  supabase: SupabaseClient<Database>,
  initialRows: FacilityAvailability[]
): LiveRows<FacilityAvailability, AvailabilityChange> {
  const loadAvailability = createAvailabilityLoader(supabase);
  return new LiveRows<FacilityAvailability, AvailabilityChange>({
    supabase,
    topic: 'availability',
    event: 'availability_changed',
    initialRows,
    rowKey: (row) => row.facility_id,
    parseChange: (payload) => (isAvailabilityChange(payload) ? payload : null),
    changeKey: (change) => change.facility_id,
    applyChange,
    refetch: loadAvailability
  });
}
