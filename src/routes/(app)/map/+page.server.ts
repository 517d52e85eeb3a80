import { fetchAllAvailability, type FacilityAvailability } from '$lib/map/facilities';
import type { PageServerLoad } from './$types';

/** Roles that see free places; the database decides which facilities each of them sees. */
const MAP_ROLES = new Set(['coordinator', 'facility_staff', 'admin', 'caseworker']);
/** Roles the database lets join the `availability` topic (private.can_read_topic). */
const LIVE_ROLES = new Set(['coordinator', 'facility_staff', 'admin']);

interface AreaOption {
  code: string;
  name_fi: string;
  name_sv: string;
}

export const load: PageServerLoad = async ({ locals, parent }) => {
  // Filters and the selection are read in the page from the URL, not here: changing them must
  // not reload every facility from the server.
  const { staff } = await parent();
  const role = staff.role;
  if (!role || !MAP_ROLES.has(role)) {
    return { allowed: false as const };
  }

  const [availability, regions, municipalities] = await Promise.all([
    fetchAllAvailability(locals.supabase).then(
      (rows) => ({ rows, error: null }),
      (error: unknown) => ({ rows: [] as FacilityAvailability[], error })
    ),
    locals.supabase.from('regions').select('code, name_fi, name_sv').order('code'),
    locals.supabase.from('municipalities').select('code, name_fi, name_sv, region_code').order('name_fi')
  ]);
  if (availability.error || regions.error || municipalities.error) {
    console.error('Loading the map data failed', availability.error ?? regions.error ?? municipalities.error);
    return { allowed: true as const, failed: true as const };
  }

  const facilities = availability.rows;
  const usedMunicipalities = new Set(facilities.map((row) => row.municipality_code));
  const usedRegions = new Set(facilities.map((row) => row.region_code));

  return {
    allowed: true as const,
    failed: false as const,
    facilities,
    live: LIVE_ROLES.has(role),
    loadedAt: new Date().toISOString(),
    // Filter choices: only areas where the user has facilities to find.
    regions: (regions.data as AreaOption[]).filter((region) => usedRegions.has(region.code)),
    municipalities: (municipalities.data as (AreaOption & { region_code: string })[]).filter((row) => usedMunicipalities.has(row.code))
  };
};
