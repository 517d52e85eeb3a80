// Loading what several client pages share, through the signed-in user's own client (RLS).
import { error } from '@sveltejs/kit';
import type { SupabaseClient } from '@supabase/supabase-js';
import { m } from '$lib/paraglide/messages';
import type { Database } from '$lib/supabase/database.types';

type Supabase = SupabaseClient<Database>;
export type ClientRow = Database['public']['Tables']['clients']['Row'];
export type ChildRow = Database['public']['Tables']['client_children']['Row'];
export type TimelineRow = Database['public']['Functions']['client_timeline']['Returns'][number];

const CODE = /^AS-[2-9A-HJKMNP-Z]{4,6}$/;

function unavailable(what: string, cause: unknown): never {
  console.error(`Reading ${what} failed`, cause);
  error(503, m.error_generic());
}

/** The client with this code and their children; 404 when RLS shows no such client. */
export async function loadClientByCode(supabase: Supabase, code: string): Promise<{ client: ClientRow; children: ChildRow[] }> {
  if (!CODE.test(code)) error(404, m.error_not_found());
  const { data: client, error: clientError } = await supabase.from('clients').select('*').eq('code', code).maybeSingle();
  if (clientError) unavailable('a client', clientError);
  if (!client) error(404, m.error_not_found());
  const { data: children, error: childrenError } = await supabase
    .from('client_children')
    .select('*')
    .eq('client_id', client.id)
    .order('birth_year')
    .order('id');
  if (childrenError) unavailable('children', childrenError);
  return { client, children: children ?? [] };
}

export async function loadTimeline(supabase: Supabase, clientId: string): Promise<TimelineRow[]> {
  const { data, error: timelineError } = await supabase.rpc('client_timeline', { client_id: clientId });
  if (timelineError) unavailable('a housing timeline', timelineError);
  return data ?? [];
}

export async function loadCaseworkers(supabase: Supabase): Promise<{ id: string; display_name: string }[]> {
  const { data, error: directoryError } = await supabase.rpc('caseworker_directory');
  if (directoryError) unavailable('the caseworkers', directoryError);
  return data ?? [];
}

export async function loadMunicipalities(supabase: Supabase): Promise<{ code: string; name_fi: string; name_sv: string; centre_lon: number; centre_lat: number }[]> {
  const { data, error: municipalityError } = await supabase
    .from('municipalities')
    .select('code, name_fi, name_sv, centre_lon, centre_lat')
    .order('name_fi');
  if (municipalityError) unavailable('municipalities', municipalityError);
  return data ?? [];
}
