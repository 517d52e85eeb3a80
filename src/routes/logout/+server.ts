import { redirect } from '@sveltejs/kit';
import type { RequestHandler } from './$types';

// POST only: a GET that signs out could be triggered by any image tag on any site.
export const POST: RequestHandler = async ({ locals }) => {
  // This browser's session only; signing out everywhere is a separate, deliberate action.
  const { error } = await locals.supabase.auth.signOut({ scope: 'local' });
  if (error) console.error('Sign-out failed on the Auth side; the local session is cleared anyway', error);
  redirect(303, '/login?signedOut=1');
};
