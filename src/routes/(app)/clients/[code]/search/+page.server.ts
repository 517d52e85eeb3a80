import { randomUUID } from 'node:crypto';
import { error, fail, redirect } from '@sveltejs/kit';
import {
  parseHoldForm,
  parseMoveForm,
  reasonProblem,
  type FieldErrors,
  type HoldField,
  type MoveField
} from '$lib/components/clients/forms';
import { rpcErrorText } from '$lib/components/clients/text';
import { EXCLUDED_PAGE_SIZE, readSearchState } from '$lib/components/clients/search-page';
import type { SearchPage } from '$lib/components/clients/types';
import { defaultHoldDeadline, helsinkiDate, isDateOnly, toHelsinkiLocalInput } from '$lib/domain/dates';
import { m } from '$lib/paraglide/messages';
import { loadClientByCode, loadMunicipalities } from '../../clients.server';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals, params, url, parent }) => {
  await parent();
  const { client, children } = await loadClientByCode(locals.supabase, params.code);
  const now = new Date();
  const today = helsinkiDate(now);
  const state = readSearchState(url.searchParams, today);

  const [municipalities, zones, active] = await Promise.all([
    loadMunicipalities(locals.supabase),
    locals.supabase.from('exclusion_zones').select('id, kind, lon, lat, radius_km, municipality_code').eq('client_id', client.id),
    locals.supabase
      .from('placements')
      .select('id, facility_id, facilities(name)')
      .eq('client_id', client.id)
      .eq('status', 'active')
      .maybeSingle()
  ]);
  if (zones.error || active.error) {
    console.error('Reading the search’s context failed', zones.error ?? active.error);
    error(503, m.error_generic());
  }
  const reference = municipalities.find((row) => row.code === state.ref) ?? null;

  // Every facility is judged; what comes back is what this view shows: the best suitable places,
  // the left-out ones counted per reason, one reason's page of them, the facilities asked about
  // by name and the one that declined the last hold.
  const search = await locals.supabase.rpc('safe_place_search_page', {
    client_id: client.id,
    arrival_date: state.arrival,
    ref_lon: reference?.centre_lon,
    ref_lat: reference?.centre_lat,
    suitable_limit: state.shown,
    excluded_reason: state.reason ?? undefined,
    excluded_offset: (state.reasonPage - 1) * EXCLUDED_PAGE_SIZE,
    excluded_limit: EXCLUDED_PAGE_SIZE,
    find_name: state.find || undefined,
    focus_facility_id: state.declined || undefined
  });
  if (search.error) {
    console.error('The safe-place search failed', search.error);
    error(503, m.error_generic());
  }
  const page = search.data as unknown as SearchPage;

  // A move is only offered from the client's own active placement.
  const moveFrom = active.data && state.move === active.data.id ? { placementId: active.data.id, facilityId: active.data.facility_id, facilityName: active.data.facilities?.name ?? '' } : null;

  return {
    client,
    children,
    state: { ...state, ref: reference?.code ?? '', move: moveFrom ? state.move : '' },
    today,
    municipalities,
    zones: zones.data ?? [],
    search: page,
    moveFrom,
    declinedFacilityId: state.declined || null,
    // One key per form as rendered: submitting the same form twice places one hold.
    formKeys: Object.fromEntries(page.suitable.map((row) => [row.facility_id ?? '', randomUUID()])),
    defaultDeadline: toHelsinkiLocalInput(defaultHoldDeadline(now)),
    now: now.toISOString()
  };
};

export interface SearchActionFailure {
  action: 'hold' | 'move' | 'unmet';
  facilityId: string | null;
  message: string | null;
  holdErrors?: FieldErrors<HoldField>;
  moveErrors?: FieldErrors<MoveField>;
  unmetProblem?: 'required' | 'too_long';
}

export const actions: Actions = {
  hold: async ({ request, locals, params }) => {
    const form = await request.formData();
    const { client } = await loadClientByCode(locals.supabase, params.code);
    const facilityId = String(form.get('facility_id') ?? '');
    const parsed = parseHoldForm(form, client.id, new Date());
    if (!parsed.ok) {
      return fail(400, { action: 'hold', facilityId, message: null, holdErrors: parsed.errors } satisfies SearchActionFailure);
    }
    const hold = parsed.values;
    const { error: rpcError } = await locals.supabase.rpc('place_hold', {
      client_id: client.id,
      facility_id: hold.facilityId,
      persons: hold.persons,
      planned_arrival: hold.plannedArrival,
      planned_end: hold.plannedEnd as string,
      hold_expires_at: hold.holdExpiresAt,
      idempotency_key: hold.idempotencyKey
    });
    if (rpcError) {
      if (!rpcError.code?.startsWith('P0')) console.error('Placing a hold failed', rpcError);
      return fail(400, { action: 'hold', facilityId, message: rpcErrorText(rpcError) } satisfies SearchActionFailure);
    }
    redirect(303, `/clients/${client.code}`);
  },

  move: async ({ request, locals, params }) => {
    const form = await request.formData();
    const { client } = await loadClientByCode(locals.supabase, params.code);
    const facilityId = String(form.get('facility_id') ?? '');
    const parsed = parseMoveForm(form, client.id, helsinkiDate());
    if (!parsed.ok) {
      return fail(400, { action: 'move', facilityId, message: null, moveErrors: parsed.errors } satisfies SearchActionFailure);
    }
    const move = parsed.values;
    const { error: rpcError } = await locals.supabase.rpc('move_client', {
      placement_id: move.fromPlacementId,
      to_facility_id: move.facilityId,
      persons: move.persons,
      planned_end: move.plannedEnd as string,
      reason: move.reason,
      idempotency_key: move.idempotencyKey
    });
    if (rpcError) {
      if (!rpcError.code?.startsWith('P0')) console.error('Moving a client failed', rpcError);
      return fail(400, { action: 'move', facilityId, message: rpcErrorText(rpcError) } satisfies SearchActionFailure);
    }
    redirect(303, `/clients/${client.code}`);
  },

  // Nothing fitted: recorded so that the shortage shows in the statistics.
  unmet: async ({ request, locals, params }) => {
    const form = await request.formData();
    const { client, children } = await loadClientByCode(locals.supabase, params.code);
    const reason = reasonProblem(String(form.get('reason') ?? ''));
    const neededOn = String(form.get('needed_on') ?? '');
    const municipality = String(form.get('municipality_code') ?? '');
    if (reason.problem || !isDateOnly(neededOn)) {
      return fail(400, {
        action: 'unmet',
        facilityId: null,
        message: isDateOnly(neededOn) ? null : m.clients_error_invalid_date(),
        unmetProblem: reason.problem === 'too_long' ? 'too_long' : reason.problem ? 'required' : undefined
      } satisfies SearchActionFailure);
    }
    const { error: insertError } = await locals.supabase.from('unmet_needs').insert({
      client_id: client.id,
      needed_on: neededOn,
      persons: 1 + children.length,
      safety_level: client.safety_level,
      municipality_code: /^\d{3}$/.test(municipality) ? municipality : null,
      reason: reason.value
    });
    if (insertError) {
      console.error('Recording an unmet need failed', insertError);
      return fail(400, { action: 'unmet', facilityId: null, message: m.clients_error_unknown() } satisfies SearchActionFailure);
    }
    return { action: 'unmet' as const, done: true };
  }
};
