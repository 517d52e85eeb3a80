// The partner capacity feed: checks the key, applies the rate limit and logs the request in one
// database call (public.partner_capacity_feed), and turns its verdict into an HTTP answer.
import { createServiceClient } from './service-client';

export type FeedVerdict =
  | { status: 'ok'; body: { generated_at: string; services: unknown[] } }
  | { status: 'unknown_key' | 'revoked' | 'missing_key' }
  | { status: 'rate_limited'; retryAfter: number };

/** The key from `Authorization: Bearer <key>`, or null. */
export function bearerKey(authorization: string | null): string | null {
  const match = authorization?.match(/^Bearer\s+(\S+)\s*$/i);
  const key = match?.[1];
  // Keys are 75 characters; anything far longer is not worth hashing.
  return key && key.length <= 200 ? key : null;
}

export async function capacityFeed(apiKey: string | null): Promise<FeedVerdict> {
  if (!apiKey) return { status: 'missing_key' };
  const { data, error } = await createServiceClient().rpc('partner_capacity_feed', { api_key: apiKey });
  if (error) throw new Error(`partner_capacity_feed failed: ${error.message}`);
  const verdict = data as { status: string; retry_after?: number; generated_at?: string; services?: unknown[] };
  switch (verdict.status) {
    case 'ok':
      return { status: 'ok', body: { generated_at: verdict.generated_at ?? new Date().toISOString(), services: verdict.services ?? [] } };
    case 'rate_limited':
      return { status: 'rate_limited', retryAfter: Math.max(1, Math.ceil(verdict.retry_after ?? 60)) };
    case 'revoked':
      return { status: 'revoked' };
    default:
      return { status: 'unknown_key' };
  }
}
