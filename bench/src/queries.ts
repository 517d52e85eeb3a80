// 1. Availability of all facilities, the map's data as src/lib/map/facilities.ts loads it
// (createAvailabilityLoader): (a) the refresh, map_figures() alone, which the map repeats on every
// (re)join, recovery and refresh button, and (b) the first load, map_facilities() and
// map_figures() in parallel; map_availability(), everything in one value as the map loaded it
// before, is measured beside them for comparison. 2. The safe-place search
// (safe_place_search_page(), one JSON value, as the search screen reads it). Each through
// supabase-js -> gateway -> PostgREST -> Postgres as a signed-in coordinator, next to the floor of
// that path: bench_noop(), an RPC that does nothing.
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
  /** 1a. The map's refresh: map_figures(), every facility's figures (the target applies to this one). */
  availability: QueryFigure;
  /** 1b. The map's first load: map_facilities() and map_figures() in parallel. Absent in runs before them. */
  availabilityFirstLoad?: QueryFigure;
  /** map_availability(), static fields and figures in one value: the map's only request before 1a/1b. Absent before them. */
  availabilityAllInOne?: QueryFigure;
  /** Facilities one refresh returns: every facility (formerly capped at db-max-rows). */
  availabilitySingleCallRows: number;
  /** That one request, the same as `availability` (the growth runs read this one). */
  availabilitySingleCall: Summary;
  search: QueryFigure | { error: string };
}

async function noop(client: SupabaseClient): Promise<void> {
  const { data, error } = await client.rpc('bench_noop');
  if (error || data !== 1) throw new Error(`bench_noop failed: ${error?.message ?? JSON.stringify(data)}`);
}

interface AnswerShape {
  rows: number;
  requests: number;
  jsonBytes: number;
}

async function rpcValue(client: SupabaseClient, name: string): Promise<unknown> {
  const { data, error } = await client.rpc(name);
  if (error) throw new Error(`${name} failed: ${error.message}`);
  return data;
}

/** The map's refresh: the figures of every facility, one array per column. */
async function figuresOnly(client: SupabaseClient): Promise<AnswerShape> {
  const figures = (await rpcValue(client, 'map_figures')) as { free: unknown[] };
  return { rows: figures.free.length, requests: 1, jsonBytes: JSON.stringify(figures).length };
}

/** The map's first load: the static part and the figures, requested together as the page does. */
async function firstLoad(client: SupabaseClient): Promise<AnswerShape> {
  const [facilities, figures] = (await Promise.all([rpcValue(client, 'map_facilities'), rpcValue(client, 'map_figures')])) as [
    { version: string; facilities: unknown[] },
    { version: string },
  ];
  // A version mismatch would make the page fetch again; nothing writes during the run.
  if (facilities.version !== figures.version) throw new Error('map_facilities and map_figures disagree on the version');
  return { rows: facilities.facilities.length, requests: 2, jsonBytes: JSON.stringify(facilities).length + JSON.stringify(figures).length };
}

/** Everything in one value, as the map loaded it before map_facilities()/map_figures(). */
async function allInOne(client: SupabaseClient): Promise<AnswerShape> {
  const payload = (await rpcValue(client, 'map_availability')) as { facilities: unknown[] };
  return { rows: payload.facilities.length, requests: 1, jsonBytes: JSON.stringify(payload).length };
}

async function measureAvailability(
  name: string,
  read: () => Promise<AnswerShape>,
  baseline: Summary,
  options: SamplingOptions,
  log: (message: string) => void,
): Promise<QueryFigure> {
  let shape = await read();
  const latency = await sampleLatency(async () => {
    shape = await read();
  }, options);
  log(`availability, ${name}: p50 ${latency.p50.toFixed(0)} ms, p95 ${latency.p95.toFixed(0)} ms (${shape.rows} facilities in ${shape.requests} request${shape.requests > 1 ? 's' : ''}, ${(shape.jsonBytes / 1024).toFixed(0)} KB)`);
  return { latency, ratioP50: ratio(latency.p50, baseline.p50), ratioP95: ratio(latency.p95, baseline.p95), ...shape };
}

/**
 * The search screen's first view, as its page load asks for it: safe_place_search_page() judges
 * every facility and returns the 50 best suitable in full and the left-out ones counted per reason
 * (their details come on request). `rows` counts the facilities judged.
 */
async function search(client: SupabaseClient): Promise<{ rows: number; jsonBytes: number; suitable: number }> {
  const { data, error } = await client.rpc('safe_place_search_page', { client_id: SEARCH_CLIENT_ID, ...REFERENCE_POINT });
  if (error) throw new Error(`safe_place_search_page failed: ${error.message}${error.code ? ` (${error.code})` : ''}`);
  const result = data as { suitable_count: number; excluded_count: number };
  return { rows: result.suitable_count + result.excluded_count, jsonBytes: JSON.stringify(data).length, suitable: result.suitable_count };
}

export async function measureQueries(
  stack: RunningStack,
  token: string,
  // pagedAvailability: read by runs before map_availability(); one request per answer now serves every scale.
  options: { baseline: SamplingOptions; availability: SamplingOptions; search: SamplingOptions; pagedAvailability?: boolean },
  log: (message: string) => void,
): Promise<QueryResults> {
  const client = clientWithToken(stack, token);
  const baseline = await sampleLatency(() => noop(client), options.baseline);
  log(`baseline bench_noop p50 ${baseline.p50.toFixed(1)} ms`);

  // Each answer is one JSON value, so db-max-rows does not apply: one request carries every facility.
  const availability = await measureAvailability('refresh (map_figures)', () => figuresOnly(client), baseline, options.availability, log);
  const availabilityFirstLoad = await measureAvailability('first load (map_facilities + map_figures)', () => firstLoad(client), baseline, options.availability, log);
  const availabilityAllInOne = await measureAvailability('all in one (map_availability, before)', () => allInOne(client), baseline, options.availability, log);
  const availabilitySingleCallRows = availability.rows;
  const availabilitySingleCall = availability.latency;

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
      note: `${searchShape.suitable} suitable, ${searchShape.rows - searchShape.suitable} left out (counted per reason)${failures ? `; ${failures} request(s) failed: ${lastFailure}` : ''}`,
    };
  }
  await client.removeAllChannels();
  return { baseline, availability, availabilityFirstLoad, availabilityAllInOne, availabilitySingleCallRows, availabilitySingleCall, search: searchFigure };
}
