// 1. Availability of all facilities (the map's data) and 2. the safe-place search, each through
// supabase-js -> gateway -> PostgREST -> Postgres as a signed-in coordinator, next to the floor of
// that path: bench_noop(), an RPC that does nothing.
import type { SupabaseClient } from '@supabase/supabase-js';
import type { RunningStack } from '../../local-stack/src/stack.ts';
import { sampleLatency, type SamplingOptions } from './sampling.ts';
import { ratio, type Summary } from './stats.ts';
import { clientWithToken, SEARCH_CLIENT_ID } from './supabase.ts';

/** The columns the map page selects (src/lib/map/facilities.ts AVAILABILITY_COLUMNS). */
const MAP_COLUMNS =
  'facility_id, name, kind, operator, municipality_code, municipality_name_fi, municipality_name_sv, region_code, approx_lon, approx_lat, security_rating, gender_policy, takes_children, boys_max_age, wheelchair_access, pets_allowed, staff_languages, staffed_24h, active, capacity, free_places, over_occupied, is_stale, status, last_confirmed_at, last_confirmed_role';
/** PostgREST's db-max-rows, as the Supabase CLI and hosted projects configure it. */
const MAX_ROWS = 1000;
/** Lahti: a reference point the coordinator searches around. */
const REFERENCE_POINT = { ref_lon: 25.6615, ref_lat: 60.9827 };

export interface QueryFigure {
  latency: Summary;
  ratioP50: number | null;
  ratioP95: number | null;
  rows: number;
  requests: number;
  jsonBytes: number;
  /** Requests that failed (counted in the latency: the caller waited that long for an error). */
  failures?: number;
  note?: string;
}

export interface QueryResults {
  baseline: Summary;
  availability: QueryFigure;
  /** Rows one unpaged call returns: what the map page asks for today. */
  availabilitySingleCallRows: number;
  /** That one unpaged call (the first db-max-rows rows). */
  availabilitySingleCall: Summary;
  search: QueryFigure | { error: string };
}

async function noop(client: SupabaseClient): Promise<void> {
  const { data, error } = await client.rpc('bench_noop');
  if (error || data !== 1) throw new Error(`bench_noop failed: ${error?.message ?? JSON.stringify(data)}`);
}

/** Every facility, in pages of db-max-rows: what a screen needs to show all of them. */
async function allAvailability(client: SupabaseClient): Promise<{ rows: number; requests: number; jsonBytes: number }> {
  let rows = 0;
  let requests = 0;
  let jsonBytes = 0;
  for (;;) {
    const { data, error } = await client.rpc('facility_availability').select(MAP_COLUMNS).range(rows, rows + MAX_ROWS - 1);
    requests++;
    if (error) throw new Error(`facility_availability failed: ${error.message}`);
    const page = data as unknown[];
    rows += page.length;
    jsonBytes += JSON.stringify(page).length;
    if (page.length < MAX_ROWS) return { rows, requests, jsonBytes };
  }
}

async function search(client: SupabaseClient): Promise<{ rows: number; jsonBytes: number; suitable: number }> {
  const { data, error } = await client.rpc('safe_place_search', { client_id: SEARCH_CLIENT_ID, ...REFERENCE_POINT });
  if (error) throw new Error(`safe_place_search failed: ${error.message}${error.code ? ` (${error.code})` : ''}`);
  const rows = data as { suitable: boolean }[];
  return { rows: rows.length, jsonBytes: JSON.stringify(rows).length, suitable: rows.filter((row) => row.suitable).length };
}

export async function measureQueries(
  stack: RunningStack,
  token: string,
  options: { baseline: SamplingOptions; availability: SamplingOptions; search: SamplingOptions; pagedAvailability: boolean },
  log: (message: string) => void,
): Promise<QueryResults> {
  const client = clientWithToken(stack, token);
  const baseline = await sampleLatency(() => noop(client), options.baseline);
  log(`baseline bench_noop p50 ${baseline.p50.toFixed(1)} ms`);

  const single = await client.rpc('facility_availability').select(MAP_COLUMNS);
  if (single.error) throw new Error(`facility_availability failed: ${single.error.message}`);
  const availabilitySingleCallRows = (single.data as unknown[]).length;
  const availabilitySingleCall = await sampleLatency(async () => {
    const { error } = await client.rpc('facility_availability').select(MAP_COLUMNS);
    if (error) throw new Error(`facility_availability failed: ${error.message}`);
  }, options.availability);

  let shape = { rows: availabilitySingleCallRows, requests: 1, jsonBytes: JSON.stringify(single.data).length };
  // Paging repeats the whole computation per page, so its cost grows with the square of the
  // facilities; the growth runs measure the single call, whose cost is the computation itself.
  const availabilityLatency = options.pagedAvailability
    ? await sampleLatency(async () => {
        shape = await allAvailability(client);
      }, options.availability)
    : availabilitySingleCall;
  log(`availability p50 ${availabilityLatency.p50.toFixed(0)} ms (${shape.rows} rows in ${shape.requests} requests)`);
  const availability: QueryFigure = {
    latency: availabilityLatency,
    ratioP50: ratio(availabilityLatency.p50, baseline.p50),
    ratioP95: ratio(availabilityLatency.p95, baseline.p95),
    ...shape,
    note: availabilitySingleCallRows < shape.rows ? `one unpaged call returns ${availabilitySingleCallRows} of ${shape.rows} rows (db-max-rows)` : undefined,
  };

  // A search that hits the statement timeout is a wait the coordinator sits through too: it is
  // kept as a sample and counted; the figure is lost only when no search succeeds at all.
  let searchFigure: QueryResults['search'];
  let searchShape = { rows: 0, jsonBytes: 0, suitable: 0 };
  let failures = 0;
  let lastFailure = '';
  const searchLatency = await sampleLatency(async () => {
    try {
      searchShape = await search(client);
    } catch (error) {
      failures++;
      lastFailure = (error as Error).message;
    }
  }, options.search);
  if (failures >= searchLatency.n + options.search.warmup) {
    searchFigure = { error: lastFailure };
    log(`search failed: ${lastFailure}`);
  } else {
    log(`search p50 ${searchLatency.p50.toFixed(0)} ms (${searchShape.rows} rows, ${searchShape.suitable} suitable, ${failures} failed)`);
    searchFigure = {
      latency: searchLatency,
      ratioP50: ratio(searchLatency.p50, baseline.p50),
      ratioP95: ratio(searchLatency.p95, baseline.p95),
      rows: searchShape.rows,
      requests: 1,
      jsonBytes: searchShape.jsonBytes,
      failures,
      note: `${searchShape.suitable} suitable; ranked rows capped at db-max-rows${failures ? `; ${failures} request(s) failed: ${lastFailure}` : ''}`,
    };
  }
  await client.removeAllChannels();
  return { baseline, availability, availabilitySingleCallRows, availabilitySingleCall, search: searchFigure };
}
