// 6. Browser: Debian's headless Chromium (software-rendered WebGL) opens the map with every
// facility; how long until the map's first `idle`, and how much compressed JavaScript each route
// loads.
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

export interface BrowserResults {
  mapIdle: { status: 'ok' | 'n/a'; reason?: string; latency?: Summary; runs?: number[] };
  routes: RouteScripts[];
}

function launch(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      ...(process.getuid?.() === 0 ? ['--no-sandbox'] : []),
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--disable-gpu',
      '--use-angle=swiftshader',
      '--enable-unsafe-swiftshader',
    ],
  });
}

async function signedInContext(browser: Browser, server: AppServer): Promise<BrowserContext> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, timezoneId: 'Europe/Helsinki' });
  await context.addCookies(
    server.cookies.map((cookie) => {
      const at = cookie.indexOf('=');
      return { name: cookie.slice(0, at), value: cookie.slice(at + 1), url: server.baseURL };
    }),
  );
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

export async function measureBrowser(server: AppServer, paths: { login: string; map: string; client: string }, mapRuns: number, log: (message: string) => void): Promise<BrowserResults> {
  const browser = await launch();
  try {
    const anonymous = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    const routes: RouteScripts[] = [await routeScripts(anonymous, 'login', paths.login, server.baseURL, async () => {})];
    await anonymous.close();

    const context = await signedInContext(browser, server);
    let mapResult: BrowserResults['mapIdle'];
    const mapScripts = await routeScripts(context, 'map', paths.map, server.baseURL, mapIdle).catch(
      (error: Error): RouteScripts => ({ route: 'map', path: paths.map, status: 'n/a', reason: error.message.split('\n')[0] }),
    );
    routes.push(mapScripts);
    if (mapScripts.status === 'ok') {
      // Each run in a fresh page of the same browser: JavaScript comes from cache, as for a
      // coordinator who opens the map again; the data is loaded and rendered every time.
      const runs: number[] = [];
      for (let i = 0; i < mapRuns; i++) {
        const page = await context.newPage();
        const started = performance.now();
        await page.goto(new URL(paths.map, server.baseURL).toString());
        await mapIdle(page);
        runs.push(performance.now() - started);
        await page.close();
      }
      mapResult = { status: 'ok', latency: summarize(runs), runs };
      log(`map first idle p50 ${summarize(runs).p50.toFixed(0)} ms over ${mapRuns} runs`);
    } else {
      mapResult = { status: 'n/a', reason: mapScripts.reason };
    }
    routes.push(
      await routeScripts(context, 'client', paths.client, server.baseURL, async () => {}).catch(
        (error: Error): RouteScripts => ({ route: 'client', path: paths.client, status: 'n/a', reason: error.message.split('\n')[0] }),
      ),
    );
    for (const route of routes) log(`JS ${route.route}: ${route.status === 'ok' ? `${((route.gzipBytes ?? 0) / 1024).toFixed(1)} KB gzip in ${route.files} files` : `n/a (${route.reason})`}`);
    await context.close();
    return { mapIdle: mapResult, routes };
  } finally {
    await browser.close();
  }
}
