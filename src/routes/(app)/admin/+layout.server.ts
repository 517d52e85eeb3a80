import { requireRole } from '$lib/server/admin/guard';
import type { LayoutServerLoad } from './$types';

// Each form action checks the role again (a layout load does not guard actions), and the
// database checks it a third time.
export const load: LayoutServerLoad = async ({ locals }) => {
  await requireRole(locals, ['admin']);
  return {};
};
