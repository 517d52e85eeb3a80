import { fail, redirect } from '@sveltejs/kit';
import { loginFailureFor, parseLoginForm, type LoginFailure, type LoginFieldErrors } from '$lib/auth/login';
import { afterSignInPath } from '$lib/navigation/safe-redirect';
import { isLocale } from '$lib/paraglide/runtime';
import { setLocaleCookie } from '$lib/server/locale-cookie';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals, url }) => {
  if (await locals.safeGetClaims()) redirect(303, afterSignInPath(url.searchParams.get('redirectTo')));
  return {
    notice: url.searchParams.has('signedOut')
      ? ('signedOut' as const)
      : url.searchParams.has('redirectTo')
        ? ('continue' as const)
        : null,
    redirectTo: afterSignInPath(url.searchParams.get('redirectTo'))
  };
};

export interface LoginActionFailure {
  email: string;
  fieldErrors: LoginFieldErrors;
  failure: LoginFailure | null;
}

export const actions: Actions = {
  default: async ({ request, locals, cookies, url }) => {
    const form = await request.formData();
    const parsed = parseLoginForm(form);
    if (!parsed.ok) {
      const invalid: LoginActionFailure = { email: parsed.email, fieldErrors: parsed.errors, failure: null };
      return fail(400, invalid);
    }

    const { data, error } = await locals.supabase.auth.signInWithPassword(parsed.input);
    if (error || !data.user) {
      const failure = error ? loginFailureFor(error) : 'unavailable';
      if (failure === 'unavailable') console.error('Sign-in failed on the Auth side', error);
      const refused: LoginActionFailure = { email: parsed.input.email, fieldErrors: {}, failure };
      return fail(failure === 'too_many_attempts' ? 429 : failure === 'unavailable' ? 503 : 400, refused);
    }

    // The language the user chose last time (on any device) becomes this browser's language.
    const { data: staff, error: staffError } = await locals.supabase
      .from('staff')
      .select('preferred_language')
      .eq('id', data.user.id)
      .maybeSingle();
    if (staffError) console.error('Reading the preferred language failed', staffError);
    if (staff && isLocale(staff.preferred_language)) setLocaleCookie(cookies, url, staff.preferred_language);

    redirect(303, afterSignInPath(form.get('redirectTo')));
  }
};
