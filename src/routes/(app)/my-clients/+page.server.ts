import { error } from '@sveltejs/kit';
import type { ClientListRow } from '$lib/components/clients/types';
import { m } from '$lib/paraglide/messages';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals, parent }) => {
  await parent();
  // client_list shows a caseworker only the clients assigned to them (checked in the database).
  const { data, error: listError } = await locals.supabase.rpc('client_list', { page_size: 200, page_offset: 0 });
  if (listError) {
    console.error('Reading the caseworker’s clients failed', listError);
    error(503, m.error_generic());
  }
  return { rows: (data ?? []) as ClientListRow[], now: new Date().toISOString() };
};
