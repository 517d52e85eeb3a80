import { browser } from '$app/environment';
import type { LayoutLoad } from './$types';

export const load: LayoutLoad = async ({ data, depends, fetch }) => {
  // Re-run when the session changes (see +layout.svelte).
  depends('supabase:auth');

  // On the server, pages read through locals.supabase (hooks.server.ts) and nothing rendered
  // there uses a client from here. In the browser only a signed-in user needs one (live updates,
  // noticing a refreshed token), so the sign-in page and the public pages never load supabase-js.
  if (!browser || !data.signedIn) return { supabase: undefined, session: null };

  const { createBrowserSupabase } = await import('$lib/supabase/browser-client');
  const supabase = createBrowserSupabase(fetch);

  // Client-side bookkeeping only (e.g. noticing a refreshed token); the server decides who the
  // user is with getClaims() in hooks.server.ts.
  const {
    data: { session }
  } = await supabase.auth.getSession();

  return { supabase, session };
};
