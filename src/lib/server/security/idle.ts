// Idle timeout, the server's half: every request from a signed-in browser renews a last-activity
// cookie; a request that arrives after the timeout signs the session out before anything is
// read. The browser's half (src/lib/security/idle-timer.ts) clears the page while it sits open.
import type { Cookies } from '@sveltejs/kit';
import { secureCookies } from '$lib/server/cookies';

export const LAST_ACTIVITY_COOKIE = 'suoja-last-activity';
/** Readable by the page's script (not httpOnly): only the timeout, in seconds, never a secret. */
export const IDLE_TIMEOUT_COOKIE = 'suoja-idle-timeout';
export const DEFAULT_IDLE_TIMEOUT_MINUTES = 30;

/** IDLE_TIMEOUT_MINUTES from the environment; anything but a positive number means the default. */
export function idleTimeoutMs(setting: string | undefined): number {
  const minutes = Number(setting);
  return (Number.isFinite(minutes) && minutes > 0 ? minutes : DEFAULT_IDLE_TIMEOUT_MINUTES) * 60_000;
}

/**
 * Whether a session last active at `lastActivity` (epoch ms, from the cookie) has been idle too
 * long. A missing or unreadable value is a fresh sign-in (the cookie is set from then on); a time
 * in the future is treated as now, so a tampered cookie cannot buy more time than activity would.
 */
export function idleExpired(lastActivity: string | undefined, nowMs: number, timeoutMs: number): boolean {
  const last = Number(lastActivity);
  if (!lastActivity || !Number.isFinite(last)) return false;
  return nowMs - Math.min(last, nowMs) > timeoutMs;
}

export function recordActivity(cookies: Cookies, url: URL, nowMs: number, timeoutMs: number): void {
  const secure = secureCookies(url);
  const maxAge = Math.ceil(timeoutMs / 1000) * 2;
  cookies.set(LAST_ACTIVITY_COOKIE, String(nowMs), { path: '/', httpOnly: true, sameSite: 'lax', secure, maxAge });
  cookies.set(IDLE_TIMEOUT_COOKIE, String(Math.round(timeoutMs / 1000)), { path: '/', httpOnly: false, sameSite: 'lax', secure, maxAge });
}

export function forgetActivity(cookies: Cookies): void {
  cookies.delete(LAST_ACTIVITY_COOKIE, { path: '/' });
  cookies.delete(IDLE_TIMEOUT_COOKIE, { path: '/' });
}
