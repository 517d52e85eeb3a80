// The secret-key client, for the Auth admin API and the partner feed. It bypasses row-level
// security, so it lives only here (src/lib/server is never bundled for the browser) and is used
// only for what no signed-in user's client can do.
import { createClient, type SupabaseClient } from '@supabase/supabase-js';
import { env } from '$env/dynamic/private';
import { publicSupabaseConfig } from '$lib/supabase/config';
import type { Database } from '$lib/supabase/database.types';
import { nodeWebSocketTransport } from '$lib/supabase/node-websocket';

export function createServiceClient(): SupabaseClient<Database> {
  const secretKey = env.SUPABASE_SECRET_KEY;
  if (!secretKey) throw new Error('SUPABASE_SECRET_KEY must be set on the server for administration and the partner feed');
  const { url } = publicSupabaseConfig();
  // A fresh client per call: it holds no user session, but nothing about one request should
  // ever be able to leak into another through shared state.
  return createClient<Database>(url, secretKey, {
    auth: { persistSession: false, autoRefreshToken: false, detectSessionInUrl: false },
    realtime: { transport: nodeWebSocketTransport }
  });
}
