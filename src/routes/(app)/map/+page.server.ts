import { loadReferenceData, type ReferenceData } from '$lib/server/reference-data';
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

/**
 * The page's shell and the filter form's choices only. The facilities and their figures are
 * loaded by the browser (see +page.svelte): rendering every facility into the HTML made each
 * page load compute and serialise the whole country (about 740 KB), which held the server to a
 * few pages per second.
 */
export const load: PageServerLoad = async ({ locals, parent }) => {
  // Filters and the selection are read in the page from the URL, not here: changing them must
  // not reload anything from the server.
  const { staff } = await parent();
  const role = staff.role;
  if (!role || !MAP_ROLES.has(role)) {
    return { allowed: false as const };
  }

  // The same for every user, so shared between requests (see reference-data.ts): this page then
  // reads nothing but the session and the profile from the API.
  let reference: ReferenceData;
  try {
    reference = await loadReferenceData(locals.supabase);
  } catch (cause) {
    console.error('Loading the map filters failed', cause);
    return { allowed: true as const, failed: true as const };
  }

  return {
    allowed: true as const,
    failed: false as const,
    live: LIVE_ROLES.has(role),
    regions: reference.regions,
    // The filter form needs names and regions only, not the centre points.
    municipalities: reference.municipalities.map(({ code, name_fi, name_sv, region_code }): AreaOption & { region_code: string } => ({
      code,
      name_fi,
      name_sv,
      region_code
    }))
  };
};
