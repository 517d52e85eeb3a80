import { error, redirect } from '@sveltejs/kit';
import { isLocale } from '$lib/paraglide/runtime';
import { loginUrlFor } from '$lib/navigation/safe-redirect';
import { m } from '$lib/paraglide/messages';
import { toAppRole, type StaffProfile } from '$lib/staff';
import { readSignInState } from '$lib/server/sign-in-state';
import type { LayoutServerLoad } from './$types';

export const load: LayoutServerLoad = async ({ locals, url, setHeaders }) => {
  const claims = await locals.safeGetClaims();
  if (!claims) redirect(303, loginUrlFor(`${url.pathname}${url.search}`));

  // Pages behind login carry personal data: never keep them in a shared cache.
  setHeaders({ 'cache-control': 'private, no-store' });

  // Read on every request, so a deactivated account or a changed role shows at once; on a GET
  // the sign-in check in hooks.server.ts has already read it in the same call as the session's
  // standing.
  const state = await (locals.signInState ?? readSignInState(locals.supabase));
  if (!state) error(503, m.error_generic());
  const row = state.profile;
  if (!row) error(403, m.error_code_staff_not_found());

  const staff: StaffProfile = {
    id: row.id,
    displayName: row.display_name,
    role: toAppRole(row.role),
    preferredLanguage: isLocale(row.preferred_language) ? row.preferred_language : 'fi'
  };
  return { staff };
};
