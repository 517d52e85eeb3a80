// 6. Browser: Debian's headless Chromium (software-rendered WebGL) opens the map with every
// facility; how long until the map's first `idle` on a first visit and for a returning
// coordinator, and how much compressed JavaScript each route loads.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import type { AppServer } from './ssr.ts';
import { summarize, type Summary } from './stats.ts';

const CHROMIUM = '/usr/bin/chromium';

export interface RouteScripts {
  route: string;
  path: string;
  status: 'ok' | 'n/a';
  reason?: string;
  files?: number;
  rawBytes?: number;
  gzipBytes?: number;
}

export interface MapIdle {
  status: 'ok' | 'n/a';
  reason?: string;
  latency?: Summary;
  runs?: number[];
}

export interface BrowserResults {
  /** A returning coordinator: a browser profile that has opened the map before (caches warm). */
  mapIdle: MapIdle;
  /** A first visit: an empty profile, nothing cached. */
  mapIdleFirstVisit?: MapIdle;
  routes: RouteScripts[];
}

const CHROMIUM_ARGS = [
  ...(process.getuid?.() === 0 ? ['--no-sandbox'] : []),
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-gpu',
  '--use-angle=swiftshader',
  '--enable-unsafe-swiftshader',
];
const VIEWPORT = { width: 1280, height: 800 };

function launch(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
}

function cookiesFor(server: AppServer) {
  return server.cookies.map((cookie) => {
    const at = cookie.indexOf('=');
    return { name: cookie.slice(0, at), value: cookie.slice(at + 1), url: server.baseURL };
  });
}

async function signedInContext(browser: Browser, server: AppServer): Promise<BrowserContext> {
  const context = await browser.newContext({ viewport: VIEWPORT, timezoneId: 'Europe/Helsinki' });
  await context.addCookies(cookiesFor(server));
  return context;
}

/** Opens a route in a fresh page and sums the JavaScript it loaded, gzip-compressed (level 6). */
async function routeScripts(context: BrowserContext, route: string, pagePath: string, baseURL: string, ready: (page: Page) => Promise<void>): Promise<RouteScripts> {
  const page = await context.newPage();
  const bodies = new Map<string, Promise<Buffer | null>>();
  page.on('response', (response) => {
    const type = response.headers()['content-type'] ?? '';
    if (response.request().resourceType() === 'script' || /javascript/.test(type)) {
      if (!bodies.has(response.url())) bodies.set(response.url(), response.body().catch(() => null));
    }
  });
  try {
    const answer = await page.goto(new URL(pagePath, baseURL).toString());
    if (!answer || answer.status() !== 200) return { route, path: pagePath, status: 'n/a', reason: `answered ${answer?.status() ?? 'nothing'}` };
    await ready(page);
    await page.waitForLoadState('networkidle');
    let rawBytes = 0;
    let gzipBytes = 0;
    for (const body of await Promise.all(bodies.values())) {
      if (!body) continue;
      rawBytes += body.length;
      gzipBytes += gzipSync(body).length;
    }
    return { route, path: pagePath, status: 'ok', files: bodies.size, rawBytes, gzipBytes };
  } finally {
    await page.close();
  }
}

// `ready` is MapLibre's first idle after the facilities are in the source (FacilityMap.svelte):
// since the map starts while the data loads, its very first idle can come with no markers yet.
const mapIdle = (page: Page) => page.waitForSelector('[data-map-state="ready"]', { timeout: 120_000, state: 'attached' }).then(() => undefined);

async function timeMapLoad(context: BrowserContext, url: string): Promise<number> {
  const page = await context.newPage();
  try {
    const started = performance.now();
    await page.goto(url);
    await mapIdle(page);
    return performance.now() - started;
  } finally {
    await page.close();
  }
}

/** Each run in a fresh context: nothing cached, as for a coordinator's first visit. */
async function timeMapFirstVisits(browser: Browser, server: AppServer, mapPath: string, runs: number): Promise<MapIdle> {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const context = await signedInContext(browser, server);
    try {
      times.push(await timeMapLoad(context, new URL(mapPath, server.baseURL).toString()));
    } finally {
      await context.close();
    }
  }
  return { status: 'ok', latency: summarize(times), runs: times };
}

/**
 * A returning coordinator: one on-disk browser profile, as a coordinator's own browser keeps.
 * Chromium keeps compiled JavaScript (V8's code cache) only in an on-disk profile, producing it on
 * the second load of a script and using it from the third; two warm-up visits come first. (An
 * incognito-like context, as Playwright's newContext() gives, never keeps it: every load would
 * compile MapLibre's 1.6 MB again, which no returning visitor does.)
 */
async function timeMapReturning(server: AppServer, mapPath: string, runs: number): Promise<MapIdle> {
  const profile = await mkdtemp(path.join(tmpdir(), 'suoja-bench-profile-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: CHROMIUM_ARGS,
    viewport: VIEWPORT,
    timezoneId: 'Europe/Helsinki',
  });
  try {
    await context.addCookies(cookiesFor(server));
    const url = new URL(mapPath, server.baseURL).toString();
    for (let i = 0; i < 2; i++) await timeMapLoad(context, url);
    const times: number[] = [];
    for (let i = 0; i < runs; i++) times.push(await timeMapLoad(context, url));
    return { status: 'ok', latency: summarize(times), runs: times };
  } finally {
    await context.close();
    await rm(profile, { recursive: true, force: true });
  }
}

export async function measureBrowser(server: AppServer, paths: { login: string; map: string; client: string }, mapRuns: number, log: (message: string) => void): Promise<BrowserResults> {
  const browser = await launch();
  try {
    const anonymous = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    const routes: RouteScripts[] = [await routeScripts(anonymous, 'login', paths.login, server.baseURL, async () => {})];
    await anonymous.close();

    const context = await signedInContext(browser, server);
    const mapScripts = await routeScripts(context, 'map', paths.map, server.baseURL, mapIdle).catch(
      (error: Error): RouteScripts => ({ route: 'map', path: paths.map, status: 'n/a', reason: error.message.split('\n')[0] }),
    );
    routes.push(mapScripts);
    let returning: MapIdle = { status: 'n/a', reason: mapScripts.reason };
    let firstVisit: MapIdle = { status: 'n/a', reason: mapScripts.reason };
    if (mapScripts.status === 'ok') {
      firstVisit = await timeMapFirstVisits(browser, server, paths.map, mapRuns);
      log(`map first idle, first visit: p50 ${firstVisit.latency!.p50.toFixed(0)} ms over ${firstVisit.runs!.length} runs`);
      returning = await timeMapReturning(server, paths.map, mapRuns);
      log(`map first idle, returning: p50 ${returning.latency!.p50.toFixed(0)} ms over ${returning.runs!.length} runs`);
    }
    routes.push(
      await routeScripts(context, 'client', paths.client, server.baseURL, async () => {}).catch(
        (error: Error): RouteScripts => ({ route: 'client', path: paths.client, status: 'n/a', reason: error.message.split('\n')[0] }),
      ),
    );
    for (const route of routes) log(`JS ${route.route}: ${route.status === 'ok' ? `${((route.gzipBytes ?? 0) / 1024).toFixed(1)} KB gzip in ${route.files} files` : `n/a (${route.reason})`}`);
    await context.close();
    return { mapIdle: returning, mapIdleFirstVisit: firstVisit, routes };
  } finally {
    await browser.close();
  }
}
