import { fail, redirect } from '@sveltejs/kit';
import { env } from '$env/dynamic/private';
import { forgetActivity, idleTimeoutMs } from '$lib/server/security/idle';
import { signInAssurance, verifiedTotpFactors } from '$lib/server/security/mfa';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals, url }) => {
  const [assurance, factors] = await Promise.all([signInAssurance(locals.supabase), verifiedTotpFactors(locals.supabase)]);
  return {
    factor: factors?.[0] ?? null,
    mfaRequired: assurance?.mfaRequired ?? false,
    idleMinutes: Math.round(idleTimeoutMs(env.IDLE_TIMEOUT_MINUTES) / 60_000),
    notice: url.searchParams.get('mfa') === 'enabled' ? ('enabled' as const) : null
  };
};

export type AccountFailure = 'needs_code' | 'not_saved';

export const actions: Actions = {
  removeFactor: async ({ locals, request }) => {
    const factorId = (await request.formData()).get('factorId');
    if (typeof factorId !== 'string') return fail(400, { failure: 'not_saved' as AccountFailure });
    const { error } = await locals.supabase.auth.mfa.unenroll({ factorId });
    if (error) {
      return fail(error.code === 'insufficient_aal' ? 403 : 503, {
        failure: (error.code === 'insufficient_aal' ? 'needs_code' : 'not_saved') as AccountFailure
      });
    }
    return { removed: true };
  },
  signOutEverywhere: async ({ locals, cookies }) => {
    // Every session of this user ends at once (Auth revokes their refresh tokens); access
    // tokens already issued stop working at Auth at once and everywhere else within the hour.
    const { error } = await locals.supabase.auth.signOut({ scope: 'global' });
    if (error) {
      console.error('Signing out everywhere failed on the Auth side', error.code);
      return fail(503, { failure: 'not_saved' as AccountFailure });
    }
    forgetActivity(cookies);
    redirect(303, '/login?signedOut=1');
  }
};
