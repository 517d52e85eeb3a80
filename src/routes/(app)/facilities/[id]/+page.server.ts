import { error, fail } from '@sveltejs/kit';
import { z } from 'zod';
import { m } from '$lib/paraglide/messages';
import { AVAILABILITY_COLUMNS, type FacilityAvailability } from '$lib/map/facilities';
import type { Actions, PageServerLoad } from './$types';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** The panel also shows how the free places are made up. */
const PANEL_COLUMNS = `${AVAILABILITY_COLUMNS}, out_of_service, occupied_by_others, occupied, held, in_turnaround`;

export interface FacilityPanel extends FacilityAvailability {
  out_of_service: number | null;
  occupied_by_others: number | null;
  occupied: number;
  held: number;
  in_turnaround: number;
}

export interface ForecastDay {
  day: string;
  capacity: number | null;
  free_places: number;
  over_occupied: boolean;
}

export interface CapacityReport {
  id: number;
  kind: 'update' | 'confirm';
  capacity: number;
  out_of_service: number;
  occupied_by_others: number;
  reported_role: string | null;
  reported_at: string;
}

export const load: PageServerLoad = async ({ locals, params, parent }) => {
  const facilityId = params.id.toLowerCase();
  if (!UUID.test(facilityId)) error(404, m.map_facility_not_found());
  const { staff } = await parent();

  const availability = await locals.supabase.rpc('facility_availability').select(PANEL_COLUMNS).eq('facility_id', facilityId).maybeSingle();
  // not_allowed (a role without free places) reads the same as a facility it may not see.
  if (availability.error || !availability.data) {
    if (availability.error && availability.error.message !== 'not_allowed') console.error('Loading a facility failed', availability.error);
    error(404, m.map_facility_not_found());
  }
  const facility = availability.data as unknown as FacilityPanel;

  const historyAllowed = staff.role === 'coordinator' || staff.role === 'facility_staff' || staff.role === 'admin';
  const [forecast, history, membership] = await Promise.all([
    locals.supabase.rpc('facility_forecast', { facility_id: facilityId, days: 14 }).select('day, capacity, free_places, over_occupied'),
    historyAllowed
      ? locals.supabase
          .from('capacity_reports')
          .select('id, kind, capacity, out_of_service, occupied_by_others, reported_role, reported_at')
          .eq('facility_id', facilityId)
          .order('reported_at', { ascending: false })
          .order('id', { ascending: false })
          .limit(10)
      : Promise.resolve(null),
    staff.role === 'facility_staff'
      ? locals.supabase.from('facility_memberships').select('facility_id').eq('staff_id', staff.id).eq('facility_id', facilityId).maybeSingle()
      : Promise.resolve(null)
  ]);
  if (forecast.error) console.error('Loading a forecast failed', forecast.error);
  if (history?.error) console.error('Loading capacity history failed', history.error);

  // Who may ask: the reveal RPC decides (and logs); this only hides a button that cannot work.
  const canReveal =
    staff.role === 'coordinator' || staff.role === 'caseworker' || (staff.role === 'facility_staff' && Boolean(membership?.data));

  return {
    facility,
    forecast: forecast.error ? null : (forecast.data as ForecastDay[]),
    history: history === null ? null : history.error ? [] : (history.data as CapacityReport[]),
    historyAllowed,
    canReveal
  };
};

const revealForm = z.object({
  reason: z.string().trim().min(1, 'reason_required').max(1000, 'reason_too_long')
});

export interface RevealFailure {
  reason: string;
  error: string;
}

export const actions: Actions = {
  reveal: async ({ request, locals, params }) => {
    const form = await request.formData();
    const rawReason = typeof form.get('reason') === 'string' ? (form.get('reason') as string) : '';
    const parsed = revealForm.safeParse({ reason: rawReason });
    if (!parsed.success) {
      return fail(400, { reason: rawReason, error: parsed.error.issues[0]?.message ?? 'reason_required' } satisfies RevealFailure);
    }
    const { data, error: rpcError } = await locals.supabase
      .rpc('reveal_facility_location', { facility_id: params.id, reason: parsed.data.reason })
      .single();
    if (rpcError || !data) {
      const code = rpcError?.message ?? 'unknown';
      if (!['not_allowed', 'facility_not_found', 'contact_coordinator', 'location_not_recorded', 'reason_required', 'reason_too_long'].includes(code)) {
        console.error('Revealing a location failed', rpcError);
      }
      return fail(code === 'not_allowed' || code === 'contact_coordinator' ? 403 : 400, { reason: rawReason, error: code } satisfies RevealFailure);
    }
    // Only in this response: never stored, never put in a URL.
    return { revealed: data as { street_address: string; postal_code: string; lon: number; lat: number } };
  }
};
