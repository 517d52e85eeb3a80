// Starts scripts/e2e-server.ts (a fresh stack and the built app on free ports) before any test,
// hands its addresses and keys to the workers through the environment, and stops it afterwards.
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { E2E_ENV } from './environment';

const READY_PREFIX = 'SUOJA_E2E_READY ';
const repoRoot = fileURLToPath(new URL('../..', import.meta.url));

interface ReadyEnvironment {
  baseURL: string;
  supabaseUrl: string;
  publishableKey: string;
  secretKey: string;
  databaseUrl: string;
  controlUrl: string;
}

function waitUntilReady(server: ChildProcess): Promise<ReadyEnvironment> {
  return new Promise((resolve, reject) => {
    if (!server.stdout) throw new Error('the e2e server was started without a stdout pipe');
    const lines = createInterface({ input: server.stdout });
    const onExit = (code: number | null, signal: NodeJS.Signals | null): void => {
      reject(new Error(`the e2e server (scripts/e2e-server.ts) exited before it was ready (${signal ?? `code ${code}`}); its log is above`));
    };
    server.once('exit', onExit);
    lines.on('line', (line) => {
      if (!line.startsWith(READY_PREFIX)) {
        process.stderr.write(`${line}\n`);
        return;
      }
      server.off('exit', onExit);
      resolve(JSON.parse(line.slice(READY_PREFIX.length)) as ReadyEnvironment);
    });
  });
}

function signalGroup(server: ChildProcess, signal: NodeJS.Signals): void {
  if (server.pid === undefined) return;
  try {
    process.kill(-server.pid, signal);
  } catch {
    // The group has already gone.
  }
}

async function stopServer(server: ChildProcess): Promise<void> {
  if (server.exitCode !== null || server.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => server.once('exit', () => resolve()));
  signalGroup(server, 'SIGTERM');
  // The server stops the app and then the stack; far longer than that means it hangs.
  const timer = setTimeout(() => signalGroup(server, 'SIGKILL'), 30_000);
  await exited;
  clearTimeout(timer);
}

export default async function globalSetup(): Promise<() => Promise<void>> {
  const server = spawn(process.execPath, [`${repoRoot}node_modules/tsx/dist/cli.mjs`, 'scripts/e2e-server.ts'], {
    cwd: repoRoot,
    // Its own process group, so stopping it reaches the stack's Postgres and PostgREST too; stdin
    // stays open as a lifeline: if this runner dies, the server sees it close and stops.
    detached: true,
    stdio: ['pipe', 'pipe', 'inherit'],
    env: process.env,
  });
  let environment: ReadyEnvironment;
  try {
    environment = await waitUntilReady(server);
  } catch (error) {
    await stopServer(server);
    throw error;
  }

  // Workers are started after global setup and inherit these.
  process.env[E2E_ENV.baseURL] = environment.baseURL;
  process.env[E2E_ENV.supabaseUrl] = environment.supabaseUrl;
  process.env[E2E_ENV.publishableKey] = environment.publishableKey;
  process.env[E2E_ENV.secretKey] = environment.secretKey;
  process.env[E2E_ENV.databaseUrl] = environment.databaseUrl;
  process.env[E2E_ENV.controlUrl] = environment.controlUrl;

  return async () => {
    await stopServer(server);
  };
}
