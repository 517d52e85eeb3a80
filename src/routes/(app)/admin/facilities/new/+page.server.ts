import { fail, redirect } from '@sveltejs/kit';
import { requireRole } from '$lib/server/admin/guard';
import { validateFacility } from '$lib/server/admin/facility-input';
import { existingFacilityKeys, importFacilities, municipalityCodes, rawFacilityFromForm } from '$lib/server/admin/facilities';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals }) => ({ municipalities: (await municipalityCodes(locals.supabase)).list });

export const actions: Actions = {
  default: async ({ locals, request }) => {
    await requireRole(locals, ['admin']);
    const values = rawFacilityFromForm(await request.formData());
    const { codes } = await municipalityCodes(locals.supabase);
    const result = validateFacility(values, { municipalityCodes: codes });
    if (!result.ok) return fail(400, { values, errors: result.errors as Record<string, string> });
    if ((await existingFacilityKeys(locals.supabase)).has(`${result.row.name.toLowerCase()}|${result.row.municipality_code}`)) {
      return fail(400, { values, errors: { name: 'duplicate_facility' } as Record<string, string> });
    }
    // Facility, exact location and first figure in one transaction.
    const outcome = await importFacilities(locals.supabase, [result.row]);
    if (!outcome.ok) {
      return fail(400, { values, errors: { [outcome.column ?? 'name']: outcome.code === 'rejected' ? 'rejected' : outcome.code } as Record<string, string> });
    }
    redirect(303, `/admin/facilities/${outcome.ids[0]}?created=1`);
  }
};
