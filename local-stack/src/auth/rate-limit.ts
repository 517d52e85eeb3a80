// Sign-in throttling, answered as GoTrue answers its rate limits: 429 `over_request_rate_limit`
// "Request rate limit reached".
// - Per address: `[auth.rate_limit] sign_in_sign_ups` in supabase/config.toml (GoTrue's own
//   setting: password sign-ins per 5 minutes per IP address). Off when the key is absent, because
//   locally every browser and the app server reach Auth from 127.0.0.1.
// - Per account: failed password sign-ins per e-mail address in the same window (not a GoTrue
//   setting; hosted Supabase has none, so the app throttles too). Unknown addresses count like
//   known ones, so a 429 never tells anyone whether an account exists.
// - Per MFA factor: failed TOTP verifications, so that the million possible codes cannot be tried
//   through one challenge.
// Counters live in memory, as GoTrue's limiter does; a restart of the gateway empties them.
import { Readable } from 'node:stream';
import type { IncomingMessage } from 'node:http';
import { HttpError } from './errors.ts';
import type { EndpointInput, Reply } from './handlers.ts';
import { readBody } from './request.ts';

export const RATE_LIMIT_WINDOW_MS = 5 * 60 * 1000;

export interface SignInRateLimits {
  /** Password sign-ins per address per window; null = unlimited. */
  perAddress: number | null;
  /** Failed password sign-ins per e-mail address per window; null = unlimited. */
  failuresPerAccount: number | null;
  /** Failed MFA verifications per factor per window; null = unlimited. */
  failuresPerFactor: number | null;
}

export const DEFAULT_SIGN_IN_RATE_LIMITS: SignInRateLimits = { perAddress: null, failuresPerAccount: 10, failuresPerFactor: 10 };

export function rateLimited(): HttpError {
  return new HttpError(429, 'over_request_rate_limit', 'Request rate limit reached');
}

/** Timestamps of events per key within a sliding window. */
export class SlidingWindowCounter {
  private readonly events = new Map<string, number[]>();

  constructor(
    private readonly windowMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  private recent(key: string): number[] {
    const cutoff = this.now() - this.windowMs;
    const kept = (this.events.get(key) ?? []).filter((time) => time > cutoff);
    if (kept.length === 0) this.events.delete(key);
    else this.events.set(key, kept);
    return kept;
  }

  count(key: string): number {
    return this.recent(key).length;
  }

  record(key: string): void {
    this.events.set(key, [...this.recent(key), this.now()]);
  }
}

/** A stand-in for the request whose body was already read: same headers, the same bytes again. */
function replayRequest(req: IncomingMessage, body: Buffer): IncomingMessage {
  return Object.assign(Readable.from([body]), { headers: req.headers, method: req.method, url: req.url, socket: req.socket }) as unknown as IncomingMessage;
}

function emailOf(body: Buffer): string | null {
  try {
    const parsed = JSON.parse(body.toString('utf8')) as unknown;
    const email = parsed && typeof parsed === 'object' ? (parsed as { email?: unknown }).email : undefined;
    return typeof email === 'string' && email.trim() !== '' ? email.trim().toLowerCase() : null;
  } catch {
    return null;
  }
}

export function createSignInLimiter(limits: SignInRateLimits, now: () => number = Date.now) {
  const byAddress = new SlidingWindowCounter(RATE_LIMIT_WINDOW_MS, now);
  const failuresByAccount = new SlidingWindowCounter(RATE_LIMIT_WINDOW_MS, now);
  const failuresByFactor = new SlidingWindowCounter(RATE_LIMIT_WINDOW_MS, now);

  return {
    /** Wraps POST /token: only the password grant is throttled. */
    async token(input: EndpointInput, handle: (input: EndpointInput) => Promise<Reply>): Promise<Reply> {
      if (input.query.get('grant_type') !== 'password') return handle(input);
      const addressKey = input.client.ip ?? 'unknown';
      if (limits.perAddress !== null) {
        if (byAddress.count(addressKey) >= limits.perAddress) throw rateLimited();
        byAddress.record(addressKey);
      }
      if (limits.failuresPerAccount === null) return handle(input);

      const body = await readBody(input.req);
      const email = emailOf(body);
      // Refused before the password is checked, so a locked account cannot be probed further.
      if (email !== null && failuresByAccount.count(email) >= limits.failuresPerAccount) throw rateLimited();
      try {
        return await handle({ ...input, req: replayRequest(input.req, body) });
      } catch (error) {
        if (email !== null && error instanceof HttpError && error.errorCode === 'invalid_credentials') failuresByAccount.record(email);
        throw error;
      }
    },

    /** Wraps POST /factors/{id}/verify. */
    async verifyFactor(factorId: string, verify: () => Promise<Reply>): Promise<Reply> {
      if (limits.failuresPerFactor !== null && failuresByFactor.count(factorId) >= limits.failuresPerFactor) throw rateLimited();
      try {
        return await verify();
      } catch (error) {
        if (error instanceof HttpError && error.errorCode === 'mfa_verification_failed') failuresByFactor.record(factorId);
        throw error;
      }
    },
  };
}

export type SignInLimiter = ReturnType<typeof createSignInLimiter>;
