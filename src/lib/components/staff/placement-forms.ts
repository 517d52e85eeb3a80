// Reading the hold, arrival and departure forms, and the database's refusal codes. Pure, for tests.
export const REASON_MAX = 1000;

export type ReasonProblem = 'reason_required' | 'reason_too_long';

function textField(value: FormDataEntryValue | null): string {
  return typeof value === 'string' ? value : '';
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The placement a form acts on; null when the field is missing or not an id. */
export function placementIdFrom(form: FormData): string | null {
  const value = textField(form.get('placement_id')).trim();
  return UUID.test(value) ? value.toLowerCase() : null;
}

export function isUuid(value: string): boolean {
  return UUID.test(value);
}

/** A free-text reason as the database's check_reason() takes it: trimmed, 1 to 1000 characters. */
export function parseReason(form: FormData): { ok: true; reason: string } | { ok: false; problem: ReasonProblem; value: string } {
  const value = textField(form.get('reason'));
  const trimmed = value.trim();
  if (trimmed.length === 0) return { ok: false, problem: 'reason_required', value };
  if (value.length > REASON_MAX) return { ok: false, problem: 'reason_too_long', value };
  return { ok: true, reason: trimmed };
}

/** accept / decline from the hold form's submit button; null for anything else. */
export function parseDecision(form: FormData): 'accept' | 'decline' | null {
  const value = textField(form.get('decision'));
  return value === 'accept' || value === 'decline' ? value : null;
}

/**
 * The stable code an RPC raised (its message, SQLSTATE P0001); null for anything else (network,
 * PostgREST, unexpected SQL errors), which the UI reports as a generic failure.
 */
export function rpcErrorCode(error: { code?: string; message?: string } | null | undefined): string | null {
  if (!error || error.code !== 'P0001' || !error.message) return null;
  return /^[a-z][a-z0-9_]{1,62}$/.test(error.message) ? error.message : null;
}
