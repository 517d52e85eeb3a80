// Words for the codes the map, list and facility panel show (statuses, kinds, policies, RPC
// error codes), in the user's language.
import { m } from '$lib/paraglide/messages';
import type { AvailabilityStatus } from '$lib/domain/availability';
import type { FacilityAvailability, FacilityKind, GenderPolicy } from './facilities';

const STATUS_LABELS: Record<AvailabilityStatus, () => string> = {
  free: m.map_status_free,
  few: m.map_status_few,
  full: m.map_status_full,
  over: m.map_status_over,
  stale: m.map_status_stale,
  closed: m.map_status_closed
};

export function statusLabel(status: AvailabilityStatus): string {
  return STATUS_LABELS[status]();
}

const KIND_LABELS: Record<FacilityKind, () => string> = {
  reception_centre: m.map_kind_reception_centre,
  shelter: m.map_kind_shelter,
  supported_housing: m.map_kind_supported_housing,
  private_housing: m.map_kind_private_housing
};

export function kindLabel(kind: FacilityKind): string {
  return KIND_LABELS[kind]();
}

const GENDER_LABELS: Record<GenderPolicy, () => string> = {
  women: m.map_policy_gender_women,
  men: m.map_policy_gender_men,
  any: m.map_policy_gender_any
};

export function genderPolicyLabel(policy: GenderPolicy): string {
  return GENDER_LABELS[policy]();
}

export function childrenPolicyLabel(row: Pick<FacilityAvailability, 'takes_children' | 'boys_max_age'>): string {
  if (!row.takes_children) return m.map_policy_children_none();
  if (row.boys_max_age === null) return m.map_policy_children_any();
  return m.map_policy_children_boys({ age: String(row.boys_max_age) });
}

/** Every policy line of a facility, in reading order. */
export function policyLabels(
  row: Pick<FacilityAvailability, 'gender_policy' | 'takes_children' | 'boys_max_age' | 'wheelchair_access' | 'pets_allowed' | 'staffed_24h'>
): string[] {
  const labels = [genderPolicyLabel(row.gender_policy), childrenPolicyLabel(row)];
  if (row.wheelchair_access) labels.push(m.map_policy_wheelchair());
  if (row.pets_allowed) labels.push(m.map_policy_pets());
  if (row.staffed_24h) labels.push(m.map_policy_staffed());
  return labels;
}

/** A language code as its name in the reader's language ("ru" → "venäjä" in Finnish). */
export function languageName(code: string, locale: string): string {
  try {
    return new Intl.DisplayNames([locale], { type: 'language', fallback: 'code' }).of(code) ?? code;
  } catch {
    return code;
  }
}

export function languageList(codes: readonly string[], locale: string): string {
  return codes.map((code) => languageName(code, locale)).join(', ');
}

const REVEAL_ERRORS = new Map<string, () => string>([
  ['reason_required', m.map_error_reason_required],
  ['reason_too_long', m.map_error_reason_too_long],
  ['not_allowed', m.map_error_not_allowed],
  ['facility_not_found', m.map_error_facility_not_found],
  ['contact_coordinator', m.map_error_contact_coordinator],
  ['location_not_recorded', m.map_error_location_not_recorded]
]);

/** The reveal RPC's error codes in words; never the raw code. */
export function revealErrorLabel(code: string | null | undefined): string {
  return (code ? REVEAL_ERRORS.get(code) : undefined)?.() ?? m.map_error_unknown();
}
