import { error } from '@sveltejs/kit';
import { m } from '$lib/paraglide/messages';
import type { LayoutServerLoad } from './$types';

// Client pages are the coordinator's. Anyone else gets "not found", not "forbidden": a caseworker
// who guesses another client's code must not learn that the client exists. RLS would show them
// nothing anyway; this keeps the screens from rendering half-empty.
export const load: LayoutServerLoad = async ({ parent }) => {
  const { staff } = await parent();
  if (staff.role !== 'coordinator') error(404, m.error_not_found());
  return {};
};
