import { error, fail } from '@sveltejs/kit';
import { m } from '$lib/paraglide/messages';
import { requireRole } from '$lib/server/admin/guard';
import { validateFacility } from '$lib/server/admin/facility-input';
import { municipalityCodes, rawFacilityFromForm } from '$lib/server/admin/facilities';
import { rpcFailure } from '$lib/server/admin/rpc-error';
import type { Actions, PageServerLoad } from './$types';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export const load: PageServerLoad = async ({ locals, params, url }) => {
  if (!UUID.test(params.id)) error(404, m.error_not_found());
  const [facility, municipalities] = await Promise.all([
    locals.supabase.from('facilities').select('*').eq('id', params.id).maybeSingle(),
    municipalityCodes(locals.supabase)
  ]);
  if (facility.error) error(503, m.error_generic());
  if (!facility.data) error(404, m.error_not_found());
  const f = facility.data;
  return {
    facility: { id: f.id, name: f.name, active: f.active },
    created: url.searchParams.has('created'),
    values: {
      name: f.name,
      kind: f.kind,
      operator: f.operator,
      municipality_code: f.municipality_code,
      security_rating: String(f.security_rating),
      gender_policy: f.gender_policy,
      takes_children: String(f.takes_children),
      boys_max_age: f.boys_max_age === null ? '' : String(f.boys_max_age),
      wheelchair_access: String(f.wheelchair_access),
      pets_allowed: String(f.pets_allowed),
      staff_languages: f.staff_languages.join(' '),
      staffed_24h: String(f.staffed_24h),
      turnaround_hours: String(f.turnaround_hours),
      contact_line: f.contact_line,
      active: String(f.active)
    } as Record<string, string>,
    municipalities: municipalities.list
  };
};

export const actions: Actions = {
  default: async ({ locals, params, request }) => {
    await requireRole(locals, ['admin']);
    const values = rawFacilityFromForm(await request.formData());
    const { codes } = await municipalityCodes(locals.supabase);
    const result = validateFacility(values, { municipalityCodes: codes, locationOptional: true });
    if (!result.ok) return fail(400, { values, errors: result.errors as Record<string, string> });
    if (result.row.capacity !== null) return fail(400, { values, errors: { capacity: 'invalid' } as Record<string, string> });

    const { row } = result;
    const { error: updateError, count } = await locals.supabase
      .from('facilities')
      .update(
        {
          name: row.name,
          kind: row.kind,
          operator: row.operator,
          municipality_code: row.municipality_code,
          security_rating: row.security_rating,
          gender_policy: row.gender_policy,
          takes_children: row.takes_children,
          boys_max_age: row.boys_max_age,
          wheelchair_access: row.wheelchair_access,
          pets_allowed: row.pets_allowed,
          staff_languages: row.staff_languages,
          staffed_24h: row.staffed_24h,
          turnaround_hours: row.turnaround_hours,
          contact_line: row.contact_line,
          active: values.active === 'true'
        },
        { count: 'exact' }
      )
      .eq('id', params.id);
    if (updateError || count !== 1) {
      console.error('Updating a facility failed', updateError);
      return fail(updateError ? 400 : 404, { values, errors: { name: 'rejected' } as Record<string, string> });
    }
    if (!result.keepLocation) {
      const { error: locationError } = await locals.supabase.rpc('set_facility_location', {
        facility_id: params.id,
        street_address: row.street_address,
        postal_code: row.postal_code,
        lon: row.lon,
        lat: row.lat
      });
      if (locationError) {
        console.error('Recording the location failed', rpcFailure(locationError).code);
        return fail(400, { values, errors: { street_address: 'rejected' } as Record<string, string> });
      }
    }
    return { saved: true };
  }
};
