// Loading what several client pages share, through the signed-in user's own client (RLS).
import { error } from '@sveltejs/kit';
import type { SupabaseClient } from '@supabase/supabase-js';
import type { EndingSoonRow } from '$lib/components/clients/EndingSoonList.svelte';
import { m } from '$lib/paraglide/messages';
import { loadReferenceData } from '$lib/server/reference-data';
import type { Database } from '$lib/supabase/database.types';

type Supabase = SupabaseClient<Database>;
export type ClientRow = Database['public']['Tables']['clients']['Row'];
export type ChildRow = Database['public']['Tables']['client_children']['Row'];
export type TimelineRow = Database['public']['Functions']['client_timeline']['Returns'][number];

/** The period the "ending soon" panel and view cover (their headings say 7 days). */
export const ENDING_SOON_DAYS = 7;
/** How many the panel above the client list shows, soonest first. */
export const ENDING_SOON_SHOWN = 10;

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

/** A page of the active placements whose planned end falls in the next ENDING_SOON_DAYS days, soonest first, and how many there are in all. */
export async function loadEndingSoon(supabase: Supabase, pageSize: number, offset: number): Promise<{ rows: EndingSoonRow[]; total: number }> {
  const { data, error: endingError } = await supabase
    .rpc('placements_ending_soon', { days: ENDING_SOON_DAYS, page_size: pageSize, page_offset: offset })
    .select('placement_id, client_code, safety_level, facility_name, municipality_name_fi, municipality_name_sv, planned_end, total_count');
  if (endingError) unavailable('placements ending soon', endingError);
  const rows = data ?? [];
  return {
    rows: rows.map(({ total_count: _total, ...row }) => row),
    total: Number(rows[0]?.total_count ?? 0)
  };
}

/** From the copy shared by all requests (reference data, the same for every user). */
export async function loadMunicipalities(supabase: Supabase): Promise<{ code: string; name_fi: string; name_sv: string; centre_lon: number; centre_lat: number }[]> {
  try {
    const { municipalities } = await loadReferenceData(supabase);
    return municipalities.map(({ code, name_fi, name_sv, centre_lon, centre_lat }) => ({ code, name_fi, name_sv, centre_lon, centre_lat }));
  } catch (cause) {
    unavailable('municipalities', cause);
  }
}
