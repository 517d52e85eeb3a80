import { error } from '@sveltejs/kit';
import { m } from '$lib/paraglide/messages';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals }) => {
  const { data, error: listError } = await locals.supabase
    .from('facilities')
    .select('id, name, kind, municipality_code, security_rating, active, municipalities(name_fi, name_sv)')
    .order('name');
  if (listError) {
    console.error('Listing facilities failed', listError);
    error(503, m.error_generic());
  }
  return { facilities: data };
};
