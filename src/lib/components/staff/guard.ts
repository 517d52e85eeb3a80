import { error } from '@sveltejs/kit';
import { m } from '$lib/paraglide/messages';
import type { VerifiedClaims } from '$lib/server/auth';

/**
 * The staff screens are for facility staff only. Coordinators work from the map's facility panel
 * and their placement screens, which already show every facility's figures and holds; a second,
 * membership-free path into these screens would only blur whose answer a hold received. The
 * database enforces membership on every read and action regardless.
 */
export async function requireFacilityStaff(locals: App.Locals): Promise<VerifiedClaims> {
  const claims = await locals.safeGetClaims();
  // The (app) guard has already sent signed-out visitors to the sign-in page.
  if (!claims || claims.role !== 'facility_staff') error(403, m.staff_error_not_staff());
  return claims;
}
