// The app's own sign-in throttle per client address, in front of Supabase Auth's limits: Auth
// sees every sign-in coming from this server's address, so only the app knows which browser
// tried. Failed attempts are counted (an office behind one address signs in many times a day
// successfully); once an address reaches the limit, its sign-ins are refused without asking
// Auth until the window has passed.
import { AuthApiError, type SupabaseClient } from '@supabase/supabase-js';

export const DEFAULT_MAX_FAILURES = 20;
export const DEFAULT_WINDOW_MS = 15 * 60_000;

export class FailureWindow {
  private readonly failures = new Map<string, number[]>();

  constructor(
    private readonly maxFailures: number,
    private readonly windowMs: number,
    private readonly now: () => number = Date.now
  ) {}

  private recent(key: string): number[] {
    const cutoff = this.now() - this.windowMs;
    const kept = (this.failures.get(key) ?? []).filter((time) => time > cutoff);
    if (kept.length === 0) this.failures.delete(key);
    else this.failures.set(key, kept);
    return kept;
  }

  blocked(key: string): boolean {
    return this.recent(key).length >= this.maxFailures;
  }

  fail(key: string): void {
    this.failures.set(key, [...this.recent(key), this.now()]);
  }
}

/** LOGIN_THROTTLE_MAX_FAILURES / LOGIN_THROTTLE_WINDOW_MINUTES, or the defaults. */
export function throttleSettings(maxFailures: string | undefined, windowMinutes: string | undefined): { maxFailures: number; windowMs: number } {
  const max = Number(maxFailures);
  const minutes = Number(windowMinutes);
  return {
    maxFailures: Number.isInteger(max) && max > 0 ? max : DEFAULT_MAX_FAILURES,
    windowMs: Number.isFinite(minutes) && minutes > 0 ? minutes * 60_000 : DEFAULT_WINDOW_MS
  };
}

/**
 * Makes this request's client count its failed password sign-ins against `address`, and refuse
 * with Auth's own 429 (which the login form already explains) once the address is blocked.
 */
export function throttlePasswordSignIn(supabase: SupabaseClient, window: FailureWindow, address: string): void {
  const signIn = supabase.auth.signInWithPassword.bind(supabase.auth);
  supabase.auth.signInWithPassword = async (credentials) => {
    if (window.blocked(address)) {
      return { data: { user: null, session: null }, error: new AuthApiError('Request rate limit reached', 429, 'over_request_rate_limit') };
    }
    const result = await signIn(credentials);
    if (result.error?.code === 'invalid_credentials') window.fail(address);
    return result;
  };
}
