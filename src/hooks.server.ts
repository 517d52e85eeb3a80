import { redirect, type Handle } from '@sveltejs/kit';
import { sequence } from '@sveltejs/kit/hooks';
import { loginUrlFor } from '$lib/navigation/safe-redirect';
import { paraglideMiddleware } from '$lib/paraglide/server';
import { verifyClaims } from '$lib/server/auth';
import { idleTimeout, loginThrottle, requireStrongSignIn, sameSiteFormPosts, securityHeaders } from '$lib/server/security/hooks';
import { createRequestSupabaseClient } from '$lib/server/supabase';

const supabase: Handle = async ({ event, resolve }) => {
  event.locals.supabase = createRequestSupabaseClient(event);
  // Verified before anything renders: a token refresh writes new cookies, which is only possible
  // while the response has not started.
  const claims = await verifyClaims(event.locals.supabase);
  event.locals.safeGetClaims = () => Promise.resolve(claims);

  return resolve(event, {
    // supabase-js reads these from responses that SvelteKit replays during hydration.
    filterSerializedResponseHeaders: (name) => name === 'content-range' || name === 'x-supabase-api-version'
  });
};

/**
 * Everything in the (app) group needs a signed-in user. Checked here as well as in the group's
 * layout load, because form actions and page loads do not wait for the layout's redirect.
 */
const requireSignInForApp: Handle = async ({ event, resolve }) => {
  if (event.route.id?.startsWith('/(app)') && !(await event.locals.safeGetClaims())) {
    redirect(303, loginUrlFor(`${event.url.pathname}${event.url.search}`));
  }
  return resolve(event);
};

const i18n: Handle = ({ event, resolve }) =>
  paraglideMiddleware(event.request, ({ request, locale }) => {
    event.request = request;
    return resolve(event, {
      transformPageChunk: ({ html }) => html.replace('%paraglide.lang%', locale)
    });
  });

// Security headers go on every rendered response (error pages too); the idle check runs before
// anything reads data, and the assurance check after the sign-in check it refines.
export const handle: Handle = sequence(
  sameSiteFormPosts,
  securityHeaders,
  supabase,
  idleTimeout,
  requireSignInForApp,
  requireStrongSignIn,
  loginThrottle,
  i18n
);
