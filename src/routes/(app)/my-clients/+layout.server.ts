import { error } from '@sveltejs/kit';
import { m } from '$lib/paraglide/messages';
import type { LayoutServerLoad } from './$types';

// The caseworker's own view. Other roles have their own screens for clients.
export const load: LayoutServerLoad = async ({ parent }) => {
  const { staff } = await parent();
  if (staff.role !== 'caseworker') error(404, m.error_not_found());
  return {};
};
