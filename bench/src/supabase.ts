// supabase-js clients as the app makes them, for Node: the `ws` transport (Node 20 has no global
// WebSocket) and no session persistence.
import { createClient, type SupabaseClient } from '@supabase/supabase-js';
import WebSocket from 'ws';
import type { RunningStack } from '../../local-stack/src/stack.ts';

export const COORDINATOR = { email: 'coordinator@suoja.example', password: 'suoja-demo' } as const;
export const COORDINATOR_ID = 'a0000000-0000-4000-8000-000000000001';
/** The client safe_place_search is benchmarked for (bench/sql/dataset.sql). */
export const SEARCH_CLIENT_ID = 'b0000000-0000-4000-8000-000000000001';
export const SEARCH_CLIENT_CODE = 'AS-BENCH';

const transport = WebSocket as unknown as typeof globalThis.WebSocket;

/** A client that sends `accessToken` as the user's Bearer, without signing in again. */
export function clientWithToken(stack: RunningStack, accessToken: string): SupabaseClient {
  return createClient(stack.url, stack.publishableKey, {
    auth: { persistSession: false, autoRefreshToken: false },
    global: { headers: { Authorization: `Bearer ${accessToken}` } },
    realtime: { transport },
  });
}

/** Signs the demo coordinator in once; the token then serves every simulated session. */
export async function coordinatorToken(stack: RunningStack): Promise<string> {
  const client = createClient(stack.url, stack.publishableKey, {
    auth: { persistSession: false, autoRefreshToken: false },
    realtime: { transport },
  });
  const { data, error } = await client.auth.signInWithPassword(COORDINATOR);
  if (error || !data.session) throw new Error(`the coordinator could not sign in: ${error?.message ?? 'no session'}`);
  return data.session.access_token;
}
