// Regions and municipalities, kept in the server process for a while instead of being read on
// every page load. Safe to share between users because the rows do not depend on who reads them:
// RLS lets every role read all of them (regions_select_staff / municipalities_select_staff:
// `current_app_role() is not null`), anon reads none, and they change only by migration.
// Anything that depends on the user or the role must never be kept here.
import type { SupabaseClient } from '@supabase/supabase-js';
import type { Database } from '$lib/supabase/database.types';

export interface Region {
  code: string;
  name_fi: string;
  name_sv: string;
}

export interface Municipality {
  code: string;
  name_fi: string;
  name_sv: string;
  region_code: string;
  centre_lon: number;
  centre_lat: number;
}

export interface ReferenceData {
  /** In code order. */
  regions: Region[];
  /** In Finnish name order. */
  municipalities: Municipality[];
}

/**
 * One value shared by all requests for `ttlMs`. It is filled through the reader of whichever
 * request finds it missing or stale, and kept only when `shareable` says the answer is the one
 * every user would get: a reader who may see nothing (an empty answer) gets their own answer,
 * which is not kept. A failed read is not kept either.
 */
export class SharedValue<T> {
  #value: T | undefined;
  #expiresAt = 0;

  constructor(
    private readonly ttlMs: number,
    private readonly shareable: (value: T) => boolean,
    private readonly now: () => number = Date.now
  ) {}

  async get(read: () => Promise<T>): Promise<T> {
    if (this.#value !== undefined && this.now() < this.#expiresAt) return this.#value;
    const value = await read();
    if (this.shareable(value)) {
      this.#value = value;
      this.#expiresAt = this.now() + this.ttlMs;
    }
    return value;
  }
}

/** Long enough to spare the API on busy pages; short enough that a migration shows within minutes without a restart. */
export const REFERENCE_DATA_TTL_MS = 10 * 60_000;

const shared = new SharedValue<ReferenceData>(
  REFERENCE_DATA_TTL_MS,
  (data) => data.regions.length > 0 && data.municipalities.length > 0
);

/** Throws when either read fails; the caller decides how the page shows it. */
async function readReferenceData(supabase: SupabaseClient<Database>): Promise<ReferenceData> {
  const [regions, municipalities] = await Promise.all([
    supabase.from('regions').select('code, name_fi, name_sv').order('code'),
    supabase.from('municipalities').select('code, name_fi, name_sv, region_code, centre_lon, centre_lat').order('name_fi')
  ]);
  if (regions.error) throw new Error('Reading the regions failed', { cause: regions.error });
  if (municipalities.error) throw new Error('Reading the municipalities failed', { cause: municipalities.error });
  return { regions: regions.data, municipalities: municipalities.data };
}

/** Regions and municipalities through the signed-in user's client, or from the shared copy. */
export function loadReferenceData(supabase: SupabaseClient<Database>): Promise<ReferenceData> {
  return shared.get(() => readReferenceData(supabase));
}
