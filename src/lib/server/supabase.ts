import { createServerClient } from '@supabase/ssr';
import type { SupabaseClient } from '@supabase/supabase-js';
import type { Cookies } from '@sveltejs/kit';
import { publicSupabaseConfig } from '$lib/supabase/config';
import type { Database } from '$lib/supabase/database.types';
import { nodeWebSocketTransport } from '$lib/supabase/node-websocket';
import { secureCookies } from './cookies';

/**
 * A Supabase client acting as the user whose auth cookies came with this request. One per
 * request: it holds that user's session, so sharing it would leak sessions between users.
 */
export function createRequestSupabaseClient(event: {
  cookies: Cookies;
  url: URL;
  setHeaders: (headers: Record<string, string>) => void;
}): SupabaseClient<Database> {
  const { url, key } = publicSupabaseConfig();
  const secure = secureCookies(event.url);
  return createServerClient<Database>(url, key, {
    cookies: {
      getAll: () => event.cookies.getAll(),
      setAll: (cookiesToSet, headers) => {
        for (const { name, value, options } of cookiesToSet) {
          event.cookies.set(name, value, { ...options, path: '/', secure });
        }
        // No-store headers so that no cache ever hands one user's refreshed session to another.
        if (Object.keys(headers).length > 0) event.setHeaders(headers);
      }
    },
    realtime: { transport: nodeWebSocketTransport }
  });
}
