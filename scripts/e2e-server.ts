// What the end-to-end tests run against: a fresh local stack (migrations + seed) on free ports and
// the built app (adapter-node's `node build`) on a free port, both stopped together.
//
// tests/e2e/global-setup.ts runs this as a child process; it also runs by hand for debugging
// (`npx tsx scripts/e2e-server.ts`). Once everything answers it prints one line
// `SUOJA_E2E_READY {json}` on stdout (an E2eEnvironment); all other output goes to stderr.
// SIGINT / SIGTERM, or stdin closing (the parent died), stop everything.
//
// It also serves the failure drills' control channel (scripts/lib/drill-control.ts): through it a
// test starts a stack and app of its own and takes their Postgres or gateway down and up again.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startStack, type RunningStack } from '../local-stack/src/stack.ts';
import { buildApp } from './lib/build.ts';
import { startDrillControl, type DrillEnvironment } from './lib/drill-control.ts';
import { dyingWithParent, freePort, repoRoot, Shutdown, stopChild, StopRequested, waitForHttp } from './lib/processes.ts';

export interface E2eEnvironment {
  baseURL: string;
  supabaseUrl: string;
  publishableKey: string;
  secretKey: string;
  databaseUrl: string;
  /** The drills' control channel (scripts/lib/drill-control.ts), token included. */
  controlUrl: string;
}

/** One stack and the built app on it. */
type StackEnvironment = Omit<E2eEnvironment, 'controlUrl'>;

export const READY_PREFIX = 'SUOJA_E2E_READY ';

const log = (message: string): void => {
  process.stderr.write(`[e2e-server] ${message}\n`);
};

/** A fresh stack (migrations + seed) on free ports and the built app on it; `stop` stops both. */
async function startEnvironment(what: string, buildEntry: string): Promise<DrillEnvironment<StackEnvironment>> {
  const cleanups: (() => Promise<void>)[] = [];
  const stop = async (): Promise<void> => {
    for (const cleanup of cleanups.splice(0).reverse()) {
      await cleanup().catch((error: unknown) => log(`while stopping ${what}: ${error instanceof Error ? error.message : String(error)}`));
    }
  };
  try {
    const stackDir = await mkdtemp(path.join(tmpdir(), 'suoja-e2e-'));
    cleanups.push(() => rm(stackDir, { recursive: true, force: true }));
    log(`starting a fresh stack for ${what} in ${stackDir}`);
    const stack: RunningStack = await startStack({
      dir: stackDir,
      apiPort: 0,
      dbPort: 0,
      // A throwaway database: durability only costs time here.
      fsync: false,
      logToStderr: process.env.SUOJA_E2E_VERBOSE === '1',
    });
    cleanups.push(() => stack.stop());
    log(`stack for ${what} ready: API ${stack.url}, Postgres port ${stack.dbPort}`);

    const appPort = await freePort();
    const baseURL = `http://127.0.0.1:${appPort}`;
    log(`starting the built app for ${what} on ${baseURL}`);
    const [appCommand, appArgs] = dyingWithParent(process.execPath, [buildEntry]);
    const app = spawn(appCommand, appArgs, {
      cwd: repoRoot,
      detached: true,
      stdio: ['ignore', 2, 2],
      env: {
        ...process.env,
        HOST: '127.0.0.1',
        PORT: String(appPort),
        ORIGIN: baseURL,
        PUBLIC_SUPABASE_URL: stack.url,
        PUBLIC_SUPABASE_PUBLISHABLE_KEY: stack.publishableKey,
        SUPABASE_SECRET_KEY: stack.secretKey,
      },
    });
    cleanups.push(() => stopChild(app));
    await waitForHttp(`${baseURL}/login`, app, 60_000);

    return {
      environment: {
        baseURL,
        supabaseUrl: stack.url,
        publishableKey: stack.publishableKey,
        secretKey: stack.secretKey,
        databaseUrl: stack.databaseUrl,
      },
      stack,
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}

async function main(): Promise<void> {
  const shutdown = new Shutdown(log);
  // A parent that dies without signalling (SIGKILL) still closes our stdin.
  if (!process.stdin.isTTY) {
    process.stdin.on('end', () => shutdown.request(1, 'parent closed stdin'));
    process.stdin.resume();
  }

  try {
    // SUOJA_E2E_BUILD_DIR: an app built and set aside beforehand (adapter-node's output, where
    // node_modules resolves), for runs beside other builds of the same worktree, which replace
    // build/ under a running app.
    const ownBuild = process.env.SUOJA_E2E_BUILD_DIR;
    const buildEntry = ownBuild ? path.resolve(ownBuild, 'index.js') : path.join(repoRoot, 'build', 'index.js');
    if (ownBuild && !existsSync(buildEntry)) throw new Error(`SUOJA_E2E_BUILD_DIR has no index.js: ${buildEntry}`);
    if (!ownBuild && (process.env.SUOJA_E2E_PREBUILT !== '1' || !existsSync(buildEntry))) {
      // Run directly (`npx playwright test`), the tests must not meet a stale build.
      log('building the app (vite build)');
      if (!(await buildApp(['ignore', 2, 2]))) throw new Error('vite build failed; the end-to-end tests need the built app');
      shutdown.checkpoint();
    }

    const shared = await startEnvironment('the run', buildEntry);
    shutdown.add(() => shared.stop());
    shutdown.checkpoint();

    const control = await startDrillControl<StackEnvironment>({
      startEnvironment: () => startEnvironment('a drill', buildEntry),
      log,
    });
    shutdown.add(() => control.close());
    shutdown.checkpoint();

    const environment: E2eEnvironment = { ...shared.environment, controlUrl: control.url };
    process.stdout.write(`${READY_PREFIX}${JSON.stringify(environment)}\n`);
    shutdown.started();
  } catch (error) {
    if (!(error instanceof StopRequested)) log(error instanceof Error ? error.message : String(error));
    shutdown.exit(1);
  }
}

await main();
