// The staff screens' words for codes from the database and the forms.
import { m } from '$lib/paraglide/messages';
import type { CapacityProblem } from './capacity-form';
import { OUT_OF_SERVICE_REASON_MAX } from './capacity-form';
import { REASON_MAX, type ReasonProblem } from './placement-forms';

const STATUS: Record<string, () => string> = {
  free: m.staff_status_free,
  few: m.staff_status_few,
  full: m.staff_status_full,
  over: m.staff_status_over,
  stale: m.staff_status_stale,
  closed: m.staff_status_closed
};

export function availabilityStatusLabel(status: string): string {
  return (STATUS[status] ?? m.staff_status_stale)();
}

const LEVELS: Record<number, () => string> = {
  1: m.staff_level_1,
  2: m.staff_level_2,
  3: m.staff_level_3,
  4: m.staff_level_4
};

export function safetyLevelLabel(level: number): string {
  return (LEVELS[level] ?? (() => String(level)))();
}

export function capacityProblemLabel(problem: CapacityProblem): string {
  switch (problem) {
    case 'required':
      return m.staff_problem_required();
    case 'not_whole_number':
      return m.staff_problem_not_whole_number();
    case 'invalid_capacity':
      return m.staff_problem_invalid_capacity();
    case 'invalid_out_of_service':
      return m.staff_problem_invalid_out_of_service();
    case 'out_of_service_reason_required':
      return m.staff_problem_out_of_service_reason_required();
    case 'reason_too_long':
      return m.staff_problem_reason_too_long({ max: String(OUT_OF_SERVICE_REASON_MAX) });
    case 'invalid_occupied_by_others':
      return m.staff_problem_invalid_occupied_by_others();
    case 'figures_exceed_capacity':
      return m.staff_problem_figures_exceed_capacity();
  }
}

export function reasonProblemLabel(problem: ReasonProblem): string {
  return problem === 'reason_required'
    ? m.staff_problem_reason_required()
    : m.staff_problem_reason_too_long({ max: String(REASON_MAX) });
}

// Refusals from record_arrival when the client no longer fits here. Staff are told only that the
// rules changed: the reason (an exclusion zone, a raised safety level) is the coordinator's to see.
const NO_LONGER_FITS = new Set([
  'facility_inactive',
  'rating_too_low',
  'inside_exclusion_zone',
  'marked_unsuitable',
  'gender_policy',
  'no_children',
  'boy_too_old'
]);

const FAILURES: Record<string, () => string> = {
  not_allowed: m.staff_error_code_not_allowed,
  facility_not_found: m.staff_error_facility_not_found,
  placement_not_found: m.staff_error_code_placement_not_found,
  no_capacity_report: m.staff_error_code_no_capacity_report,
  hold_not_open: m.staff_error_code_hold_not_open,
  hold_expired: m.staff_error_code_hold_expired,
  hold_not_accepted: m.staff_error_code_hold_not_accepted,
  placement_not_active: m.staff_error_code_placement_not_active,
  // The database could not be reached: nothing was written (see isUnavailableStatus).
  unavailable: m.resilience_not_saved_unavailable
};

/** A translated sentence for a refusal; never the raw code. */
export function failureLabel(code: string): string {
  if (NO_LONGER_FITS.has(code)) return m.staff_error_code_no_longer_fits();
  return (FAILURES[code] ?? m.staff_error_code_unknown)();
}

/** A language code (ISO 639-1) in the reader's language, e.g. "ru" → "venäjä". */
export function languageName(code: string, locale: string): string {
  try {
    return new Intl.DisplayNames([locale], { type: 'language' }).of(code) ?? code;
  } catch {
    return code;
  }
}
