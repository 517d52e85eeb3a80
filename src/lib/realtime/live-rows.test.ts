// The bookkeeping of LiveRows without a network: patches, reloads, highlights, announcements.
// The subscription itself is covered end to end (tests/e2e/map.e2e.ts) against the real stack.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { RealtimeConnection } from './connection-state.svelte';
import { LiveRows } from './live-availability.svelte';

interface Row {
  id: string;
  free: number;
}
interface Change {
  id: string;
  free: number;
}

function live(initialRows: Row[], refetch: () => Promise<Row[]> = async () => initialRows): LiveRows<Row, Change> {
  return new LiveRows<Row, Change>({
    supabase: {} as never,
    topic: 'availability',
    event: 'availability_changed',
    initialRows,
    rowKey: (row) => row.id,
    parseChange: (payload) => {
      const value = payload as Partial<Change> | null;
      return value && typeof value.id === 'string' && typeof value.free === 'number' ? { id: value.id, free: value.free } : null;
    },
    changeKey: (change) => change.id,
    applyChange: (row, change) => ({ ...row, free: change.free }),
    refetch,
    highlightMs: 3000,
    announceEveryMs: 1000
  });
}

beforeEach(() => vi.useFakeTimers());
afterEach(() => vi.useRealTimers());

describe('LiveRows', () => {
  it('patches the changed row at once, highlights it for a while, and announces changes together', () => {
    const rows = live([{ id: 'a', free: 1 }, { id: 'b', free: 2 }]);
    rows.receive({ id: 'a', free: 5 });
    rows.receive({ id: 'b', free: 0 });
    rows.receive({ nonsense: true });
    expect(rows.rows).toEqual([{ id: 'a', free: 5 }, { id: 'b', free: 0 }]);
    expect([...rows.recentlyChanged]).toEqual(['a', 'b']);
    expect(rows.announcement).toBeNull();

    vi.advanceTimersByTime(1000);
    expect(rows.announcement).toEqual({ keys: ['a', 'b'], sequence: 1 });
    vi.advanceTimersByTime(2000);
    expect(rows.recentlyChanged.size).toBe(0);
  });

  it('reloads everything for a row it does not know, and keeps changes that arrive during the reload', async () => {
    let resolveReload: (rows: Row[]) => void = () => {};
    const refetch = vi.fn(() => new Promise<Row[]>((resolve) => (resolveReload = resolve)));
    const rows = live([{ id: 'a', free: 1 }], refetch);
    rows.receive({ id: 'new', free: 3 });
    expect(refetch).toHaveBeenCalledTimes(1);
    // Newer than the snapshot the reload is about to return.
    rows.receive({ id: 'a', free: 9 });
    resolveReload([{ id: 'a', free: 1 }, { id: 'new', free: 3 }]);
    await vi.waitFor(() => expect(rows.rows).toEqual([{ id: 'a', free: 9 }, { id: 'new', free: 3 }]));
    expect(rows.refreshFailed).toBe(false);
  });

  it('says so when a reload fails, and keeps the rows it had', async () => {
    const rows = live([{ id: 'a', free: 1 }], () => Promise.reject(new Error('network')));
    const quiet = vi.spyOn(console, 'error').mockImplementation(() => {});
    await rows.refresh();
    quiet.mockRestore();
    expect(rows.refreshFailed).toBe(true);
    expect(rows.rows).toEqual([{ id: 'a', free: 1 }]);
  });
});

describe('RealtimeConnection', () => {
  it('goes live on every join and asks for a reload each time', () => {
    const connection = new RealtimeConnection();
    expect(connection.state).toBe('connecting');
    expect(connection.onChannelStatus('SUBSCRIBED')).toBe(true);
    expect(connection.state).toBe('live');
    expect(connection.onChannelStatus('CHANNEL_ERROR', new Error('socket closed'))).toBe(false);
    expect(connection.state).toBe('reconnecting');
    expect(connection.onChannelStatus('SUBSCRIBED')).toBe(true);
    expect(connection.state).toBe('live');
  });

  it('tells offline from reconnecting, and a refused channel from both', () => {
    const connection = new RealtimeConnection();
    connection.onChannelStatus('SUBSCRIBED');
    connection.onBrowserOffline();
    expect(connection.state).toBe('offline');
    connection.onChannelStatus('CHANNEL_ERROR');
    expect(connection.state).toBe('offline');
    connection.onBrowserOnline();
    expect(connection.state).toBe('reconnecting');
    connection.confirmStillJoined();
    expect(connection.state).toBe('live');

    const refused = new RealtimeConnection();
    refused.onChannelStatus('CHANNEL_ERROR', new Error('Unauthorized: You do not have permissions to read from this Channel topic: availability'));
    expect(refused.state).toBe('unavailable');
  });

  it('ignores the close that follows leaving on purpose', () => {
    const connection = new RealtimeConnection();
    connection.onChannelStatus('SUBSCRIBED');
    connection.markClosed();
    connection.onChannelStatus('CLOSED');
    expect(connection.state).toBe('live');
  });
});
