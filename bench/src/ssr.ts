// 5. Server rendering: the built app (adapter-node's `node build`, pointed at the bench stack)
// answering a signed-in coordinator's page requests from 50 concurrent keep-alive connections.
import { spawn, type ChildProcess } from 'node:child_process';
import { cp, mkdtemp, rm, symlink } from 'node:fs/promises';
import http from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { RunningStack } from '../../local-stack/src/stack.ts';
import { buildApp } from '../../scripts/lib/build.ts';
import { dyingWithParent, freePort, repoRoot, stopChild, waitForHttp } from '../../scripts/lib/processes.ts';
import { summarize, type Summary } from './stats.ts';
import { COORDINATOR } from './supabase.ts';

export interface AppServer {
  baseURL: string;
  cookies: string[];
  stop(): Promise<void>;
}

export interface PageFigure {
  path: string;
  status: 'ok' | 'n/a';
  reason?: string;
  requestsPerSecond?: number;
  latency?: Summary;
  errors?: number;
  htmlBytes?: number;
}

/**
 * Builds the app (unless told to reuse build/) and runs a private copy of the output, so another
 * engineer's rebuild of build/ cannot change the server under measurement.
 */
export async function startAppServer(stack: RunningStack, options: { build: boolean }, log: (message: string) => void): Promise<AppServer> {
  if (options.build) {
    log('building the app (vite build)');
    if (!(await buildApp(['ignore', 'ignore', 'inherit']))) throw new Error('vite build failed');
  }
  const copyDir = await mkdtemp(path.join(tmpdir(), 'suoja-bench-app-'));
  await cp(path.join(repoRoot, 'build'), path.join(copyDir, 'build'), { recursive: true });
  await cp(path.join(repoRoot, 'package.json'), path.join(copyDir, 'package.json'));
  await symlink(path.join(repoRoot, 'node_modules'), path.join(copyDir, 'node_modules'));

  const port = await freePort();
  const baseURL = `http://127.0.0.1:${port}`;
  const [command, args] = dyingWithParent(process.execPath, [path.join(copyDir, 'build', 'index.js')]);
  const app: ChildProcess = spawn(command, args, {
    cwd: copyDir,
    detached: true,
    stdio: ['ignore', 'ignore', 'inherit'],
    env: {
      ...process.env,
      HOST: '127.0.0.1',
      PORT: String(port),
      ORIGIN: baseURL,
      PUBLIC_SUPABASE_URL: stack.url,
      PUBLIC_SUPABASE_PUBLISHABLE_KEY: stack.publishableKey,
      SUPABASE_SECRET_KEY: stack.secretKey,
    },
  });
  const stop = async () => {
    await stopChild(app);
    await rm(copyDir, { recursive: true, force: true });
  };
  try {
    await waitForHttp(`${baseURL}/login`, app, 60_000);
    const cookies = await signIn(baseURL);
    return { baseURL, cookies, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

/** Through the login form, as a browser posts it; returns the cookies the app set. */
async function signIn(baseURL: string): Promise<string[]> {
  const response = await fetch(`${baseURL}/login`, {
    method: 'POST',
    redirect: 'manual',
    // accept: text/html, or SvelteKit answers as to an enhanced form (JSON instead of a 303).
    headers: { accept: 'text/html', 'content-type': 'application/x-www-form-urlencoded', origin: baseURL },
    body: new URLSearchParams({ email: COORDINATOR.email, password: COORDINATOR.password }).toString(),
  });
  await response.body?.cancel();
  const cookies = response.headers.getSetCookie().map((cookie) => cookie.split(';')[0]!);
  const location = response.headers.get('location') ?? '';
  if (response.status !== 303 || !cookies.some((cookie) => cookie.startsWith('sb-'))) {
    throw new Error(`signing in through /login gave ${response.status} ${location}`);
  }
  if (location.startsWith('/mfa')) throw new Error('signing in requires a second factor (MFA); the bench signs in with a password only');
  return cookies;
}

function get(agent: http.Agent, url: URL, cookie: string): Promise<{ status: number; bytes: number }> {
  return new Promise((resolve, reject) => {
    const request = http.get(url, { agent, headers: { cookie, 'accept-encoding': 'identity' } }, (response) => {
      let bytes = 0;
      response.on('data', (chunk: Buffer) => (bytes += chunk.length));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, bytes }));
      response.on('error', reject);
    });
    request.on('error', reject);
  });
}

export async function measurePage(server: AppServer, pagePath: string, options: { connections: number; warmupSeconds: number; seconds: number }, log: (message: string) => void): Promise<PageFigure> {
  const url = new URL(pagePath, server.baseURL);
  const cookie = server.cookies.join('; ');
  const agent = new http.Agent({ keepAlive: true, maxSockets: options.connections });
  try {
    const probe = await get(agent, url, cookie);
    if (probe.status === 404) return { path: pagePath, status: 'n/a', reason: 'page not found (not built yet)' };
    if (probe.status !== 200) return { path: pagePath, status: 'n/a', reason: `answered ${probe.status}` };

    const run = async (seconds: number, record: boolean) => {
      const latencies: number[] = [];
      let errors = 0;
      const end = performance.now() + seconds * 1000;
      await Promise.all(
        Array.from({ length: options.connections }, async () => {
          while (performance.now() < end) {
            const started = performance.now();
            try {
              const answer = await get(agent, url, cookie);
              if (answer.status !== 200) errors++;
            } catch {
              errors++;
            }
            if (record) latencies.push(performance.now() - started);
          }
        }),
      );
      return { latencies, errors };
    };
    await run(options.warmupSeconds, false);
    const started = performance.now();
    const { latencies, errors } = await run(options.seconds, true);
    const elapsed = (performance.now() - started) / 1000;
    const figure: PageFigure = {
      path: pagePath,
      status: 'ok',
      requestsPerSecond: latencies.length / elapsed,
      latency: summarize(latencies),
      errors,
      htmlBytes: probe.bytes,
    };
    log(`SSR ${pagePath}: ${figure.requestsPerSecond!.toFixed(1)} req/s, p95 ${figure.latency!.p95.toFixed(0)} ms, ${errors} errors`);
    return figure;
  } finally {
    agent.destroy();
  }
}
