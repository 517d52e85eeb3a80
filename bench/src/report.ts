// One table for the console and the README, from the same JSON the run writes to bench/results/.
import type { BrowserResults, MapIdle } from './browser.ts';
import type { ContentionResults } from './contention.ts';
import type { LiveResults } from './live.ts';
import type { QueryFigure, QueryResults } from './queries.ts';
import type { DatasetCounts } from './stack.ts';
import type { PageFigure } from './ssr.ts';
import { growthExponent, type Summary } from './stats.ts';

export interface Machine {
  cores: number;
  cpu: string;
  memoryGb: number;
  loadAverageAtStart: number[];
  os: string;
  versions: Record<string, string>;
}

export interface RunResults {
  kind: 'standard';
  generatedAt: string;
  machine: Machine;
  scale: number;
  dataset: DatasetCounts;
  loadSeconds: number;
  queries: QueryResults;
  contention: ContentionResults;
  live: LiveResults;
  ssr: PageFigure[] | { error: string };
  browser: BrowserResults | { error: string };
}

export interface ScalePoint {
  scale: number;
  dataset: DatasetCounts;
  loadSeconds: number;
  queries: QueryResults;
  live: LiveResults;
}

export interface ScaleResults {
  kind: 'scale';
  generatedAt: string;
  machine: Machine;
  points: ScalePoint[];
}

export const TARGETS = {
  availabilityP95Ms: 50,
  searchP95Ms: 50,
  liveP95Ms200: 100,
  ssrRequestsPerSecond: 200,
  mapIdleMs: 3000,
  loginJsKb: 80,
} as const;

const ms = (value: number) => (value >= 100 ? value.toFixed(0) : value >= 10 ? value.toFixed(1) : value.toFixed(2));
const times = (value: number | null) => (value == null ? 'n/a' : `×${value >= 10 ? value.toFixed(0) : value.toFixed(1)}`);
const verdict = (met: boolean) => (met ? 'met' : 'missed');
const latency = (s: Summary) => `p50 ${ms(s.p50)} ms, p95 ${ms(s.p95)} ms`;

function row(cells: string[]): string {
  return `| ${cells.join(' | ')} |`;
}

export function standardTable(results: RunResults): string {
  const { queries, contention, live } = results;
  const lines = [row(['#', 'measurement', 'result', 'ratio to floor', 'target', '']), row(['---', '---', '---', '---', '---', '---'])];
  lines.push(row(['–', 'floor: `bench_noop()` RPC, same path', latency(queries.baseline), '×1', '', '']));
  const a = queries.availability;
  const size = (figure: QueryFigure) => `${figure.requests} request${figure.requests > 1 ? 's' : ''}, ${(figure.jsonBytes / 1024).toFixed(0)} KB JSON`;
  const ratios = (figure: QueryFigure) => `${times(figure.ratioP50)} p50, ${times(figure.ratioP95)} p95`;
  // Runs before map_figures() measured map_availability() as `availability`.
  const refreshLabel = queries.availabilityFirstLoad ? 'availability, the map\'s refresh (`map_figures`)' : 'availability';
  lines.push(
    row([
      '1',
      `${refreshLabel}, all ${a.rows} facilities (${size(a)})`,
      latency(a.latency),
      ratios(a),
      `p95 ≤ ${TARGETS.availabilityP95Ms} ms`,
      verdict(a.latency.p95 <= TARGETS.availabilityP95Ms),
    ]),
  );
  const first = queries.availabilityFirstLoad;
  if (first) {
    lines.push(row(['1', `availability, the map's first load (\`map_facilities\` + \`map_figures\` in parallel; ${size(first)})`, latency(first.latency), ratios(first), '', '']));
  }
  const before = queries.availabilityAllInOne;
  if (before) {
    lines.push(row(['1', `for comparison: everything in one value, as the map loaded before (\`map_availability\`; ${size(before)})`, latency(before.latency), ratios(before), '', '']));
  }
  if (queries.availabilitySingleCallRows < a.rows) {
    lines.push(
      row([
        '1',
        `availability, one unpaged request as \`/map\` makes it (returns only ${queries.availabilitySingleCallRows} rows: db-max-rows)`,
        latency(queries.availabilitySingleCall),
        `${times(queries.availabilitySingleCall.p50 / queries.baseline.p50)} p50`,
        `p95 ≤ ${TARGETS.availabilityP95Ms} ms`,
        verdict(queries.availabilitySingleCall.p95 <= TARGETS.availabilityP95Ms),
      ]),
    );
  }
  const s = queries.search;
  lines.push(
    'error' in s
      ? row(['2', 'safe-place search (client with 2 children, 2 exclusion zones)', `failed: ${s.error}`, 'n/a', `p95 ≤ ${TARGETS.searchP95Ms} ms`, 'missed'])
      : row([
          '2',
          `safe-place search (\`safe_place_search_page\`; client with 2 children, 2 exclusion zones; ${s.rows} facilities judged, the 50 best and counts per reason in 1 request, ${(s.jsonBytes / 1024).toFixed(0)} KB JSON${s.failures ? `; ${s.failures} of ${s.latency.n} hit the statement timeout` : ''})`,
          latency(s.latency),
          `${times(s.ratioP50)} p50, ${times(s.ratioP95)} p95`,
          `p95 ≤ ${TARGETS.searchP95Ms} ms`,
          verdict(s.latency.p95 <= TARGETS.searchP95Ms && !s.failures),
        ]),
  );
  const held = contention.rounds.map((r) => r.succeeded).join(', ');
  lines.push(
    row([
      '3',
      `contention: 200 concurrent holds for 50 free places (${contention.rounds.length} rounds)`,
      `held ${held}; ${contention.opsPerSecondMedian.toFixed(0)} ops/s (median)`,
      '',
      '0 overbookings: exactly 50',
      contention.exact ? 'met' : 'FAILED',
    ]),
  );
  for (const figure of live.figures) {
    lines.push(
      row([
        '4',
        `live update, ${figure.subscribers} subscriber${figure.subscribers > 1 ? 's' : ''} (${figure.changes} changes${figure.missed ? `, ${figure.missed} deliveries missed` : ''})`,
        latency(figure.latency),
        `${times(figure.ratioP50)} p50, ${times(figure.ratioP95)} p95 of LISTEN/NOTIFY (${ms(live.notifyBaseline.p50)} ms)`,
        figure.subscribers >= 200 ? `p95 ≤ ${TARGETS.liveP95Ms200} ms` : '',
        figure.subscribers >= 200 ? verdict(figure.latency.p95 <= TARGETS.liveP95Ms200 && figure.missed === 0) : '',
      ]),
    );
  }
  if ('error' in results.ssr) {
    lines.push(row(['5', 'server rendering, 50 connections', `n/a: ${results.ssr.error}`, '', `≥ ${TARGETS.ssrRequestsPerSecond} pages/s`, '']));
  } else {
    for (const page of results.ssr) {
      lines.push(
        page.status === 'ok'
          ? row([
              '5',
              `server rendering \`${page.path}\`, 50 connections (${((page.htmlBytes ?? 0) / 1024).toFixed(0)} KB HTML${page.errors ? `, ${page.errors} errors` : ''})`,
              `${page.requestsPerSecond!.toFixed(1)} pages/s, p95 ${ms(page.latency!.p95)} ms`,
              '',
              `≥ ${TARGETS.ssrRequestsPerSecond} pages/s`,
              verdict(page.requestsPerSecond! >= TARGETS.ssrRequestsPerSecond && !page.errors),
            ])
          : row(['5', `server rendering \`${page.path}\``, `n/a (${page.reason})`, '', `≥ ${TARGETS.ssrRequestsPerSecond} pages/s`, '']),
      );
    }
  }
  if ('error' in results.browser) {
    lines.push(row(['6', 'browser', `n/a: ${results.browser.error}`, '', '', '']));
  } else {
    // Results before the two visits were measured apart hold only `mapIdle`, from fresh pages of
    // one incognito-like context (HTTP cache warm, no compiled-code cache).
    const visits: [string, MapIdle | undefined][] = results.browser.mapIdleFirstVisit
      ? [
          ['first visit, nothing cached', results.browser.mapIdleFirstVisit],
          ['returning coordinator, browser profile with warm caches', results.browser.mapIdle],
        ]
      : [['fresh pages of one context', results.browser.mapIdle]];
    for (const [visit, idle] of visits) {
      lines.push(
        idle?.status === 'ok'
          ? row(['6', `map first idle, ${visit}; ${results.dataset.facilities} facilities, software WebGL (${idle.runs!.length} runs)`, latency(idle.latency!), '', `p50 ≤ ${TARGETS.mapIdleMs / 1000} s`, verdict(idle.latency!.p50 <= TARGETS.mapIdleMs)])
          : row(['6', `map first idle, ${visit}`, `n/a (${idle?.reason ?? 'not measured'})`, '', `p50 ≤ ${TARGETS.mapIdleMs / 1000} s`, '']),
      );
    }
    for (const route of results.browser.routes) {
      const isLogin = route.route === 'login';
      lines.push(
        route.status === 'ok'
          ? row([
              '6',
              `JavaScript loaded by ${route.route} (\`${route.path}\`, ${route.files} files)`,
              `${((route.gzipBytes ?? 0) / 1024).toFixed(1)} KB gzip (${((route.rawBytes ?? 0) / 1024).toFixed(0)} KB raw)`,
              '',
              isLogin ? `≤ ${TARGETS.loginJsKb} KB` : '',
              isLogin ? verdict((route.gzipBytes ?? 0) / 1024 <= TARGETS.loginJsKb) : '',
            ])
          : row(['6', `JavaScript loaded by ${route.route} (\`${route.path}\`)`, `n/a (${route.reason})`, '', '', '']),
      );
    }
  }
  return lines.join('\n');
}

export function scaleTable(results: ScaleResults): string {
  const points = results.points;
  const header = row(['measurement', ...points.map((p) => `${p.scale}x (${p.dataset.facilities} fac., ${p.dataset.placements} pl.)`), `growth exponent ${points[0]?.scale}x→${points[points.length - 1]?.scale}x`]);
  const lines = [header, row(Array.from({ length: points.length + 2 }, () => '---'))];
  const first = points[0]!;
  const last = points[points.length - 1]!;
  const growth = (pick: (p: ScalePoint) => number | null) => {
    const a = pick(first);
    const b = pick(last);
    const k = a == null || b == null ? null : growthExponent(a, b, first.scale, last.scale);
    return k == null ? 'n/a' : k.toFixed(2);
  };
  const add = (name: string, pick: (p: ScalePoint) => number | null) =>
    lines.push(row([name, ...points.map((p) => {
      const v = pick(p);
      return v == null ? 'n/a' : `${ms(v)} ms`;
    }), growth(pick)]));
  add('floor `bench_noop()` p50', (p) => p.queries.baseline.p50);
  // availabilitySingleCall: map_figures() (the map's refresh) since it exists, map_availability() before.
  const split = points.some((p) => p.queries.availabilityFirstLoad);
  const single = split ? 'the map\'s refresh (map_figures, every facility)' : 'one request (map_availability, every facility)';
  add(`1 availability, ${single}, p50`, (p) => p.queries.availabilitySingleCall.p50);
  add(`1 availability, ${split ? 'the map\'s refresh' : 'one request'}, p95`, (p) => p.queries.availabilitySingleCall.p95);
  if (split) {
    add('1 availability, first load (map_facilities + map_figures), p50', (p) => p.queries.availabilityFirstLoad?.latency.p50 ?? null);
    add('1 availability, first load, p95', (p) => p.queries.availabilityFirstLoad?.latency.p95 ?? null);
  }
  add('2 safe-place search p50', (p) => ('error' in p.queries.search ? null : p.queries.search.latency.p50));
  add('2 safe-place search p95', (p) => ('error' in p.queries.search ? null : p.queries.search.latency.p95));
  for (const count of first.live.figures.map((f) => f.subscribers)) {
    add(`4 live update, ${count} subscriber(s), p50`, (p) => p.live.figures.find((f) => f.subscribers === count)?.latency.p50 ?? null);
    add(`4 live update, ${count} subscriber(s), p95`, (p) => p.live.figures.find((f) => f.subscribers === count)?.latency.p95 ?? null);
  }
  lines.push(row(['dataset load (s)', ...points.map((p) => `${p.loadSeconds.toFixed(0)} s`), '']));
  return lines.join('\n');
}

export function machineLine(machine: Machine): string {
  const v = machine.versions;
  return `${machine.cores} cores (${machine.cpu}), ${machine.memoryGb} GB, ${machine.os}, load average at start ${machine.loadAverageAtStart.map((x) => x.toFixed(1)).join(' / ')}; Node ${v.node}, ${v.postgres}, PostgREST ${v.postgrest}, supabase-js ${v['@supabase/supabase-js']}, SvelteKit ${v['@sveltejs/kit']}, Svelte ${v.svelte}, MapLibre ${v['maplibre-gl']}, Chromium ${v.chromium ?? 'n/a'}`;
}
