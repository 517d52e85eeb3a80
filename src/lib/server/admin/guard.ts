import { error } from '@sveltejs/kit';
import { m } from '$lib/paraglide/messages';
import type { AppRole } from '$lib/staff';
import type { VerifiedClaims } from '$lib/server/auth';

/**
 * Keeps a screen to the roles it is for. The database refuses everyone else anyway; this only
 * spares them a page of errors. Returns the verified claims.
 */
export async function requireRole(locals: App.Locals, roles: readonly AppRole[]): Promise<VerifiedClaims> {
  const claims = await locals.safeGetClaims();
  if (!claims || !claims.role || !roles.includes(claims.role)) error(403, m.error_forbidden());
  return claims;
}
