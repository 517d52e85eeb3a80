// TOTP enrolment and verification through Supabase Auth MFA, for the /mfa and /account pages.
// Supabase Auth keeps the secret; this code only relays it once, at enrolment, to the user.
import { isAuthApiError, type SupabaseClient } from '@supabase/supabase-js';
import { z } from 'zod';
import type { Database } from '$lib/supabase/database.types';

export type MfaFailure = 'code_format' | 'wrong_code' | 'too_many_attempts' | 'unavailable';

export interface Enrolment {
  factorId: string;
  /** An `<img src>`: the SVG Supabase Auth drew, percent-encoded so that no `#` cuts it short. */
  qrDataUrl: string;
  secret: string;
}

/** Six digits; authenticator apps show them in groups, so spaces are allowed and dropped. */
export const codeSchema = z
  .string()
  .transform((value) => value.replace(/\s+/g, ''))
  .pipe(z.string().regex(/^[0-9]{6}$/));

const SVG_PREFIX = /^data:image\/svg\+xml;[^,]*,/;

export function qrDataUrl(qrCode: string): string {
  const svg = qrCode.replace(SVG_PREFIX, '');
  return `data:image/svg+xml;charset=utf-8,${encodeURIComponent(svg)}`;
}

export function failureFor(error: unknown): MfaFailure {
  if (isAuthApiError(error)) {
    if (error.status === 429) return 'too_many_attempts';
    if (error.code === 'mfa_verification_failed' || error.code === 'mfa_challenge_expired' || error.code === 'mfa_ip_address_mismatch') {
      return 'wrong_code';
    }
    if (error.status >= 400 && error.status < 500) return 'wrong_code';
  }
  return 'unavailable';
}

export interface SignInAssurance {
  mfaRequired: boolean;
  hasVerifiedFactor: boolean;
  currentLevel: string;
  satisfied: boolean;
  /** False once the session was ended elsewhere (sign out everywhere, password reset). */
  sessionActive: boolean;
}

/** What the database says about this session (the same rule its RLS policies apply). */
export async function signInAssurance(supabase: SupabaseClient<Database>): Promise<SignInAssurance | null> {
  const { data, error } = await supabase.rpc('my_sign_in_assurance').maybeSingle();
  if (error || !data) return null;
  return {
    mfaRequired: data.mfa_required,
    hasVerifiedFactor: data.has_verified_factor,
    currentLevel: data.current_level,
    satisfied: data.satisfied,
    sessionActive: data.session_active
  };
}

export async function verifiedTotpFactors(supabase: SupabaseClient<Database>): Promise<{ id: string; createdAt: string }[] | null> {
  const { data, error } = await supabase.auth.mfa.listFactors();
  if (error) return null;
  return data.totp.map((factor) => ({ id: factor.id, createdAt: factor.created_at }));
}

/**
 * A new TOTP factor, unverified until the first code is checked. An abandoned earlier attempt
 * would clash with the new one (factors need distinct names), so unverified ones go first.
 */
export async function startEnrolment(supabase: SupabaseClient<Database>): Promise<Enrolment | null> {
  const { data: factors, error: listError } = await supabase.auth.mfa.listFactors();
  if (listError) return null;
  for (const factor of factors.all) {
    if (factor.status === 'unverified') await supabase.auth.mfa.unenroll({ factorId: factor.id });
  }
  const { data, error } = await supabase.auth.mfa.enroll({ factorType: 'totp', friendlyName: 'Suoja', issuer: 'Suoja' });
  if (error || data.type !== 'totp') {
    if (error) console.error('TOTP enrolment failed on the Auth side', error.code ?? error.message);
    return null;
  }
  return { factorId: data.id, qrDataUrl: qrDataUrl(data.totp.qr_code), secret: data.totp.secret };
}

/** Checks a code; on success the session (and its cookies) are now aal2. */
export async function verifyCode(supabase: SupabaseClient<Database>, factorId: string, code: string): Promise<MfaFailure | null> {
  const parsed = codeSchema.safeParse(code);
  if (!parsed.success) return 'code_format';
  const { error } = await supabase.auth.mfa.challengeAndVerify({ factorId, code: parsed.data });
  return error ? failureFor(error) : null;
}
