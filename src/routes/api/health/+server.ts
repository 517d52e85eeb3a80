// GET /api/health: whether this server can reach the database through the Data API, for the
// signed-in pages' connection notice (src/lib/realtime/server-connection.ts). It answers with a
// status only: no data, no versions, nothing about the setup. The query runs as the caller (RLS
// and grants apply) and reads no rows (a HEAD request), so it costs the database next to nothing.
// A refusal still proves the database answered; only "no answer" counts as unavailable, so a
// session that could not be verified (e.g. Auth unreachable) does not hide an outage.
import { json } from '@sveltejs/kit';
import { isUnavailableStatus } from '$lib/supabase/unavailable';
import type { RequestHandler } from './$types';

const NO_STORE = { 'cache-control': 'no-store' };

export const GET: RequestHandler = async ({ locals }) => {
  // No retries: a probe reports what it found; the notice retries at its own pace.
  const { status } = await locals.supabase.from('municipalities').select('code', { head: true }).limit(1).retry(false);
  if (isUnavailableStatus(status)) return json({ status: 'unavailable' }, { status: 503, headers: NO_STORE });
  return json({ status: 'ok' }, { headers: NO_STORE });
};
