// GET /api/feed/capacity for partners, with `Authorization: Bearer <partner key>`: free places
// per active facility, shaped after Open Referral HSDS `service_capacity`. See README.
import { json } from '@sveltejs/kit';
import { bearerKey, capacityFeed } from '$lib/server/admin/feed';
import type { RequestHandler } from './$types';

// Machine clients read the `error` code; the text is for the person debugging an integration.
function refusal(status: number, code: string, message: string, headers: Record<string, string> = {}): Response {
  return json(
    { error: code, message },
    { status, headers: { 'cache-control': 'no-store', ...headers } }
  );
}

export const GET: RequestHandler = async ({ request }) => {
  const verdict = await capacityFeed(bearerKey(request.headers.get('authorization')));
  const challenge = { 'www-authenticate': 'Bearer realm="suoja-capacity-feed"' };
  switch (verdict.status) {
    case 'ok':
      return json(verdict.body, { headers: { 'cache-control': 'no-store' } });
    case 'rate_limited':
      return refusal(429, 'rate_limited', 'Too many requests for this key; try again after Retry-After seconds.', {
        'retry-after': String(verdict.retryAfter)
      });
    case 'missing_key':
      return refusal(401, 'missing_key', 'Send the partner key as Authorization: Bearer <key>.', challenge);
    default:
      // Revoked and unknown keys look the same from outside: nothing to learn by probing.
      return refusal(401, 'invalid_key', 'The partner key is not valid.', {
        'www-authenticate': 'Bearer realm="suoja-capacity-feed", error="invalid_token"'
      });
  }
};
