import { error, redirect } from '@sveltejs/kit';
import { safeRedirectPath } from '$lib/navigation/safe-redirect';
import { m } from '$lib/paraglide/messages';
import { isLocale } from '$lib/paraglide/runtime';
import { setLocaleCookie } from '$lib/server/locale-cookie';
import type { RequestHandler } from './$types';

/** The language switcher posts here; works without JavaScript (a plain form and a redirect). */
export const POST: RequestHandler = async ({ request, cookies, url, locals }) => {
  const form = await request.formData();
  const locale = form.get('locale');
  if (typeof locale !== 'string' || !isLocale(locale)) error(400, m.error_code_invalid_language());

  setLocaleCookie(cookies, url, locale);

  // Signed in: remember the choice in the profile, so it follows the user to the next sign-in.
  if (await locals.safeGetClaims()) {
    const { error: rpcError } = await locals.supabase.rpc('set_preferred_language', { lang: locale });
    if (rpcError) {
      // The switch still applies in this browser; only the profile keeps the old language.
      console.error('Saving the preferred language failed', rpcError);
    }
  }

  redirect(303, safeRedirectPath(form.get('redirectTo')) ?? '/');
};
