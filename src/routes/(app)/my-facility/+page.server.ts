import { error, redirect } from '@sveltejs/kit';
import { listMyFacilities } from '$lib/components/staff/facility-data';
import { requireFacilityStaff } from '$lib/components/staff/guard';
import { m } from '$lib/paraglide/messages';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals }) => {
  const claims = await requireFacilityStaff(locals);
  let facilities;
  try {
    facilities = await listMyFacilities(locals.supabase, claims.userId);
  } catch (failure) {
    console.error('Listing the staff member’s facilities failed', failure);
    error(503, m.staff_error_load());
  }
  // One facility (the usual case): straight to it, so the screen opens in one step.
  if (facilities.length === 1 && facilities[0]) redirect(303, `/my-facility/${facilities[0].id}`);
  return { facilities };
};
