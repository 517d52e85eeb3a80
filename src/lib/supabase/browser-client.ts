// The Supabase client of a signed-in user's browser. Its own module so that the root layout can
// import it (and with it supabase-js) only when someone is signed in: the sign-in page and the
// public pages never download it.
import { createBrowserClient } from '@supabase/ssr';
import type { SupabaseClient } from '@supabase/supabase-js';
import { publicSupabaseConfig } from './config';
import type { Database } from './database.types';

export function createBrowserSupabase(fetch: typeof globalThis.fetch): SupabaseClient<Database> {
  const { url, key } = publicSupabaseConfig();
  // A singleton in the browser (@supabase/ssr's default): every load gets the same client.
  return createBrowserClient<Database>(url, key, { global: { fetch } });
}
