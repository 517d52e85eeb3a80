// Translations for values that come from the database as codes (roles, RPC error codes).
import { m } from '$lib/paraglide/messages';
import type { AppRole } from '$lib/staff';

const ROLE_LABELS: Record<AppRole, () => string> = {
  coordinator: m.role_coordinator,
  facility_staff: m.role_facility_staff,
  caseworker: m.role_caseworker,
  admin: m.role_admin,
  auditor: m.role_auditor
};

export function roleLabel(role: AppRole | null): string {
  return role === null ? m.role_none() : ROLE_LABELS[role]();
}

/** Stable snake_case codes that RPCs raise as their message (see the migrations). */
const ERROR_CODE_LABELS = new Map<string, () => string>([
  ['invalid_language', m.error_code_invalid_language],
  ['not_authenticated', m.error_code_not_authenticated],
  ['staff_not_found', m.error_code_staff_not_found]
]);

/** The user's-language text for an RPC error code; a generic text for codes the UI does not know. */
export function errorCodeLabel(code: string | null | undefined): string {
  const label = code ? ERROR_CODE_LABELS.get(code) : undefined;
  return (label ?? m.error_code_unknown)();
}
