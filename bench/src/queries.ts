// 1. Availability of all facilities (the map's data: map_availability(), one JSON value) and 2. the
// safe-place search (safe_place_search_results(), one JSON value, as the search screen reads it),
// each through supabase-js -> gateway -> PostgREST -> Postgres as a signed-in coordinator, next to
// the floor of that path: bench_noop(), an RPC that does nothing.
import type { SupabaseClient } from '@supabase/supabase-js';
import type { RunningStack } from '../../local-stack/src/stack.ts';
import { sampleLatency, type SamplingOptions } from './sampling.ts';
import { ratio, type Summary } from './stats.ts';
import { clientWithToken, SEARCH_CLIENT_ID } from './supabase.ts';

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
  /** Rows one call returns: every facility since map_availability() (formerly capped at db-max-rows). */
  availabilitySingleCallRows: number;
  /** That one call; the same request as `availability` now (the growth runs read this one). */
  availabilitySingleCall: Summary;
  search: QueryFigure | { error: string };
}

async function noop(client: SupabaseClient): Promise<void> {
  const { data, error } = await client.rpc('bench_noop');
  if (error || data !== 1) throw new Error(`bench_noop failed: ${error?.message ?? JSON.stringify(data)}`);
}

/** Every facility in one request, as src/lib/map/facilities.ts fetchAllAvailability reads it. */
async function allAvailability(client: SupabaseClient): Promise<{ rows: number; requests: number; jsonBytes: number }> {
  const { data, error } = await client.rpc('map_availability');
  if (error) throw new Error(`map_availability failed: ${error.message}`);
  const payload = data as { facilities: unknown[] };
  return { rows: payload.facilities.length, requests: 1, jsonBytes: JSON.stringify(data).length };
}

async function search(client: SupabaseClient): Promise<{ rows: number; jsonBytes: number; suitable: number }> {
  const { data, error } = await client.rpc('safe_place_search_results', { client_id: SEARCH_CLIENT_ID, ...REFERENCE_POINT });
  if (error) throw new Error(`safe_place_search_results failed: ${error.message}${error.code ? ` (${error.code})` : ''}`);
  const result = data as { suitable: unknown[]; excluded: unknown[] };
  return { rows: result.suitable.length + result.excluded.length, jsonBytes: JSON.stringify(data).length, suitable: result.suitable.length };
}

export async function measureQueries(
  stack: RunningStack,
  token: string,
  // pagedAvailability: read by runs before map_availability(); one request now serves every scale.
  options: { baseline: SamplingOptions; availability: SamplingOptions; search: SamplingOptions; pagedAvailability?: boolean },
  log: (message: string) => void,
): Promise<QueryResults> {
  const client = clientWithToken(stack, token);
  const baseline = await sampleLatency(() => noop(client), options.baseline);
  log(`baseline bench_noop p50 ${baseline.p50.toFixed(1)} ms`);

  // One request returns every facility (one JSON value, so db-max-rows does not apply): the single
  // call and the full read are the same request now, measured once.
  let shape = await allAvailability(client);
  const availabilityLatency = await sampleLatency(async () => {
    shape = await allAvailability(client);
  }, options.availability);
  log(`availability p50 ${availabilityLatency.p50.toFixed(0)} ms (${shape.rows} rows in ${shape.requests} request, ${(shape.jsonBytes / 1024).toFixed(0)} KB)`);
  const availability: QueryFigure = {
    latency: availabilityLatency,
    ratioP50: ratio(availabilityLatency.p50, baseline.p50),
    ratioP95: ratio(availabilityLatency.p95, baseline.p95),
    ...shape,
  };
  const availabilitySingleCallRows = shape.rows;
  const availabilitySingleCall = availabilityLatency;

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
      note: `${searchShape.suitable} suitable, ${searchShape.rows - searchShape.suitable} left out with reasons${failures ? `; ${failures} request(s) failed: ${lastFailure}` : ''}`,
    };
  }
  await client.removeAllChannels();
  return { baseline, availability, availabilitySingleCallRows, availabilitySingleCall, search: searchFigure };
}
