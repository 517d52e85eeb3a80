// Live events for one facility's staff screen: the facility's private topic (hold and placement
// changes, ids and statuses only) and the shared availability topic (figures), both authorised
// by RLS on realtime.messages. The page refetches through RLS when told; nothing from the
// payloads is shown directly. Connection states come from the map's RealtimeConnection, so every
// screen words them the same way.
import type { RealtimeChannel, SupabaseClient } from '@supabase/supabase-js';
import { RealtimeConnection, type ChannelStatus, type ConnectionState } from '$lib/realtime/connection-state.svelte';
import type { Database } from '../../supabase/database.types';

export type LiveChange =
  /** a placement at this facility changed (a new hold, an answer, an arrival, an end) */
  | 'placement'
  /** this facility's figures changed (someone updated or confirmed them) */
  | 'figures'
  /** a channel (re)joined: events may have been missed meanwhile */
  | 'resync';

/** The worse of two states wins: the screen is live only when both topics are. */
const SEVERITY: ConnectionState[] = ['live', 'connecting', 'reconnecting', 'offline', 'unavailable'];

export class FacilityLive {
  readonly #facilityConnection = new RealtimeConnection();
  readonly #availabilityConnection = new RealtimeConnection();
  #channels: RealtimeChannel[] = [];
  #stopWatching: (() => void)[] = [];
  // Bookkeeping only, never rendered: a plain array keeps it out of reactivity.
  #joinedBefore: string[] = [];

  readonly state: ConnectionState = $derived.by(() => {
    const a = SEVERITY.indexOf(this.#facilityConnection.state);
    const b = SEVERITY.indexOf(this.#availabilityConnection.state);
    return SEVERITY[Math.max(a, b)] ?? 'connecting';
  });

  constructor(
    private readonly supabase: SupabaseClient<Database>,
    private readonly facilityId: string,
    private readonly onChange: (change: LiveChange) => void
  ) {}

  /** Private topics check the user's token at join, so the socket gets it before any join. */
  async start(accessToken: string | null | undefined): Promise<void> {
    this.#stopWatching = [this.#facilityConnection.watchBrowser(), this.#availabilityConnection.watchBrowser()];
    await this.supabase.realtime.setAuth(accessToken ?? null);

    const facilityTopic = `facility:${this.facilityId}`;
    const facilityChannel = this.supabase.channel(facilityTopic, { config: { private: true } });
    facilityChannel.on('broadcast', { event: 'placement_changed' }, () => this.onChange('placement'));
    facilityChannel.subscribe((status, error) => this.#track(facilityTopic, this.#facilityConnection, status, error));

    const availabilityChannel = this.supabase.channel('availability', { config: { private: true } });
    availabilityChannel.on('broadcast', { event: 'availability_changed' }, (message) => {
      const payload = message['payload'] as { facility_id?: unknown } | undefined;
      if (payload?.facility_id === this.facilityId) this.onChange('figures');
    });
    availabilityChannel.subscribe((status, error) =>
      this.#track('availability', this.#availabilityConnection, status, error)
    );

    this.#channels = [facilityChannel, availabilityChannel];
  }

  #track(topic: string, connection: RealtimeConnection, status: `${ChannelStatus}`, error?: Error): void {
    if (!connection.onChannelStatus(status as ChannelStatus, error)) return;
    // The first join needs no reload (the page was just loaded); every rejoin does.
    if (this.#joinedBefore.includes(topic)) this.onChange('resync');
    else this.#joinedBefore.push(topic);
  }

  async stop(): Promise<void> {
    this.#facilityConnection.markClosed();
    this.#availabilityConnection.markClosed();
    for (const stop of this.#stopWatching) stop();
    const channels = this.#channels;
    this.#channels = [];
    await Promise.all(channels.map((channel) => this.supabase.removeChannel(channel)));
  }
}
