import { env } from '$env/dynamic/public';

/**
 * The project URL and publishable key, read at runtime so one build serves any environment.
 * The publishable key is meant for browsers; the secret key never comes through here.
 */
export function publicSupabaseConfig(): { url: string; key: string } {
  const url = env.PUBLIC_SUPABASE_URL;
  const key = env.PUBLIC_SUPABASE_PUBLISHABLE_KEY;
  if (!url || !key) {
    throw new Error(
      'PUBLIC_SUPABASE_URL and PUBLIC_SUPABASE_PUBLISHABLE_KEY must be set (npm run dev sets them for the local stack)'
    );
  }
  return { url, key };
}
