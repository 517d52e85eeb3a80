import { error, fail } from '@sveltejs/kit';
import { m } from '$lib/paraglide/messages';
import { requireRole } from '$lib/server/admin/guard';
import { rpcFailure } from '$lib/server/admin/rpc-error';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals }) => {
  const since = new Date(Date.now() - 24 * 3_600_000).toISOString();
  const [keys, requests] = await Promise.all([
    locals.supabase
      .from('partner_keys')
      .select('id, partner_name, key_prefix, requests_per_minute, created_at, revoked_at')
      .order('created_at', { ascending: false }),
    locals.supabase.from('partner_feed_requests').select('partner_key_id, outcome, requested_at').gte('requested_at', since).limit(20000)
  ]);
  if (keys.error || requests.error) error(503, m.error_generic());
  const usage = new Map<string, { ok: number; limited: number; last: string | null }>();
  for (const request of requests.data) {
    if (!request.partner_key_id) continue;
    const entry = usage.get(request.partner_key_id) ?? { ok: 0, limited: 0, last: null };
    if (request.outcome === 'ok') entry.ok++;
    if (request.outcome === 'rate_limited') entry.limited++;
    if (!entry.last || request.requested_at > entry.last) entry.last = request.requested_at;
    usage.set(request.partner_key_id, entry);
  }
  return {
    keys: keys.data.map((key) => ({ ...key, usage: usage.get(key.id) ?? { ok: 0, limited: 0, last: null } })),
    unknownKeyRequests: requests.data.filter((r) => r.outcome === 'unknown_key').length
  };
};

export const actions: Actions = {
  issue: async ({ locals, request }) => {
    await requireRole(locals, ['admin']);
    const form = await request.formData();
    const partnerName = String(form.get('partnerName') ?? '').trim();
    const rawLimit = String(form.get('limit') ?? '60').trim();
    const errors: Record<string, string> = {};
    if (!partnerName) errors.partnerName = 'required';
    else if (partnerName.length > 200) errors.partnerName = 'too_long';
    if (!/^\d+$/.test(rawLimit) || Number(rawLimit) < 1 || Number(rawLimit) > 6000) errors.limit = 'invalid_rate_limit';
    if (Object.keys(errors).length > 0) return fail(400, { issue: { partnerName, limit: rawLimit, errors } });

    const { data, error: rpcError } = await locals.supabase.rpc('issue_partner_key', {
      partner_name: partnerName,
      requests_per_minute: Number(rawLimit)
    });
    const issued = data?.[0];
    if (rpcError || !issued) {
      return fail(400, { issue: { partnerName, limit: rawLimit, errors: { partnerName: rpcFailure(rpcError).code } } });
    }
    // Shown once, in this response only; the database keeps its hash.
    return { issued: { partnerName, key: issued.api_key } };
  },
  revoke: async ({ locals, request }) => {
    await requireRole(locals, ['admin']);
    const keyId = String((await request.formData()).get('keyId') ?? '');
    const { error: rpcError } = await locals.supabase.rpc('revoke_partner_key', { key_id: keyId });
    if (rpcError) return fail(400, { revoke: { error: rpcFailure(rpcError).code } });
    return { revoked: true };
  }
};
