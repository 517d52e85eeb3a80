import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals }) => {
  // Through the user's own client, so RLS decides what counts: the figure proves the whole path
  // (cookie session → verified token → PostgREST → policies) works for this role.
  const { count, error } = await locals.supabase
    .from('facilities')
    .select('id', { count: 'exact', head: true })
    .eq('active', true);
  if (error) console.error('Counting active facilities failed', error);
  return {
    activeFacilityCount: error ? null : (count ?? 0),
    readAt: new Date().toISOString()
  };
};
