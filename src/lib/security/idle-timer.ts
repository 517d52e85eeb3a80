// Idle timeout, the browser's half: when nobody has touched the app (in any tab) for the
// timeout the server set in the `suoja-idle-timeout` cookie, the page's content is removed at
// once, the session is signed out, and the browser goes to the sign-in page with a full load,
// so nothing of the client data stays in memory. Without that cookie nobody is signed in and
// the timer does nothing. The server checks the same timeout on every request (idle.ts).

const TIMEOUT_COOKIE = 'suoja-idle-timeout';
const SHARED_KEY = 'suoja-last-interaction';
const CHECK_EVERY_MS = 10_000;
const ACTIVITY_EVENTS = ['pointerdown', 'keydown', 'wheel', 'touchstart'] as const;

export function timeoutFromCookie(cookie: string): number | null {
  const match = new RegExp(`(?:^|;\\s*)${TIMEOUT_COOKIE}=(\\d+)`).exec(cookie);
  const seconds = match ? Number(match[1]) : NaN;
  return Number.isFinite(seconds) && seconds > 0 ? seconds * 1000 : null;
}

/** The newer of this tab's last interaction and the one other tabs shared. */
export function lastInteraction(local: number, shared: string | null): number {
  const other = Number(shared);
  return Number.isFinite(other) ? Math.max(local, other) : local;
}

export function startIdleTimer(): () => void {
  let last = Date.now();
  let lastShared = 0;
  let ended = false;

  const touch = () => {
    last = Date.now();
    // Other tabs read this, so working in one tab keeps the others open; written at most every 5 s.
    if (last - lastShared > 5_000) {
      lastShared = last;
      try {
        localStorage.setItem(SHARED_KEY, String(last));
      } catch {
        // Storage may be disabled; each tab then times out on its own.
      }
    }
  };

  const end = async () => {
    ended = true;
    // Clear what is on screen first, so the data is gone even if the network is down.
    document.body.replaceChildren();
    try {
      await fetch('/logout', { method: 'POST', credentials: 'same-origin', redirect: 'manual' });
    } finally {
      window.location.replace('/login?signedOut=1');
    }
  };

  const check = () => {
    if (ended) return;
    const timeout = timeoutFromCookie(document.cookie);
    if (timeout === null) return;
    let shared: string | null = null;
    try {
      shared = localStorage.getItem(SHARED_KEY);
    } catch {
      shared = null;
    }
    if (Date.now() - lastInteraction(last, shared) > timeout) void end();
  };

  for (const type of ACTIVITY_EVENTS) window.addEventListener(type, touch, { passive: true, capture: true });
  // A laptop waking from sleep: check at once rather than at the next tick.
  document.addEventListener('visibilitychange', check);
  const interval = window.setInterval(check, CHECK_EVERY_MS);
  return () => {
    for (const type of ACTIVITY_EVENTS) window.removeEventListener(type, touch, { capture: true });
    document.removeEventListener('visibilitychange', check);
    window.clearInterval(interval);
  };
}
