// The security parts of the request pipeline (hooks.server.ts puts them in order).
import { redirect, type Handle } from '@sveltejs/kit';
import { env as privateEnv } from '$env/dynamic/private';
import { env as publicEnv } from '$env/dynamic/public';
import { readSignInState } from '$lib/server/sign-in-state';
import { publicSupabaseConfig } from '$lib/supabase/config';
import { connectOrigins, extendDirective, staticSecurityHeaders } from './headers';
import { forgetActivity, idleExpired, idleTimeoutMs, LAST_ACTIVITY_COOKIE, recordActivity } from './idle';
import { FailureWindow, throttlePasswordSignIn, throttleSettings } from './login-throttle';

const FORM_CONTENT_TYPES = ['application/x-www-form-urlencoded', 'multipart/form-data', 'text/plain'];

/**
 * The half of the CSRF check that SvelteKit leaves to us (svelte.config.js trusts `Origin: null`):
 * a form post with `Origin: null` is accepted only when the browser itself says it came from
 * this site (`Sec-Fetch-Site`, which pages cannot set). Sandboxed frames and data: URLs on other
 * sites also send `Origin: null`; they get `cross-site` and are refused.
 */
export function nullOriginFormPostAllowed(request: Request): boolean {
  if (!['POST', 'PUT', 'PATCH', 'DELETE'].includes(request.method)) return true;
  const type = request.headers.get('content-type')?.split(';')[0]?.trim().toLowerCase() ?? '';
  if (!FORM_CONTENT_TYPES.includes(type)) return true;
  if (request.headers.get('origin') !== 'null') return true;
  return request.headers.get('sec-fetch-site') === 'same-origin';
}

export const sameSiteFormPosts: Handle = async ({ event, resolve }) => {
  if (!nullOriginFormPostAllowed(event.request)) {
    return new Response(`Cross-site ${event.request.method} form submissions are forbidden`, { status: 403 });
  }
  return resolve(event);
};

export const securityHeaders: Handle = async ({ event, resolve }) => {
  const response = await resolve(event);
  const headers = staticSecurityHeaders(event.url);
  for (const [name, value] of Object.entries(headers)) {
    if (!response.headers.has(name)) response.headers.set(name, value);
  }
  const policy = response.headers.get('content-security-policy');
  if (policy) {
    const origins = connectOrigins(publicSupabaseConfig().url, publicEnv.PUBLIC_MAP_STYLE_URL);
    response.headers.set('content-security-policy', extendDirective(extendDirective(policy, 'connect-src', origins), 'img-src', origins));
  }
  return response;
};

/**
 * Signs out a session that has been idle longer than IDLE_TIMEOUT_MINUTES (default 30) before
 * the request reads anything, and renews the activity time of every other signed-in request.
 */
export const idleTimeout: Handle = async ({ event, resolve }) => {
  const claims = await event.locals.safeGetClaims();
  if (!claims) return resolve(event);
  const timeout = idleTimeoutMs(privateEnv.IDLE_TIMEOUT_MINUTES);
  const now = Date.now();
  if (idleExpired(event.cookies.get(LAST_ACTIVITY_COOKIE), now, timeout)) {
    const { error } = await event.locals.supabase.auth.signOut({ scope: 'local' });
    if (error) console.error('Ending an idle session failed on the Auth side; its cookies are cleared anyway', error.code);
    forgetActivity(event.cookies);
    event.locals.safeGetClaims = () => Promise.resolve(null);
    if (event.route.id?.startsWith('/(app)') || event.request.method !== 'GET') redirect(303, '/login?signedOut=1');
    return resolve(event);
  }
  // The connection notice's background probe is not activity: an open, untouched tab must still
  // reach the timeout.
  if (event.url.pathname !== HEALTH_PROBE_PATH) recordActivity(event.cookies, event.url, now, timeout);
  return resolve(event);
};

/** GET by the signed-in pages every few seconds (src/routes/api/health). */
const HEALTH_PROBE_PATH = '/api/health';

/**
 * Pages behind login need a session that still exists in Auth (an access token outlives "sign
 * out everywhere" by up to an hour) and, for staff whose role needs a second factor or who have
 * enrolled one, a verified code: otherwise the user goes to /login or /mfa. The database refuses
 * their data anyway; this only saves them an empty screen.
 */
export const requireStrongSignIn: Handle = async ({ event, resolve }) => {
  if (!event.route.id?.startsWith('/(app)') || !(await event.locals.safeGetClaims())) return resolve(event);
  const state = readSignInState(event.locals.supabase);
  // The same call brings the staff profile, which the (app) layout would otherwise read again.
  // Only a GET or HEAD hands it on: it runs no form action, so nothing changes the profile before
  // the layout renders it; after an action (a new language, say) the layout reads it afresh.
  if (event.request.method === 'GET' || event.request.method === 'HEAD') event.locals.signInState = state;
  const assurance = (await state)?.assurance ?? null;
  if (assurance && !assurance.sessionActive) {
    await event.locals.supabase.auth.signOut({ scope: 'local' });
    forgetActivity(event.cookies);
    redirect(303, '/login?signedOut=1');
  }
  if (assurance && !assurance.satisfied) {
    redirect(303, `/mfa?next=${encodeURIComponent(`${event.url.pathname}${event.url.search}`)}`);
  }
  return resolve(event);
};

// Shared by all requests on purpose: it counts failures per client address, not per user.
// Created on first use, when the runtime environment is known.
let loginFailures: FailureWindow | undefined;

export const loginThrottle: Handle = async ({ event, resolve }) => {
  if (event.route.id === '/(auth)/login' && event.request.method === 'POST') {
    if (!loginFailures) {
      const { maxFailures, windowMs } = throttleSettings(privateEnv.LOGIN_THROTTLE_MAX_FAILURES, privateEnv.LOGIN_THROTTLE_WINDOW_MINUTES);
      loginFailures = new FailureWindow(maxFailures, windowMs);
    }
    throttlePasswordSignIn(event.locals.supabase, loginFailures, event.getClientAddress());
  }
  return resolve(event);
};
