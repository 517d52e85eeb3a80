// Whether the app can reach its server and database, for the notice every signed-in page shows.
// A cheap health probe runs now and then while all is well, at once when something hints at
// trouble (a request failed with a network or 5xx error, a live channel dropped), and with
// growing pauses while the connection is lost, until it answers again. Then the caller reloads
// the page's data, because whatever changed meanwhile never reached it.
//
// Plain TypeScript with injected probe and timers, so the rules are unit-tested without a
// browser; ServerConnectionNotice.svelte wires it to fetch, window events and the page.

/**
 * online: nothing to say; lost: the server or the database does not answer, nothing can be
 * saved; restored: it answers again and the page's data is being reloaded (said for a moment);
 * offline: the browser has no network (the offline banner speaks then, not this notice).
 */
export type ServerConnectionState = 'online' | 'lost' | 'restored' | 'offline';

export interface ServerConnectionOptions {
  /** Resolves true when the server and its database answered; never rejects. */
  probe(): Promise<boolean>;
  onStateChange(state: ServerConnectionState): void;
  /** The connection is back after a loss: reload what the page shows. */
  onRestored(): void;
  /** Runs `run` after `ms`; returns what cancels it. */
  schedule(run: () => void, ms: number): () => void;
  /** 0 ≤ x < 1, for spreading the retries of many browsers after one outage. */
  random?: () => number;
  /** Between probes while all is well. */
  healthyIntervalMs?: number;
  /** How long "connection restored" stays before the notice goes. */
  restoredForMs?: number;
  retryBaseMs?: number;
  retryMaxMs?: number;
}

export const HEALTHY_INTERVAL_MS = 15_000;
export const RESTORED_FOR_MS = 10_000;
export const RETRY_BASE_MS = 1_000;
export const RETRY_MAX_MS = 10_000;

/**
 * The pause before retry number `attempt` (0-based): doubling from `baseMs` up to `maxMs`, then
 * spread by ±25 % so browsers that lost the server together do not all come back at once.
 */
export function retryDelayMs(attempt: number, random: () => number = Math.random, baseMs = RETRY_BASE_MS, maxMs = RETRY_MAX_MS): number {
  const plain = Math.min(maxMs, baseMs * 2 ** Math.max(0, Math.min(attempt, 30)));
  return Math.round(plain * (0.75 + 0.5 * random()));
}

export class ServerConnectionMonitor {
  #state: ServerConnectionState = 'online';
  #attempt = 0;
  #probing = false;
  /** Another probe was asked for while one ran: run it as soon as that one is done. */
  #probeAgain = false;
  #cancelTimer: (() => void) | null = null;
  #cancelRestoredTimer: (() => void) | null = null;
  #hidden = false;
  #stopped = true;
  readonly #options: ServerConnectionOptions;

  constructor(options: ServerConnectionOptions) {
    this.#options = options;
  }

  get state(): ServerConnectionState {
    return this.#state;
  }

  /** Starts the periodic probe (the page has just loaded, so the first one waits its turn). */
  start(browserOnline = true): void {
    this.#stopped = false;
    if (!browserOnline) this.browserOffline();
    else this.#scheduleProbe(this.#options.healthyIntervalMs ?? HEALTHY_INTERVAL_MS);
  }

  stop(): void {
    this.#stopped = true;
    this.#cancel();
    this.#cancelRestoredTimer?.();
    this.#cancelRestoredTimer = null;
  }

  /** Something failed the way an unreachable server fails: check now rather than at the next turn. */
  reportTrouble(): void {
    if (this.#stopped || this.#state === 'offline' || this.#state === 'lost') return;
    this.#probeNow();
  }

  browserOffline(): void {
    if (this.#stopped) return;
    this.#cancel();
    this.#cancelRestoredTimer?.();
    this.#cancelRestoredTimer = null;
    this.#setState('offline');
  }

  /** The network is back: find out at once whether the server is too. */
  browserOnline(): void {
    if (this.#stopped || this.#state !== 'offline') return;
    // Not "lost": the offline banner has already told the user, and it reloads the page itself.
    this.#setState('online');
    this.#attempt = 0;
    this.#probeNow();
  }

  /** A hidden tab only probes again once it is shown (the user sees nothing meanwhile anyway). */
  visibilityChanged(hidden: boolean): void {
    this.#hidden = hidden;
    if (this.#stopped || hidden || this.#state === 'offline') return;
    this.#probeNow();
  }

  #probeNow(): void {
    this.#cancel();
    if (this.#probing) {
      this.#probeAgain = true;
      return;
    }
    this.#probing = true;
    void this.#options.probe().then((ok) => {
      this.#probing = false;
      if (this.#stopped || this.#state === 'offline') return;
      this.#onProbeResult(ok);
      if (this.#probeAgain) {
        this.#probeAgain = false;
        if (this.#state !== 'lost') this.#probeNow();
      }
    });
  }

  #onProbeResult(ok: boolean): void {
    if (ok) {
      this.#attempt = 0;
      if (this.#state === 'lost') {
        this.#setState('restored');
        this.#options.onRestored();
        this.#cancelRestoredTimer?.();
        this.#cancelRestoredTimer = this.#options.schedule(() => {
          this.#cancelRestoredTimer = null;
          if (this.#state === 'restored') this.#setState('online');
        }, this.#options.restoredForMs ?? RESTORED_FOR_MS);
      }
      if (!this.#hidden) this.#scheduleProbe(this.#options.healthyIntervalMs ?? HEALTHY_INTERVAL_MS);
      return;
    }
    this.#cancelRestoredTimer?.();
    this.#cancelRestoredTimer = null;
    this.#setState('lost');
    // Retries go on in a hidden tab too: it should come back with fresh data when shown.
    this.#scheduleProbe(
      retryDelayMs(this.#attempt, this.#options.random, this.#options.retryBaseMs, this.#options.retryMaxMs)
    );
    this.#attempt += 1;
  }

  #scheduleProbe(ms: number): void {
    this.#cancel();
    this.#cancelTimer = this.#options.schedule(() => {
      this.#cancelTimer = null;
      if (this.#stopped || this.#state === 'offline') return;
      if (this.#hidden && this.#state !== 'lost') return;
      this.#probeNow();
    }, ms);
  }

  #cancel(): void {
    this.#cancelTimer?.();
    this.#cancelTimer = null;
  }

  #setState(state: ServerConnectionState): void {
    if (this.#state === state) return;
    this.#state = state;
    this.#options.onStateChange(state);
  }
}
