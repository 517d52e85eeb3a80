import { error, fail } from '@sveltejs/kit';
import { fieldForCapacityCode, parseCapacityForm } from '$lib/components/staff/capacity-form';
import { loadMyFacility } from '$lib/components/staff/facility-data';
import { requireFacilityStaff } from '$lib/components/staff/guard';
import {
  isUuid,
  parseDecision,
  parseReason,
  placementIdFrom,
  rpcErrorCode
} from '$lib/components/staff/placement-forms';
import type { StaffActionResult } from '$lib/components/staff/types';
import { m } from '$lib/paraglide/messages';
import { isUnavailableStatus } from '$lib/supabase/unavailable';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals, params, depends }) => {
  // The live subscription invalidates this key when the facility's holds or figures change.
  depends('suoja:my-facility');
  const claims = await requireFacilityStaff(locals);
  if (!isUuid(params.facilityId)) error(404, m.staff_error_facility_not_found());

  const loadedAt = new Date();
  let view;
  try {
    view = await loadMyFacility(locals.supabase, claims.userId, params.facilityId.toLowerCase(), loadedAt);
  } catch (failure) {
    console.error('Loading the facility staff screen failed', failure);
    error(503, m.staff_error_load());
  }
  if (!view) error(404, m.staff_error_facility_not_found());

  const { count: facilityCount } = await locals.supabase
    .from('facility_memberships')
    .select('facility_id', { count: 'exact', head: true })
    .eq('staff_id', claims.userId);
  return { view, loadedAt: loadedAt.toISOString(), facilityCount: facilityCount ?? 1 };
};

/**
 * 'unavailable' when the database could not be reached (then nothing was written, and the page
 * says so), a refusal's code, or 'unknown'.
 */
function failureCode(error: { code?: string; message?: string } | null, status: number): string {
  if (isUnavailableStatus(status)) return 'unavailable';
  const code = rpcErrorCode(error);
  if (!code) console.error('A staff action failed unexpectedly', error);
  return code ?? 'unknown';
}

/** 503 for an outage, so the app-wide connection notice checks the connection; 409 for a refusal. */
const failureStatus = (code: string): number => (code === 'unavailable' ? 503 : 409);

export const actions: Actions = {
  capacity: async ({ request, locals, params }) => {
    await requireFacilityStaff(locals);
    const form = await request.formData();
    const parsed = parseCapacityForm(form);
    if (!parsed.ok) {
      const invalid: StaffActionResult = { form: 'capacity', capacityErrors: parsed.errors, capacityValues: parsed.values };
      return fail(400, invalid);
    }
    const { error: rpcError, status } = await locals.supabase.rpc('update_capacity', {
      facility_id: params.facilityId,
      capacity: parsed.input.capacity,
      out_of_service: parsed.input.out_of_service,
      // The RPC takes null for "no reason"; the generated type says string, hence the cast.
      out_of_service_reason: parsed.input.out_of_service_reason as string,
      occupied_by_others: parsed.input.occupied_by_others
    });
    if (rpcError) {
      const code = failureCode(rpcError, status);
      const field = fieldForCapacityCode(code);
      const values = {
        capacity: String(parsed.input.capacity),
        out_of_service: String(parsed.input.out_of_service),
        out_of_service_reason: parsed.input.out_of_service_reason ?? '',
        occupied_by_others: String(parsed.input.occupied_by_others)
      };
      const refused: StaffActionResult = field
        ? { form: 'capacity', capacityErrors: { [field.field]: field.problem }, capacityValues: values }
        : { form: 'capacity', failure: code, capacityValues: values };
      return fail(field ? 400 : failureStatus(code), refused);
    }
    const saved: StaffActionResult = { form: 'capacity', done: 'capacity_saved' };
    return saved;
  },

  confirm: async ({ locals, params }) => {
    await requireFacilityStaff(locals);
    const { error: rpcError, status } = await locals.supabase.rpc('confirm_capacity', { facility_id: params.facilityId });
    if (rpcError) {
      const refused: StaffActionResult = { form: 'confirm', failure: failureCode(rpcError, status) };
      return fail(failureStatus(refused.failure ?? ''), refused);
    }
    const confirmed: StaffActionResult = { form: 'confirm', done: 'confirmed' };
    return confirmed;
  },

  respond: async ({ request, locals }) => {
    await requireFacilityStaff(locals);
    const form = await request.formData();
    const placementId = placementIdFrom(form);
    const decision = parseDecision(form);
    if (!placementId || !decision) {
      const invalid: StaffActionResult = { form: 'respond', failure: 'placement_not_found' };
      return fail(400, invalid);
    }
    let reason: string | null = null;
    if (decision === 'decline') {
      const parsed = parseReason(form);
      if (!parsed.ok) {
        const invalid: StaffActionResult = { form: 'respond', placementId, reasonProblem: parsed.problem, reasonValue: parsed.value };
        return fail(400, invalid);
      }
      reason = parsed.reason;
    }
    const { error: rpcError, status } = await locals.supabase.rpc('respond_to_hold', {
      placement_id: placementId,
      accept: decision === 'accept',
      ...(reason === null ? {} : { reason })
    });
    if (rpcError) {
      const code = failureCode(rpcError, status);
      const refused: StaffActionResult =
        code === 'reason_required' || code === 'reason_too_long'
          ? { form: 'respond', placementId, reasonProblem: code, reasonValue: reason ?? '' }
          : { form: 'respond', placementId, failure: code };
      return fail(failureStatus(code), refused);
    }
    const answered: StaffActionResult = { form: 'respond', placementId, done: decision === 'accept' ? 'accepted' : 'declined' };
    return answered;
  },

  arrive: async ({ request, locals }) => {
    await requireFacilityStaff(locals);
    const placementId = placementIdFrom(await request.formData());
    if (!placementId) {
      const invalid: StaffActionResult = { form: 'arrive', failure: 'placement_not_found' };
      return fail(400, invalid);
    }
    const { error: rpcError, status } = await locals.supabase.rpc('record_arrival', { placement_id: placementId });
    if (rpcError) {
      const refused: StaffActionResult = { form: 'arrive', placementId, failure: failureCode(rpcError, status) };
      return fail(failureStatus(refused.failure ?? ''), refused);
    }
    const arrived: StaffActionResult = { form: 'arrive', placementId, done: 'arrived' };
    return arrived;
  },

  end: async ({ request, locals }) => {
    await requireFacilityStaff(locals);
    const form = await request.formData();
    const placementId = placementIdFrom(form);
    if (!placementId) {
      const invalid: StaffActionResult = { form: 'end', failure: 'placement_not_found' };
      return fail(400, invalid);
    }
    const parsed = parseReason(form);
    if (!parsed.ok) {
      const invalid: StaffActionResult = { form: 'end', placementId, reasonProblem: parsed.problem, reasonValue: parsed.value };
      return fail(400, invalid);
    }
    const { error: rpcError, status } = await locals.supabase.rpc('end_placement', { placement_id: placementId, reason: parsed.reason });
    if (rpcError) {
      const code = failureCode(rpcError, status);
      const refused: StaffActionResult =
        code === 'reason_required' || code === 'reason_too_long'
          ? { form: 'end', placementId, reasonProblem: code, reasonValue: parsed.reason }
          : { form: 'end', placementId, failure: code };
      return fail(failureStatus(code), refused);
    }
    const ended: StaffActionResult = { form: 'end', placementId, done: 'ended' };
    return ended;
  }
};
