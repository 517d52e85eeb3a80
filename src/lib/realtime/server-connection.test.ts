// The rules of the app-wide connection notice, without a browser: when it says "lost", how it
// retries, when it says "restored" and reloads, and what it leaves to the offline banner.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { retryDelayMs, ServerConnectionMonitor, type ServerConnectionState } from './server-connection';

interface Harness {
  monitor: ServerConnectionMonitor;
  states: ServerConnectionState[];
  probes: number;
  restored: number;
  /** What the next probes answer. */
  answer: boolean;
}

function harness(): Harness {
  const h: Harness = { monitor: undefined as never, states: [], probes: 0, restored: 0, answer: true };
  h.monitor = new ServerConnectionMonitor({
    probe: async () => {
      h.probes += 1;
      return h.answer;
    },
    onStateChange: (state) => h.states.push(state),
    onRestored: () => (h.restored += 1),
    schedule: (run, ms) => {
      const timer = setTimeout(run, ms);
      return () => clearTimeout(timer);
    },
    // No spread: the delays below are exact.
    random: () => 0.5,
    healthyIntervalMs: 15_000,
    restoredForMs: 10_000,
    retryBaseMs: 1_000,
    retryMaxMs: 8_000
  });
  return h;
}

beforeEach(() => vi.useFakeTimers());
afterEach(() => vi.useRealTimers());

describe('retryDelayMs', () => {
  it('doubles from the base up to the cap', () => {
    const none = () => 0.5;
    expect([0, 1, 2, 3, 4, 5, 40].map((attempt) => retryDelayMs(attempt, none, 1_000, 8_000))).toEqual([
      1_000, 2_000, 4_000, 8_000, 8_000, 8_000, 8_000
    ]);
  });

  it('spreads each pause by at most a quarter either way', () => {
    expect(retryDelayMs(2, () => 0, 1_000, 8_000)).toBe(3_000);
    expect(retryDelayMs(2, () => 0.999999, 1_000, 8_000)).toBe(5_000);
  });
});

describe('ServerConnectionMonitor', () => {
  it('probes now and then while all is well and says nothing', async () => {
    const h = harness();
    h.monitor.start();
    expect(h.probes).toBe(0);
    await vi.advanceTimersByTimeAsync(15_000);
    expect(h.probes).toBe(1);
    await vi.advanceTimersByTimeAsync(15_000);
    expect(h.probes).toBe(2);
    expect(h.states).toEqual([]);
    h.monitor.stop();
  });

  it('a failed probe means lost; it retries with growing pauses until the server answers, then reloads once', async () => {
    const h = harness();
    h.monitor.start();
    h.answer = false;
    await vi.advanceTimersByTimeAsync(15_000);
    expect(h.monitor.state).toBe('lost');
    expect(h.probes).toBe(1);

    // Retries after 1, 2 and 4 s.
    await vi.advanceTimersByTimeAsync(999);
    expect(h.probes).toBe(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(h.probes).toBe(2);
    await vi.advanceTimersByTimeAsync(2_000);
    expect(h.probes).toBe(3);
    await vi.advanceTimersByTimeAsync(4_000);
    expect(h.probes).toBe(4);
    expect(h.restored).toBe(0);

    h.answer = true;
    await vi.advanceTimersByTimeAsync(8_000);
    expect(h.monitor.state).toBe('restored');
    expect(h.restored).toBe(1);

    // "Restored" is said for a while, then the notice goes; the periodic probe goes on.
    await vi.advanceTimersByTimeAsync(10_000);
    expect(h.monitor.state).toBe('online');
    expect(h.states).toEqual(['lost', 'restored', 'online']);
    expect(h.restored).toBe(1);
    h.monitor.stop();
  });

  it('trouble reported by the page is checked at once, and a false alarm changes nothing', async () => {
    const h = harness();
    h.monitor.start();
    h.monitor.reportTrouble();
    await vi.advanceTimersByTimeAsync(0);
    expect(h.probes).toBe(1);
    expect(h.states).toEqual([]);

    h.answer = false;
    h.monitor.reportTrouble();
    await vi.advanceTimersByTimeAsync(0);
    expect(h.monitor.state).toBe('lost');
    // While lost, more trouble does not hurry the retries along.
    h.monitor.reportTrouble();
    h.monitor.reportTrouble();
    await vi.advanceTimersByTimeAsync(0);
    expect(h.probes).toBe(2);
    h.monitor.stop();
  });

  it('trouble reported while a probe runs leads to one more probe, not a pile of them', async () => {
    let release: (ok: boolean) => void = () => {};
    let probes = 0;
    const monitor = new ServerConnectionMonitor({
      probe: () => {
        probes += 1;
        return new Promise<boolean>((resolve) => (release = resolve));
      },
      onStateChange: () => {},
      onRestored: () => {},
      schedule: (run, ms) => {
        const timer = setTimeout(run, ms);
        return () => clearTimeout(timer);
      }
    });
    monitor.start();
    monitor.reportTrouble();
    monitor.reportTrouble();
    monitor.reportTrouble();
    expect(probes).toBe(1);
    release(true);
    await vi.advanceTimersByTimeAsync(0);
    expect(probes).toBe(2);
    release(true);
    await vi.advanceTimersByTimeAsync(0);
    expect(probes).toBe(2);
    monitor.stop();
  });

  it('leaves a browser without network to the offline banner, and checks at once when it is back', async () => {
    const h = harness();
    h.monitor.start();
    h.answer = false;
    h.monitor.reportTrouble();
    await vi.advanceTimersByTimeAsync(0);
    expect(h.monitor.state).toBe('lost');

    h.monitor.browserOffline();
    expect(h.monitor.state).toBe('offline');
    const probesWhileOffline = h.probes;
    await vi.advanceTimersByTimeAsync(60_000);
    expect(h.probes).toBe(probesWhileOffline);

    h.answer = true;
    h.monitor.browserOnline();
    await vi.advanceTimersByTimeAsync(0);
    expect(h.probes).toBe(probesWhileOffline + 1);
    // The offline banner reloads the page when the network returns; this one does not as well.
    expect(h.monitor.state).toBe('online');
    expect(h.restored).toBe(0);
    h.monitor.stop();
  });

  it('starts quiet in a browser that is already offline', async () => {
    const h = harness();
    h.monitor.start(false);
    expect(h.monitor.state).toBe('offline');
    await vi.advanceTimersByTimeAsync(60_000);
    expect(h.probes).toBe(0);
    h.monitor.stop();
  });

  it('a hidden tab stops the periodic probe and checks again when shown', async () => {
    const h = harness();
    h.monitor.start();
    h.monitor.visibilityChanged(true);
    await vi.advanceTimersByTimeAsync(60_000);
    expect(h.probes).toBe(0);
    h.monitor.visibilityChanged(false);
    await vi.advanceTimersByTimeAsync(0);
    expect(h.probes).toBe(1);
    h.monitor.stop();
  });

  it('nothing happens after stop, not even for a probe that was under way', async () => {
    let release: (ok: boolean) => void = () => {};
    const states: ServerConnectionState[] = [];
    const monitor = new ServerConnectionMonitor({
      probe: () => new Promise<boolean>((resolve) => (release = resolve)),
      onStateChange: (state) => states.push(state),
      onRestored: () => {},
      schedule: (run, ms) => {
        const timer = setTimeout(run, ms);
        return () => clearTimeout(timer);
      }
    });
    monitor.start();
    monitor.reportTrouble();
    monitor.stop();
    release(false);
    await vi.advanceTimersByTimeAsync(60_000);
    expect(states).toEqual([]);
  });
});
