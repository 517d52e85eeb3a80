// The state of one live subscription, in the words a screen shows: live, reconnecting, offline.
// Shared by every screen with live figures (map and list, the facility staff's screens): feed it
// the status callback of `channel.subscribe()` and let it watch the browser's online state.
//
//   const connection = new RealtimeConnection();
//   channel.subscribe((status) => { if (connection.onChannelStatus(status)) void refetchEverything(); });
//   onMount(() => connection.watchBrowser());
//
// onChannelStatus() returns true on every successful (re)join: whatever happened while the
// channel was not joined was missed, so the caller reloads its figures then.

/**
 * connecting: first join under way; live: joined, changes arrive; reconnecting: the channel or
 * socket broke and the client is retrying; offline: the browser has no network; unavailable:
 * the server refused the channel (no right to it), so the figures are as of the last load.
 */
export type ConnectionState = 'connecting' | 'live' | 'reconnecting' | 'offline' | 'unavailable';

/** The statuses supabase-js passes to `channel.subscribe()`'s callback. */
export type ChannelStatus = 'SUBSCRIBED' | 'TIMED_OUT' | 'CLOSED' | 'CHANNEL_ERROR';

export class RealtimeConnection {
  state = $state<ConnectionState>('connecting');
  /** When the channel last (re)joined (epoch ms); null before the first join. */
  liveSince = $state<number | null>(null);

  #browserOffline = false;
  #closedOnPurpose = false;

  /** Returns true when the channel has just (re)joined and the caller should refetch. */
  onChannelStatus(status: ChannelStatus, error?: Error): boolean {
    if (this.#closedOnPurpose) return false;
    switch (status) {
      case 'SUBSCRIBED':
        this.liveSince = Date.now();
        this.state = this.#browserOffline ? 'offline' : 'live';
        return true;
      case 'CHANNEL_ERROR':
        // A refused join names the reason ("Unauthorized: ..."); a broken socket does not, and
        // supabase-js retries it by itself.
        if (error?.message.toLowerCase().includes('unauthorized')) {
          this.state = 'unavailable';
          return false;
        }
        this.state = this.#browserOffline ? 'offline' : 'reconnecting';
        return false;
      case 'TIMED_OUT':
      case 'CLOSED':
        this.state = this.#browserOffline ? 'offline' : 'reconnecting';
        return false;
    }
  }

  /** The screen leaves: later CLOSED callbacks are expected and change nothing. */
  markClosed(): void {
    this.#closedOnPurpose = true;
  }

  /** Marks the state unavailable without trying (e.g. a role that may not join the topic). */
  markUnavailable(): void {
    this.state = 'unavailable';
  }

  onBrowserOffline(): void {
    this.#browserOffline = true;
    if (this.state !== 'unavailable') this.state = 'offline';
  }

  onBrowserOnline(): void {
    this.#browserOffline = false;
    // Stays "reconnecting" until the channel confirms it has rejoined.
    if (this.state === 'offline') this.state = 'reconnecting';
  }

  /**
   * Back online and the channel never dropped (the socket outlived the outage): live again. The
   * caller reloads its figures, since messages may have been lost while offline.
   */
  confirmStillJoined(): void {
    if (!this.#browserOffline && (this.state === 'reconnecting' || this.state === 'offline')) {
      this.state = 'live';
      this.liveSince = Date.now();
    }
  }

  /** Follows the browser's online/offline events; returns the function that stops it. */
  watchBrowser(target: Window = window): () => void {
    if (!target.navigator.onLine) this.onBrowserOffline();
    const offline = (): void => this.onBrowserOffline();
    const online = (): void => this.onBrowserOnline();
    target.addEventListener('offline', offline);
    target.addEventListener('online', online);
    return () => {
      target.removeEventListener('offline', offline);
      target.removeEventListener('online', online);
    };
  }
}
