import { fail, redirect } from '@sveltejs/kit';
import { afterSignInPath, loginUrlFor } from '$lib/navigation/safe-redirect';
import { signInAssurance, startEnrolment, verifiedTotpFactors, verifyCode, type Enrolment, type MfaFailure } from '$lib/server/security/mfa';
import type { Actions, PageServerLoad } from './$types';

/** Where to go once verified: the page that sent the user here, when it is on this site. */
function nextPath(url: URL): string {
  return afterSignInPath(url.searchParams.get('next'));
}

export const load: PageServerLoad = async ({ locals, url, setHeaders }) => {
  if (!(await locals.safeGetClaims())) redirect(303, loginUrlFor(`${url.pathname}${url.search}`));
  // The enrolment secret passes through this page: never from a cache.
  setHeaders({ 'cache-control': 'private, no-store' });

  const [assurance, factors] = await Promise.all([signInAssurance(locals.supabase), verifiedTotpFactors(locals.supabase)]);
  const factorId = factors?.[0]?.id ?? null;
  const setup = url.searchParams.has('setup');
  // Nothing to do here: already verified this session, or not asked for and not needed.
  if (assurance?.currentLevel === 'aal2' && factorId) redirect(303, nextPath(url));
  if (!factorId && !setup && assurance && !assurance.mfaRequired) redirect(303, nextPath(url));

  return {
    mode: factorId ? ('verify' as const) : ('enrol' as const),
    factorId,
    required: assurance?.mfaRequired ?? false,
    next: nextPath(url)
  };
};

export interface MfaActionFailure {
  failure: MfaFailure | 'enrolment_failed';
  enrolment: Enrolment | null;
}

function enrolmentFrom(form: FormData): Enrolment | null {
  const factorId = form.get('factorId');
  const qrDataUrl = form.get('qrDataUrl');
  const secret = form.get('secret');
  if (typeof factorId !== 'string' || typeof qrDataUrl !== 'string' || typeof secret !== 'string') return null;
  if (!qrDataUrl.startsWith('data:image/svg+xml;') || !/^[A-Z2-7]{16,64}$/.test(secret)) return null;
  return { factorId, qrDataUrl, secret };
}

export const actions: Actions = {
  enrol: async ({ locals }) => {
    if (!(await locals.safeGetClaims())) redirect(303, '/login');
    const enrolment = await startEnrolment(locals.supabase);
    if (!enrolment) return fail(503, { failure: 'enrolment_failed', enrolment: null } satisfies MfaActionFailure);
    return { enrolment };
  },
  verify: async ({ locals, request }) => {
    if (!(await locals.safeGetClaims())) redirect(303, '/login');
    const form = await request.formData();
    const factorId = form.get('factorId');
    const code = form.get('code');
    const enrolment = enrolmentFrom(form);
    if (typeof factorId !== 'string' || typeof code !== 'string') {
      return fail(400, { failure: 'code_format', enrolment } satisfies MfaActionFailure);
    }
    const failure = await verifyCode(locals.supabase, factorId, code);
    if (failure) {
      const status = failure === 'too_many_attempts' ? 429 : failure === 'unavailable' ? 503 : 400;
      return fail(status, { failure, enrolment } satisfies MfaActionFailure);
    }
    // The action's own URL (?/verify) has no query of the page, so the form carries `next`.
    const next = afterSignInPath(form.get('next'));
    redirect(303, enrolment && next === '/account' ? '/account?mfa=enabled' : next);
  }
};
