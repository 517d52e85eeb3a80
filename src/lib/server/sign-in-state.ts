// Where the signed-in user stands, as the database sees it on this request: their staff profile
// and their session's assurance, in one API call (`my_sign_in_state`). Every page behind login
// needs both (the sign-in hook the assurance, the (app) layout the profile); one call instead of
// two spares the app, the gateway, PostgREST and Postgres a round trip per page.
import type { SupabaseClient } from '@supabase/supabase-js';
import type { Database } from '$lib/supabase/database.types';
import type { SignInAssurance } from './security/mfa';

type StateRow = Database['public']['Functions']['my_sign_in_state']['Returns'][number];

export interface StaffRow {
  id: string;
  display_name: string;
  role: string | null;
  preferred_language: string;
}

export interface SignInState {
  /** The user's own staff row, active or not; null when there is none. */
  profile: StaffRow | null;
  /** Null when there is no active staff row (as `my_sign_in_assurance()` answers then). */
  assurance: SignInAssurance | null;
}

/** Reads the columns of `my_sign_in_state()`'s row; no row means no staff row for this user. */
export function signInStateFrom(row: StateRow | null): SignInState {
  if (!row) return { profile: null, assurance: null };
  return {
    profile: { id: row.staff_id, display_name: row.display_name, role: row.role, preferred_language: row.preferred_language },
    assurance: row.active
      ? {
          mfaRequired: row.mfa_required,
          hasVerifiedFactor: row.has_verified_factor,
          currentLevel: row.current_level,
          satisfied: row.satisfied,
          sessionActive: row.session_active
        }
      : null
  };
}

/** Null when the read failed (logged here, once, however many parts of the request wait for it). */
export async function readSignInState(supabase: SupabaseClient<Database>): Promise<SignInState | null> {
  const { data, error } = await supabase.rpc('my_sign_in_state').maybeSingle();
  if (error) {
    console.error('Reading the staff profile and sign-in state failed', error);
    return null;
  }
  return signInStateFrom(data);
}
