// Words for the codes the client screens show: safety levels, genders, responsible parties,
// placement statuses, fit refusals and the placement RPCs' error codes, each with the numbers
// the rule is about. Never the raw code: an unknown code reads as a generic failure.
import { m } from '$lib/paraglide/messages';
import type { Database } from '$lib/supabase/database.types';

type Enums = Database['public']['Enums'];
export type ClientGender = Enums['client_gender'];
export type ResponsibleParty = Enums['responsible_party'];
export type PlacementStatus = Enums['placement_status'];

export const CLIENT_GENDERS = ['female', 'male', 'other'] as const satisfies readonly ClientGender[];
export const RESPONSIBLE_PARTIES = [
  'assistance_system',
  'wellbeing_services_county',
  'city_of_helsinki',
  'reception_centre'
] as const satisfies readonly ResponsibleParty[];
export const SAFETY_LEVELS = [1, 2, 3, 4] as const;
export const HOUSING_STATES = ['placed', 'on_hold', 'not_placed'] as const;
export type HousingState = (typeof HOUSING_STATES)[number];

const LEVEL_NAMES: Record<number, () => string> = {
  1: m.clients_level_1,
  2: m.clients_level_2,
  3: m.clients_level_3,
  4: m.clients_level_4
};
const LEVEL_MEANINGS: Record<number, () => string> = {
  1: m.clients_level_1_meaning,
  2: m.clients_level_2_meaning,
  3: m.clients_level_3_meaning,
  4: m.clients_level_4_meaning
};

/** "3 – High" */
export function levelLabel(level: number): string {
  const name = LEVEL_NAMES[level];
  return name ? m.clients_level_label({ level: String(level), name: name() }) : String(level);
}

export function levelMeaning(level: number): string {
  return LEVEL_MEANINGS[level]?.() ?? '';
}

const GENDER_LABELS: Record<ClientGender, () => string> = {
  female: m.clients_gender_female,
  male: m.clients_gender_male,
  other: m.clients_gender_other
};
export function genderLabel(gender: ClientGender): string {
  return GENDER_LABELS[gender]();
}

const CHILD_GENDER_LABELS: Record<ClientGender, () => string> = {
  female: m.clients_child_gender_female,
  male: m.clients_child_gender_male,
  other: m.clients_child_gender_other
};
export function childGenderLabel(gender: ClientGender): string {
  return CHILD_GENDER_LABELS[gender]();
}

const RESPONSIBLE_LABELS: Record<ResponsibleParty, () => string> = {
  assistance_system: m.clients_responsible_assistance_system,
  wellbeing_services_county: m.clients_responsible_wellbeing_services_county,
  city_of_helsinki: m.clients_responsible_city_of_helsinki,
  reception_centre: m.clients_responsible_reception_centre
};
export function responsibleLabel(party: ResponsibleParty): string {
  return RESPONSIBLE_LABELS[party]();
}

const STATUS_LABELS: Record<PlacementStatus, () => string> = {
  hold: m.clients_status_hold,
  accepted: m.clients_status_accepted,
  declined: m.clients_status_declined,
  active: m.clients_status_active,
  ended: m.clients_status_ended,
  cancelled: m.clients_status_cancelled,
  expired: m.clients_status_expired
};
export function placementStatusLabel(status: PlacementStatus | string): string {
  return (STATUS_LABELS as Record<string, () => string>)[status]?.() ?? m.clients_status_unknown();
}

const HOUSING_LABELS: Record<HousingState, () => string> = {
  placed: m.clients_housing_placed,
  on_hold: m.clients_housing_on_hold,
  not_placed: m.clients_housing_not_placed
};
export function housingLabel(state: HousingState | string): string {
  return (HOUSING_LABELS as Record<string, () => string>)[state]?.() ?? '';
}

export function municipalityName(row: { name_fi: string; name_sv: string }, locale: string): string {
  return locale === 'sv' ? row.name_sv : row.name_fi;
}

type Details = Record<string, unknown>;
const num = (details: Details, key: string): string => {
  const value = details[key];
  return typeof value === 'number' || typeof value === 'string' ? String(value) : '?';
};

/** Why a facility does not fit (or is short of places), in words with its numbers. */
export function refusalText(refusal: Details & { code?: unknown }): string {
  switch (refusal.code) {
    case 'facility_inactive':
      return m.clients_refusal_facility_inactive();
    case 'rating_too_low':
      return m.clients_refusal_rating_too_low({ rating: num(refusal, 'rating'), level: num(refusal, 'level') });
    case 'inside_exclusion_zone':
      return refusal.zone_kind === 'municipality'
        ? m.clients_refusal_inside_zone_municipality()
        : m.clients_refusal_inside_zone_point();
    case 'marked_unsuitable':
      return m.clients_refusal_marked_unsuitable();
    case 'gender_policy':
      return refusal.policy === 'men' ? m.clients_refusal_gender_men() : m.clients_refusal_gender_women();
    case 'no_children':
      return m.clients_refusal_no_children({ children: num(refusal, 'children') });
    case 'boy_too_old':
      return m.clients_refusal_boy_too_old({ max_age: num(refusal, 'max_age'), age: num(refusal, 'age') });
    case 'not_enough_places':
      return m.clients_refusal_not_enough_places({ free: num(refusal, 'free'), requested: num(refusal, 'requested') });
    default:
      return m.clients_error_unknown();
  }
}

/** A reason facilities are left out, as the heading the search's summary counts them under. */
export function refusalReasonLabel(code: string, context: { level: number; date: string }): string {
  switch (code) {
    case 'facility_inactive':
      return m.clients_search_reason_facility_inactive();
    case 'rating_too_low':
      return m.clients_search_reason_rating_too_low({ level: String(context.level) });
    case 'inside_exclusion_zone':
      return m.clients_search_reason_inside_exclusion_zone();
    case 'marked_unsuitable':
      return m.clients_search_reason_marked_unsuitable();
    case 'gender_policy':
      return m.clients_search_reason_gender_policy();
    case 'no_children':
      return m.clients_search_reason_no_children();
    case 'boy_too_old':
      return m.clients_search_reason_boy_too_old();
    case 'not_enough_places':
      return m.clients_search_reason_not_enough_places({ date: context.date });
    default:
      return m.clients_error_unknown();
  }
}

const FIT_CODES = new Set([
  'facility_inactive',
  'rating_too_low',
  'inside_exclusion_zone',
  'marked_unsuitable',
  'gender_policy',
  'no_children',
  'boy_too_old',
  'not_enough_places'
]);

/** A PostgREST error as supabase-js returns it: the code in `message`, JSON details in `details`. */
export interface RpcError {
  message?: string | null;
  details?: string | null;
}

export function parseDetails(details: string | null | undefined): Details {
  if (!details) return {};
  try {
    const parsed: unknown = JSON.parse(details);
    return parsed && typeof parsed === 'object' && !Array.isArray(parsed) ? (parsed as Details) : {};
  } catch {
    return {};
  }
}

/**
 * The error of a placement or client RPC in words. A fit refusal lists every rule that failed
 * (the database puts them all in `details.refusals`).
 */
export function rpcErrorText(error: RpcError | null | undefined): string {
  const code = error?.message ?? '';
  const details = parseDetails(error?.details);
  if (FIT_CODES.has(code)) {
    const all = Array.isArray(details.refusals) ? (details.refusals as Details[]) : [{ ...details, code }];
    return all.map((refusal) => refusalText(refusal)).join(' ');
  }
  switch (code) {
    case 'client_has_open_hold':
      return m.clients_error_client_has_open_hold();
    case 'already_placed_here':
      return m.clients_error_already_placed_here();
    case 'arrival_required':
      return m.clients_error_arrival_required();
    case 'arrival_in_past':
      return m.clients_error_arrival_in_past({ earliest: num(details, 'earliest') });
    case 'arrival_too_far':
      return m.clients_error_arrival_too_far({ latest: num(details, 'latest') });
    case 'end_before_start':
      return m.clients_error_end_before_start();
    case 'deadline_in_past':
      return m.clients_error_deadline_in_past();
    case 'deadline_too_far':
      return m.clients_error_deadline_too_far({ max_days: num(details, 'max_days') });
    case 'idempotency_key_required':
    case 'idempotency_key_reused':
      return m.clients_error_form_reused();
    case 'invalid_persons':
    case 'client_not_in_persons':
      return m.clients_error_invalid_persons();
    case 'hold_not_open':
      return m.clients_error_hold_not_open({ status: placementStatusLabel(String(details.status ?? '')) });
    case 'hold_expired':
      return m.clients_error_hold_expired();
    case 'hold_not_accepted':
      return m.clients_error_hold_not_accepted();
    case 'placement_not_active':
      return m.clients_error_placement_not_active({ status: placementStatusLabel(String(details.status ?? '')) });
    case 'same_facility':
      return m.clients_error_same_facility();
    case 'reason_required':
      return m.clients_error_reason_required();
    case 'reason_too_long':
      return m.clients_error_reason_too_long({ max: num(details, 'max') });
    case 'not_allowed':
      return m.clients_error_not_allowed();
    case 'client_not_found':
      return m.clients_error_client_not_found();
    case 'facility_not_found':
      return m.clients_error_facility_not_found();
    case 'placement_not_found':
      return m.clients_error_placement_not_found();
    case 'invalid_date':
      return m.clients_error_invalid_date();
    case 'invalid_reference_point':
      return m.clients_error_invalid_reference_point();
    case 'contact_coordinator':
      return m.clients_contact_coordinator();
    case 'location_not_recorded':
      return m.clients_error_location_not_recorded();
    case 'level_reason_required':
      return m.clients_error_level_reason_required({ from: num(details, 'from'), to: num(details, 'to') });
    case 'invalid_birth_year':
      return m.clients_error_birth_year({ min: num(details, 'min'), max: num(details, 'max') });
    case 'invalid_child_birth_year':
      return m.clients_error_child_birth_year({ min: num(details, 'min'), max: num(details, 'max') });
    case 'invalid_safety_level':
      return m.clients_error_level_required();
    case 'gender_required':
      return m.clients_error_gender_required();
    case 'child_gender_required':
      return m.clients_error_child_gender_required();
    case 'responsible_party_required':
      return m.clients_error_responsible_required();
    case 'invalid_language_code':
      return m.clients_error_languages();
    case 'too_many_languages':
      return m.clients_error_too_many_languages({ max: num(details, 'max') });
    case 'needs_too_long':
      return m.clients_error_needs_too_long({ max: num(details, 'max') });
    case 'invalid_children':
      return m.clients_error_invalid_children();
    case 'child_in_placement':
      return m.clients_error_child_in_placement();
    case 'invalid_caseworker':
      return m.clients_error_invalid_caseworker();
    case 'invalid_zone_point':
      return m.clients_error_zone_point();
    case 'invalid_zone_radius':
      return m.clients_error_zone_radius({ min: num(details, 'min'), max: num(details, 'max') });
    case 'municipality_not_found':
      return m.clients_error_zone_municipality();
    case 'zone_kind_required':
      return m.clients_error_zone_kind();
    default:
      return m.clients_error_unknown();
  }
}
