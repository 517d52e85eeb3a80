// Translations for the codes the administration screens get back from validation and RPCs.
import { m } from '$lib/paraglide/messages';

const FIELD_ERRORS: Record<string, () => string> = {
  required: m.admin_error_required,
  invalid: m.admin_error_invalid,
  too_long: m.admin_error_too_long,
  too_short: m.admin_error_password_too_short,
  unknown_kind: m.admin_error_unknown_kind,
  unknown_municipality: m.admin_error_unknown_municipality,
  not_a_whole_number: m.admin_error_not_a_whole_number,
  out_of_range: m.admin_error_out_of_range,
  unknown_gender_policy: m.admin_error_unknown_gender_policy,
  not_yes_no: m.admin_error_not_yes_no,
  invalid_languages: m.admin_error_invalid_languages,
  invalid_postal_code: m.admin_error_invalid_postal_code,
  outside_finland: m.admin_error_outside_finland,
  duplicate_in_file: m.admin_error_duplicate_in_file,
  duplicate_facility: m.admin_error_duplicate_facility,
  unknown_column: m.admin_error_unknown_column,
  missing_column: m.admin_error_missing_column,
  no_rows: m.admin_error_no_rows,
  unterminated_quote: m.admin_error_unterminated_quote,
  too_many_rows: m.admin_error_too_many_rows,
  rejected: m.admin_error_rejected_by_database,
  email_exists: m.admin_error_email_exists,
  weak_password: m.admin_error_weak_password,
  client_not_found: m.admin_error_client_not_found,
  not_a_caseworker: m.admin_error_not_a_caseworker,
  invalid_partner_name: m.admin_error_invalid_partner_name,
  invalid_rate_limit: m.admin_error_invalid_rate_limit,
  partner_key_not_found: m.admin_error_partner_key_not_found,
  own_account: m.admin_error_own_account,
  not_allowed: m.admin_error_not_allowed
};

export function adminErrorText(code: string | null | undefined): string {
  return (code ? FIELD_ERRORS[code] : undefined)?.() ?? m.admin_error_unknown();
}
