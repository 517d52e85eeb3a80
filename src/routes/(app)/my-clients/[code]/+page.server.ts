import { fail } from '@sveltejs/kit';
import { reasonProblem } from '$lib/components/clients/forms';
import { rpcErrorText } from '$lib/components/clients/text';
import type { TimelineEntry } from '$lib/components/clients/types';
import { loadClientByCode, loadTimeline } from '../../clients/clients.server';
import type { Actions, PageServerLoad } from './$types';

// Everything is read as the caseworker: RLS shows only their assigned clients, so another
// client's code gives "not found" exactly as a code that does not exist.
export const load: PageServerLoad = async ({ locals, params, parent }) => {
  await parent();
  const { client, children } = await loadClientByCode(locals.supabase, params.code);
  const timeline = (await loadTimeline(locals.supabase, client.id)) as TimelineEntry[];
  const active = timeline.find((entry) => entry.status === 'active') ?? null;
  return {
    client: { code: client.code, safetyLevel: client.safety_level, childCount: children.length },
    timeline,
    active,
    // The database has the final word (reveal_facility_location); this only decides what to offer.
    mayReveal: active !== null && client.safety_level <= 3 && (active.facility_rating ?? 4) <= 3,
    now: new Date().toISOString()
  };
};

export const actions: Actions = {
  reveal: async ({ request, locals, params }) => {
    const form = await request.formData();
    const { client } = await loadClientByCode(locals.supabase, params.code);
    const timeline = (await loadTimeline(locals.supabase, client.id)) as TimelineEntry[];
    const active = timeline.find((entry) => entry.status === 'active');
    const reason = reasonProblem(String(form.get('reason') ?? ''));
    if (reason.problem) return fail(400, { reasonProblem: reason.problem, message: null });
    if (!active?.facility_id) return fail(400, { reasonProblem: null, message: rpcErrorText({ message: 'placement_not_active' }) });
    const { data, error } = await locals.supabase.rpc('reveal_facility_location', { facility_id: active.facility_id, reason: reason.value });
    const location = data?.[0];
    if (error || !location) {
      if (error && !error.code?.startsWith('P0')) console.error('Revealing a location failed', error);
      return fail(400, { reasonProblem: null, message: rpcErrorText(error) });
    }
    return { revealed: { streetAddress: location.street_address, postalCode: location.postal_code, facilityName: active.facility_name ?? '' } };
  }
};
