import { error, fail, redirect } from '@sveltejs/kit';
import { isUuid, parseZoneForm, reasonProblem, type FieldErrors, type ZoneField } from '$lib/components/clients/forms';
import { rpcErrorText } from '$lib/components/clients/text';
import type { TimelineEntry } from '$lib/components/clients/types';
import { m } from '$lib/paraglide/messages';
import { loadCaseworkers, loadClientByCode, loadMunicipalities, loadTimeline } from '../clients.server';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals, params, url, parent }) => {
  await parent();
  const { client, children } = await loadClientByCode(locals.supabase, params.code);
  const [timeline, zones, assignments, unsuitable, caseworkers, municipalities] = await Promise.all([
    loadTimeline(locals.supabase, client.id),
    locals.supabase
      .from('exclusion_zones')
      .select('id, kind, lon, lat, radius_km, municipality_code, created_at, exclusion_zone_reasons(reason)')
      .eq('client_id', client.id)
      .order('created_at'),
    locals.supabase.from('caseworker_assignments').select('caseworker_id').eq('client_id', client.id),
    locals.supabase
      .from('client_unsuitable_facilities')
      .select('facility_id, reason, marked_at, facilities(name)')
      .eq('client_id', client.id)
      .order('marked_at', { ascending: false }),
    loadCaseworkers(locals.supabase),
    loadMunicipalities(locals.supabase)
  ]);
  const failed = zones.error ?? assignments.error ?? unsuitable.error;
  if (failed) {
    console.error('Reading a client’s details failed', failed);
    error(503, m.error_generic());
  }

  const now = new Date();
  const entries = timeline as TimelineEntry[];
  const active = entries.find((entry) => entry.status === 'active') ?? null;
  const openHold =
    entries.find(
      (entry) => (entry.status === 'hold' || entry.status === 'accepted') && entry.hold_expires_at && new Date(entry.hold_expires_at) > now
    ) ?? null;
  // The latest answer, if it was a decline and nothing newer has been asked since: the search
  // reopens with that facility marked.
  const latestHold = entries
    .filter((entry) => entry.held_at && entry.status !== 'active' && entry.status !== 'ended')
    .sort((a, b) => (b.held_at ?? '').localeCompare(a.held_at ?? ''))[0];
  const declined = !openHold && latestHold?.status === 'declined' ? latestHold : null;

  const assigned = new Set((assignments.data ?? []).map((row) => row.caseworker_id));
  return {
    client,
    children,
    timeline: entries,
    active,
    openHold,
    declined,
    zones: (zones.data ?? []).map((zone) => ({
      id: zone.id,
      kind: zone.kind,
      lon: zone.lon,
      lat: zone.lat,
      radiusKm: zone.radius_km,
      municipalityCode: zone.municipality_code,
      reason: zone.exclusion_zone_reasons?.reason ?? null
    })),
    unsuitable: (unsuitable.data ?? []).map((row) => ({
      facilityId: row.facility_id,
      facilityName: row.facilities?.name ?? '',
      reason: row.reason,
      markedAt: row.marked_at
    })),
    caseworkerNames: caseworkers.filter((caseworker) => assigned.has(caseworker.id)).map((caseworker) => caseworker.display_name),
    municipalities,
    notice: url.searchParams.has('created') ? ('created' as const) : url.searchParams.has('saved') ? ('saved' as const) : null,
    now: now.toISOString()
  };
};

export type ClientAction = 'arrive' | 'end' | 'urgent' | 'cancel' | 'addZone' | 'deleteZone';

export interface ClientActionFailure {
  action: ClientAction;
  message: string | null;
  reasonProblem?: 'required' | 'too_long';
  zoneErrors?: FieldErrors<ZoneField>;
  zoneEcho?: Record<string, string>;
}

function refused(action: ClientAction, message: string | null, extra: Partial<ClientActionFailure> = {}) {
  return fail(400, { action, message, ...extra } satisfies ClientActionFailure);
}

function placementIdFrom(form: FormData): string | null {
  const id = form.get('placement_id');
  return typeof id === 'string' && isUuid(id) ? id : null;
}

export const actions: Actions = {
  arrive: async ({ request, locals }) => {
    const placementId = placementIdFrom(await request.formData());
    if (!placementId) return refused('arrive', m.clients_error_placement_not_found());
    const { error: rpcError } = await locals.supabase.rpc('record_arrival', { placement_id: placementId });
    if (rpcError) return refused('arrive', rpcErrorText(rpcError));
    return { action: 'arrive' as const, done: true };
  },

  end: async ({ request, locals }) => {
    const form = await request.formData();
    const placementId = placementIdFrom(form);
    const reason = reasonProblem(String(form.get('reason') ?? ''));
    if (!placementId) return refused('end', m.clients_error_placement_not_found());
    if (reason.problem) return refused('end', null, { reasonProblem: reason.problem === 'too_long' ? 'too_long' : 'required' });
    const { error: rpcError } = await locals.supabase.rpc('end_placement', { placement_id: placementId, reason: reason.value, mark_unsuitable: false });
    if (rpcError) return refused('end', rpcErrorText(rpcError));
    return { action: 'end' as const, done: true };
  },

  // A compromised location: end here, never offer this facility to the client again, and go
  // straight to the search for a new place.
  urgent: async ({ request, locals, params }) => {
    const form = await request.formData();
    const placementId = placementIdFrom(form);
    const reason = reasonProblem(String(form.get('reason') ?? ''));
    if (!placementId) return refused('urgent', m.clients_error_placement_not_found());
    if (reason.problem) return refused('urgent', null, { reasonProblem: reason.problem === 'too_long' ? 'too_long' : 'required' });
    const { error: rpcError } = await locals.supabase.rpc('end_placement', { placement_id: placementId, reason: reason.value, mark_unsuitable: true });
    if (rpcError) return refused('urgent', rpcErrorText(rpcError));
    redirect(303, `/clients/${params.code}/search?urgent=1`);
  },

  cancel: async ({ request, locals }) => {
    const form = await request.formData();
    const placementId = placementIdFrom(form);
    const reason = reasonProblem(String(form.get('reason') ?? ''), false);
    if (!placementId) return refused('cancel', m.clients_error_placement_not_found());
    if (reason.problem) return refused('cancel', null, { reasonProblem: 'too_long' });
    const { error: rpcError } = await locals.supabase.rpc('cancel_hold', { placement_id: placementId, reason: reason.value || (null as unknown as string) });
    if (rpcError) return refused('cancel', rpcErrorText(rpcError));
    return { action: 'cancel' as const, done: true };
  },

  addZone: async ({ request, locals, params }) => {
    const form = await request.formData();
    const zoneEcho = Object.fromEntries(
      ['kind', 'lat', 'lon', 'radius_km', 'municipality_code', 'reason'].map((name) => [name, String(form.get(name) ?? '')])
    );
    const parsed = parseZoneForm(form);
    if (!parsed.ok) return refused('addZone', null, { zoneErrors: parsed.errors, zoneEcho });
    const { client } = await loadClientByCode(locals.supabase, params.code);
    const zone = parsed.values;
    const { error: rpcError } = await locals.supabase.rpc('add_exclusion_zone', {
      client_id: client.id,
      kind: zone.kind,
      lon: zone.kind === 'point' ? zone.lon : (null as unknown as number),
      lat: zone.kind === 'point' ? zone.lat : (null as unknown as number),
      radius_km: zone.kind === 'point' ? zone.radiusKm : (null as unknown as number),
      municipality_code: zone.kind === 'municipality' ? zone.municipalityCode : (null as unknown as string),
      reason: zone.reason
    });
    if (rpcError) return refused('addZone', rpcErrorText(rpcError), { zoneEcho });
    return { action: 'addZone' as const, done: true };
  },

  deleteZone: async ({ request, locals, params }) => {
    const zoneId = String((await request.formData()).get('zone_id') ?? '');
    if (!isUuid(zoneId)) return refused('deleteZone', m.clients_error_unknown());
    const { client } = await loadClientByCode(locals.supabase, params.code);
    const { error: deleteError, count } = await locals.supabase
      .from('exclusion_zones')
      .delete({ count: 'exact' })
      .eq('id', zoneId)
      .eq('client_id', client.id);
    if (deleteError || count !== 1) {
      if (deleteError) console.error('Removing an exclusion zone failed', deleteError);
      return refused('deleteZone', m.clients_error_unknown());
    }
    return { action: 'deleteZone' as const, done: true };
  }
};
