import { redirect } from '@sveltejs/kit';
import { loadEndingSoon } from '../clients.server';
import type { PageServerLoad } from './$types';

const PAGE_SIZE = 50;

/** Every placement ending soon, a page at a time: the client list's panel shows only the nearest few. */
export const load: PageServerLoad = async ({ locals, url, parent }) => {
  // The clients layout lets coordinators only; wait for it so no one else's request reads anything.
  await parent();
  const requested = Number(url.searchParams.get('page'));
  // Bounded so that the offset stays within the database's integer.
  const page = Number.isInteger(requested) && requested > 1 && requested <= 1_000_000 ? requested : 1;
  const { rows, total } = await loadEndingSoon(locals.supabase, PAGE_SIZE, (page - 1) * PAGE_SIZE);
  // Past the last page (an old link after placements ended): start from the first.
  if (rows.length === 0 && page > 1) redirect(303, url.pathname);
  return { rows, total, page, pageSize: PAGE_SIZE, now: new Date().toISOString() };
};
