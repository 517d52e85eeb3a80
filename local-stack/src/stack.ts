// Starts and stops the whole local stack as one process tree: Postgres, PostgREST, the gateway
// (REST proxy, Auth, Realtime) and the SQL scheduler.
import { randomBytes } from 'node:crypto';
import { appendFileSync, existsSync, readdirSync } from 'node:fs';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { applyBootstrapSql, applyMigrations, setRolePasswords, useHostedOwnerRole, type ConnectionTarget } from './bootstrap.ts';
import { loadProjectConfig, loadSchedule } from './config.ts';
import type { AuthService, RealtimeService, StackContext } from './context.ts';
import { createAuthService } from './auth/index.ts';
import { DEFAULT_SIGN_IN_RATE_LIMITS } from './auth/rate-limit.ts';
import { startGateway, type Gateway } from './gateway.ts';
import { KeyRing } from './keys.ts';
import {
  findPostgresBinDir,
  initCluster,
  isInitialised,
  postgresLayout,
  runningServerPid,
  serverAccount,
  startPostgres,
  type RunningPostgres,
} from './postgres.ts';
import { findPostgrestBinary, startPostgrest, type PostgrestOptions, type RunningPostgrest } from './postgrest.ts';
import { createRealtimeService } from './realtime/index.ts';
import { startScheduler, type Scheduler } from './scheduler.ts';

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const STACK_SQL_DIR = path.join(REPO_ROOT, 'local-stack/sql');

export interface StackOptions {
  /** Folder name under <repo>/.local-stack (default "dev"); ignored when dataDir is given. */
  name?: string;
  /** The stack folder (Postgres data, keys, passwords, logs). */
  dataDir?: string;
  /** Same as dataDir (the name the app's scripts use). */
  dir?: string;
  /** Gateway port; 0 picks a free one. Default: [api] port of supabase/config.toml. */
  apiPort?: number;
  /** Postgres port; 0 picks a free one. Default: [db] port of supabase/config.toml. */
  dbPort?: number;
  /** Wipe the stack folder first (keys included). */
  fresh?: boolean;
  /** Default <repo>/supabase/migrations; null for none. */
  migrationsDir?: string | null;
  /** Default <repo>/supabase/seed.sql; null for none. */
  seedFile?: string | null;
  /** Run as supabase_admin after local-stack/sql/*.sql, once per database (test fixtures needing a superuser). */
  extraSqlFiles?: string[];
  /** Default <repo>/supabase/config.toml. */
  configFile?: string | null;
  /** Default <repo>/supabase/schedule.json. */
  scheduleFile?: string | null;
  /** Default true. Off only for throwaway test databases: a crash may corrupt the data. */
  fsync?: boolean;
  /** Echo log lines to stderr (default true); they always go to <stack folder>/stack.log. */
  logToStderr?: boolean;
  /**
   * Make `postgres` a non-superuser, as on hosted Supabase, before migrations run (default false:
   * locally it is a superuser, which the benchmarks' bulk loading relies on). Applied on every
   * start with this option; a stack folder started without it keeps whatever the role has.
   */
  hostedRoles?: boolean;
}

export interface RunningStack {
  url: string;
  publishableKey: string;
  secretKey: string;
  legacyAnonKey: string;
  legacyServiceRoleKey: string;
  /** As `postgres` (owner of the app's objects). */
  databaseUrl: string;
  /** As `supabase_admin` (superuser). */
  adminDatabaseUrl: string;
  dataDir: string;
  apiPort: number;
  dbPort: number;
  /**
   * Fast shutdown of Postgres, then start it again on the same port and data. `whileDown` runs
   * between the two (a drill that needs the outage to last until it has acted during it).
   */
  restartPostgres(whileDown?: () => Promise<void>): Promise<void>;
  /** Close the gateway (dropping every HTTP and WebSocket connection) with Auth and Realtime, then start them again on the same port; `whileDown` as for restartPostgres. */
  restartGateway(whileDown?: () => Promise<void>): Promise<void>;
  stop(): Promise<void>;
}

/** What `cli.ts env` reads back while the stack runs. */
export interface StackState {
  pid: number;
  url: string;
  apiPort: number;
  dbPort: number;
}

export const STATE_FILE = 'stack.json';
export const PASSWORDS_FILE = 'db-passwords.json';
const LOGIN_ROLES = ['supabase_admin', 'postgres', 'authenticator', 'supabase_auth_admin', 'supabase_realtime_admin'] as const;
type Passwords = Record<(typeof LOGIN_ROLES)[number], string>;

export function stackDirFor(opts: Pick<StackOptions, 'name' | 'dataDir' | 'dir'>): string {
  return path.resolve(opts.dataDir ?? opts.dir ?? path.join(REPO_ROOT, '.local-stack', opts.name ?? 'dev'));
}

/**
 * Ports free right now, all different: each is held open until all are found, because the kernel
 * may hand a just-released port out again (two calls in a row can return the same port).
 */
export async function freePorts(count: number): Promise<number[]> {
  const servers: net.Server[] = [];
  try {
    const ports: number[] = [];
    for (let i = 0; i < count; i++) {
      const server = net.createServer();
      servers.push(server);
      ports.push(
        await new Promise<number>((resolve, reject) => {
          server.once('error', reject);
          server.listen(0, '127.0.0.1', () => {
            const address = server.address();
            resolve(typeof address === 'object' && address ? address.port : 0);
          });
        }),
      );
    }
    return ports;
  } finally {
    await Promise.all(servers.map((server) => new Promise((resolve) => server.close(resolve))));
  }
}

export async function freePort(): Promise<number> {
  return (await freePorts(1))[0]!;
}

export async function loadPasswords(stackDir: string): Promise<Passwords> {
  const file = path.join(stackDir, PASSWORDS_FILE);
  if (existsSync(file)) return JSON.parse(await readFile(file, 'utf8')) as Passwords;
  const passwords = Object.fromEntries(LOGIN_ROLES.map((role) => [role, randomBytes(24).toString('base64url')])) as Passwords;
  await writeFile(file, JSON.stringify(passwords, null, 2) + '\n', { mode: 0o600 });
  return passwords;
}

export function databaseUrl(user: string, password: string, port: number): string {
  return `postgresql://${user}:${encodeURIComponent(password)}@127.0.0.1:${port}/postgres`;
}

/** Another process may take a port between choosing and binding it; then choose again. */
async function startPostgrestOnFreePorts(options: Omit<PostgrestOptions, 'port' | 'adminPort'>): Promise<RunningPostgrest> {
  for (let attempt = 1; ; attempt++) {
    const [port, adminPort] = await freePorts(2);
    try {
      return await startPostgrest({ ...options, port: port!, adminPort: adminPort! });
    } catch (error) {
      if (attempt >= 5 || !/address in use/i.test((error as Error).message)) throw error;
    }
  }
}

export async function startStack(opts: StackOptions = {}): Promise<RunningStack> {
  const stackDir = stackDirFor(opts);
  if (opts.fresh) await rm(stackDir, { recursive: true, force: true });
  await mkdir(stackDir, { recursive: true, mode: 0o700 });
  const logFile = path.join(stackDir, 'stack.log');
  const log = (part: string, message: string) => {
    const line = `${new Date().toISOString()} [${part}] ${message}\n`;
    appendFileSync(logFile, line);
    if (opts.logToStderr !== false) process.stderr.write(`[${part}] ${message}\n`);
  };

  const binDir = findPostgresBinDir();
  const postgrestBinary = findPostgrestBinary();
  const account = serverAccount();
  const projectConfig = loadProjectConfig(opts.configFile === undefined ? path.join(REPO_ROOT, 'supabase/config.toml') : opts.configFile);
  const jobs = loadSchedule(opts.scheduleFile === undefined ? path.join(REPO_ROOT, 'supabase/schedule.json') : opts.scheduleFile);

  const layout = postgresLayout(stackDir);
  const runningPid = await runningServerPid(layout);
  if (runningPid !== null) throw new Error(`a stack already runs on ${stackDir} (postgres pid ${runningPid}); stop it first`);

  const [freeApiPort, freeDbPort] = await freePorts(2);
  const apiPort = opts.apiPort === 0 ? freeApiPort! : (opts.apiPort ?? projectConfig.apiPort);
  const dbPort = opts.dbPort === 0 ? freeDbPort! : (opts.dbPort ?? projectConfig.dbPort);
  const url = `http://127.0.0.1:${apiPort}`;
  const passwords = await loadPasswords(stackDir);
  const keyRing = await KeyRing.open(stackDir, url);

  const cleanups: Array<() => Promise<void>> = [];
  let shuttingDown = false;
  const cleanup = async () => {
    shuttingDown = true;
    for (const step of cleanups.splice(0).reverse()) await step().catch((error: unknown) => log('stack', `stop: ${(error as Error).message}`));
  };

  try {
    if (!isInitialised(layout)) {
      log('postgres', `creating a cluster in ${layout.dataDir}`);
      await initCluster({ binDir, layout, account, superuserPassword: passwords.supabase_admin });
    }
    const postgresOptions = {
      binDir,
      layout,
      account,
      superuserPassword: passwords.supabase_admin,
      port: dbPort,
      fsync: opts.fsync ?? true,
      log: (message: string) => log('postgres', message),
    };
    // Server logs cover the current run only (logical decoding logs every poll at LOG level).
    await Promise.all(['postgres.log', 'postgrest.log'].map((file) => rm(path.join(stackDir, file), { force: true })));
    let postgres: RunningPostgres = await startPostgres(postgresOptions);
    cleanups.push(() => postgres.stop());

    const admin: ConnectionTarget = { port: dbPort, user: 'supabase_admin', password: passwords.supabase_admin };
    const stackSqlFiles = readdirSync(STACK_SQL_DIR)
      .filter((file) => file.endsWith('.sql'))
      .sort()
      .map((file) => path.join(STACK_SQL_DIR, file));
    await applyBootstrapSql(admin, [...stackSqlFiles, ...(opts.extraSqlFiles ?? [])], (message) => log('bootstrap', message));
    if (opts.hostedRoles) await useHostedOwnerRole(admin);
    await setRolePasswords(admin, passwords);
    const migrations = await applyMigrations(
      { port: dbPort, user: 'postgres', password: passwords.postgres },
      opts.migrationsDir === undefined ? path.join(REPO_ROOT, 'supabase/migrations') : opts.migrationsDir,
      opts.seedFile === undefined ? path.join(REPO_ROOT, 'supabase/seed.sql') : opts.seedFile,
      (message) => log('migrations', message),
    );
    if (migrations.applied.length > 0) log('migrations', `applied ${migrations.applied.join(', ')}`);
    if (migrations.seeded) log('migrations', 'seed loaded');

    const adminDatabaseUrl = databaseUrl('supabase_admin', passwords.supabase_admin, dbPort);
    // Idle pooled connections see Postgres restart or stop; pg reconnects on the next query.
    const poolErrors = (name: string) => (error: Error) => {
      if (!shuttingDown) log('stack', `${name} pool: ${error.message}`);
    };
    const adminPool = new pg.Pool({ connectionString: adminDatabaseUrl, max: 10 });
    adminPool.on('error', poolErrors('admin'));
    const authPool = new pg.Pool({ connectionString: databaseUrl('supabase_auth_admin', passwords.supabase_auth_admin, dbPort), max: 10 });
    authPool.on('error', poolErrors('auth'));
    cleanups.push(async () => {
      await Promise.all([adminPool.end(), authPool.end()]);
    });

    const ctx: StackContext = {
      config: {
        publicUrl: url,
        customAccessTokenHook: projectConfig.customAccessTokenHook,
        jwtExpiry: projectConfig.jwtExpiry,
        refreshTokenReuseInterval: projectConfig.refreshTokenReuseInterval,
        minimumPasswordLength: projectConfig.minimumPasswordLength,
        signInRateLimits: { ...DEFAULT_SIGN_IN_RATE_LIMITS, perAddress: projectConfig.signInSignUps },
      },
      keys: keyRing.keys,
      authPool,
      adminPool,
      adminDatabaseUrl,
      log,
      resolveApiKey: (apikey) => keyRing.resolveApiKey(apikey),
      verifyJwt: (token) => keyRing.verifyJwt(token),
    };

    const postgrest: RunningPostgrest = await startPostgrestOnFreePorts({
      binary: postgrestBinary,
      dbUri: databaseUrl('authenticator', passwords.authenticator, dbPort),
      jwks: keyRing.postgrestJwks,
      configFile: path.join(stackDir, 'postgrest.conf'),
      logFile: path.join(stackDir, 'postgrest.log'),
      log: (message) => log('postgrest', message),
    });
    cleanups.push(() => postgrest.stop());

    let auth: AuthService = createAuthService(ctx);
    let realtime: RealtimeService = createRealtimeService(ctx);

    const health = async () => {
      const answers = (pool: pg.Pool) =>
        pool.query('select 1').then(
          () => true,
          () => false,
        );
      const [postgresOk, authDbOk, postgrestOk] = await Promise.all([answers(adminPool), answers(authPool), postgrest.isReady()]);
      const parts = {
        postgres: { ok: postgresOk },
        postgrest: { ok: postgrestOk },
        // Auth is in-process; what it needs to answer is its own connection to the database.
        auth: { ok: authDbOk },
        realtime: { ok: true },
        scheduler: { ok: true, jobs: jobs.map((job) => job.function) },
      };
      return { status: Object.values(parts).every((part) => part.ok) ? 'ok' : 'degraded', parts };
    };

    const openGateway = () =>
      startGateway({ ctx, postgrestPort: () => postgrest.port, auth, realtime, health }, apiPort);
    let gateway: Gateway = await openGateway();
    const closeGateway = async () => {
      await gateway.close();
      await Promise.all([auth.close(), realtime.close()]);
    };
    cleanups.push(closeGateway);

    const scheduler: Scheduler = startScheduler(adminPool, jobs, (message) => log('scheduler', message));
    cleanups.push(() => scheduler.stop());

    const state: StackState = { pid: process.pid, url, apiPort, dbPort };
    await writeFile(path.join(stackDir, STATE_FILE), JSON.stringify(state, null, 2) + '\n');
    cleanups.push(() => rm(path.join(stackDir, STATE_FILE), { force: true }));

    let stopping: Promise<void> | null = null;
    return {
      url,
      publishableKey: keyRing.keys.publishableKey,
      secretKey: keyRing.keys.secretKey,
      legacyAnonKey: keyRing.keys.legacyAnonKey,
      legacyServiceRoleKey: keyRing.keys.legacyServiceRoleKey,
      databaseUrl: databaseUrl('postgres', passwords.postgres, dbPort),
      adminDatabaseUrl,
      dataDir: stackDir,
      apiPort,
      dbPort,
      async restartPostgres(whileDown) {
        await postgres.stop();
        try {
          await whileDown?.();
        } finally {
          postgres = await startPostgres(postgresOptions);
        }
      },
      async restartGateway(whileDown) {
        await closeGateway();
        try {
          await whileDown?.();
        } finally {
          auth = createAuthService(ctx);
          realtime = createRealtimeService(ctx);
          gateway = await openGateway();
        }
      },
      stop() {
        stopping ??= cleanup();
        return stopping;
      },
    };
  } catch (error) {
    await cleanup();
    throw error;
  }
}

export async function readStackState(stackDir: string): Promise<StackState | null> {
  try {
    return JSON.parse(await readFile(path.join(stackDir, STATE_FILE), 'utf8')) as StackState;
  } catch {
    return null;
  }
}
