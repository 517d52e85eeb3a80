import { createBrowserClient, createServerClient } from '@supabase/ssr';
import { browser } from '$app/environment';
import { publicSupabaseConfig } from '$lib/supabase/config';
import type { Database } from '$lib/supabase/database.types';
import type { LayoutLoad } from './$types';

export const load: LayoutLoad = async ({ data, depends, fetch }) => {
  // Re-run when the session changes (see +layout.svelte).
  depends('supabase:auth');
  const { url, key } = publicSupabaseConfig();

  const supabase = browser
    ? createBrowserClient<Database>(url, key, { global: { fetch } })
    : createServerClient<Database>(url, key, {
        global: { fetch },
        cookies: { getAll: () => data.cookies },
        // Only evaluated on the server (the browser build drops this branch): Node 20 has no
        // global WebSocket, and supabase-js refuses to start without one.
        realtime: { transport: (await import('$lib/supabase/node-websocket')).nodeWebSocketTransport }
      });

  // Client-side bookkeeping only (e.g. noticing a refreshed token); the server decides who the
  // user is with getClaims() in hooks.server.ts.
  const {
    data: { session }
  } = await supabase.auth.getSession();

  return { supabase, session };
};
