import type { SupabaseClient } from '@supabase/supabase-js';
import type { Database } from '$lib/supabase/database.types';
import { toAppRole, type AppRole } from '$lib/staff';

/** Who the request belongs to, from an access token whose signature was checked. */
export interface VerifiedClaims {
  userId: string;
  email: string | null;
  /** The `user_role` claim from the access-token hook; null without an active, assigned role. */
  role: AppRole | null;
}

/**
 * Verifies the session's access token (`getClaims()`: signature against the project's JWKS,
 * expiry) and refreshes it first when it is about to expire. Never `getSession().user`: the
 * cookie is client-controlled, so its user object proves nothing on the server.
 */
export async function verifyClaims(supabase: SupabaseClient<Database>): Promise<VerifiedClaims | null> {
  const { data, error } = await supabase.auth.getClaims();
  if (error || !data) return null;
  const { claims } = data;
  if (typeof claims.sub !== 'string' || claims.sub.length === 0) return null;
  return {
    userId: claims.sub,
    email: typeof claims.email === 'string' ? claims.email : null,
    role: toAppRole(claims['user_role'])
  };
}
