// A PostgreSQL 15 cluster owned by this process tree: initdb into the stack folder, run the
// server as a child (never a daemon), stop it with a fast shutdown.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chmod, chown, mkdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { createWriteStream, type WriteStream } from 'node:fs';
import path from 'node:path';
import pg from 'pg';

export class MissingDependencyError extends Error {}

const INSTALL_POSTGRES_HINT =
  'PostgreSQL 15 server binaries not found: install them with `apt-get install postgresql-15` (Debian/Ubuntu) or put PostgreSQL 15 `bin` on PATH so `pg_config --bindir` finds it.';

/** Directory holding initdb/postgres of PostgreSQL 15. */
export function findPostgresBinDir(): string {
  const candidates = ['/usr/lib/postgresql/15/bin'];
  const fromPgConfig = spawnSync('pg_config', ['--bindir'], { encoding: 'utf8' });
  if (fromPgConfig.status === 0) candidates.push(fromPgConfig.stdout.trim());
  for (const dir of candidates) {
    if (!existsSync(path.join(dir, 'postgres')) || !existsSync(path.join(dir, 'initdb'))) continue;
    const version = spawnSync(path.join(dir, 'postgres'), ['--version'], { encoding: 'utf8' });
    if (version.status === 0 && / 15\./.test(version.stdout)) return dir;
  }
  throw new MissingDependencyError(INSTALL_POSTGRES_HINT);
}

/** The OS account the server runs as. Postgres refuses to run as root, so root delegates to `postgres`. */
export interface ServerAccount {
  uid: number;
  gid: number;
  name: string;
}

export function serverAccount(): ServerAccount | null {
  if (process.getuid?.() !== 0) return null;
  let id = spawnSync('id', ['-u', 'postgres'], { encoding: 'utf8' });
  if (id.status !== 0) {
    const created = spawnSync('useradd', ['--system', '--user-group', '--no-create-home', '--shell', '/usr/sbin/nologin', 'postgres'], {
      encoding: 'utf8',
    });
    if (created.status !== 0) throw new Error(`could not create the unprivileged OS user postgres: ${created.stderr.trim()}`);
    id = spawnSync('id', ['-u', 'postgres'], { encoding: 'utf8' });
  }
  const gid = spawnSync('id', ['-g', 'postgres'], { encoding: 'utf8' });
  return { uid: Number(id.stdout.trim()), gid: Number(gid.stdout.trim()), name: 'postgres' };
}

/**
 * Command line that runs `argv` as the server account and delivers `deathSignal` to it if this
 * process dies without stopping it (SIGKILL, crash), so no server outlives the stack.
 */
function withAccount(account: ServerAccount | null, deathSignal: string, argv: string[]): [string, string[]] {
  const setpriv = '/usr/bin/setpriv';
  if (!existsSync(setpriv)) {
    if (account) throw new MissingDependencyError('setpriv (util-linux) is needed to run PostgreSQL as an unprivileged user: `apt-get install util-linux`');
    return [argv[0]!, argv.slice(1)];
  }
  const identity = account ? ['--reuid', String(account.uid), '--regid', String(account.gid), '--init-groups'] : [];
  return [setpriv, ['--pdeathsig', deathSignal, ...identity, ...argv]];
}

export interface PostgresLayout {
  /** Folder owned by the server account: holds `data/` and the unix socket. */
  serverDir: string;
  dataDir: string;
  logFile: string;
}

export function postgresLayout(stackDir: string): PostgresLayout {
  const serverDir = path.join(stackDir, 'postgres');
  return { serverDir, dataDir: path.join(serverDir, 'data'), logFile: path.join(stackDir, 'postgres.log') };
}

/** The server account must be able to walk down to its folder. */
async function makeAncestorsTraversable(dir: string): Promise<void> {
  let current = path.dirname(path.resolve(dir));
  while (true) {
    const info = await stat(current);
    if ((info.mode & 0o001) === 0) await chmod(current, (info.mode & 0o7777) | 0o001);
    const parent = path.dirname(current);
    if (parent === current) break;
    current = parent;
  }
}

async function chownTree(dir: string, account: ServerAccount): Promise<void> {
  const result = spawnSync('chown', ['-R', `${account.uid}:${account.gid}`, dir], { encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`chown ${dir} failed: ${result.stderr.trim()}`);
}

export function isInitialised(layout: PostgresLayout): boolean {
  return existsSync(path.join(layout.dataDir, 'PG_VERSION'));
}

export interface InitOptions {
  binDir: string;
  layout: PostgresLayout;
  account: ServerAccount | null;
  superuserPassword: string;
}

export async function initCluster({ binDir, layout, account, superuserPassword }: InitOptions): Promise<void> {
  await mkdir(layout.serverDir, { recursive: true, mode: 0o700 });
  await rm(layout.dataDir, { recursive: true, force: true });
  const pwFile = path.join(layout.serverDir, '.initdb-pw');
  await writeFile(pwFile, superuserPassword + '\n', { mode: 0o600 });
  if (account) {
    await makeAncestorsTraversable(layout.serverDir);
    await chown(layout.serverDir, account.uid, account.gid);
    await chown(pwFile, account.uid, account.gid);
  }
  try {
    const [cmd, args] = withAccount(account, 'KILL', [
      path.join(binDir, 'initdb'),
      '-D', layout.dataDir,
      '-U', 'supabase_admin',
      '--pwfile', pwFile,
      '--auth', 'scram-sha-256',
      '-E', 'UTF8',
      '--locale', 'C.UTF-8',
      '--no-instructions',
    ]);
    const result = spawnSync(cmd, args, { encoding: 'utf8' });
    if (result.status !== 0) throw new Error(`initdb failed:\n${result.stdout}\n${result.stderr}`);
  } finally {
    await rm(pwFile, { force: true });
  }
  // Only TCP on 127.0.0.1 and the private socket, always with a password.
  await writeFile(
    path.join(layout.dataDir, 'pg_hba.conf'),
    [
      'local all all scram-sha-256',
      'host all all 127.0.0.1/32 scram-sha-256',
      'host replication all 127.0.0.1/32 scram-sha-256',
      '',
    ].join('\n'),
  );
  if (account) await chownTree(layout.serverDir, account);
}

export interface ServerSettings {
  port: number;
  fsync: boolean;
}

/** Written on every start so a changed port or fsync choice takes effect on the same data. */
async function writeServerSettings(layout: PostgresLayout, settings: ServerSettings, account: ServerAccount | null): Promise<void> {
  const file = path.join(layout.dataDir, 'postgresql.auto.conf');
  const lines = [
    '# Managed by local-stack/src/postgres.ts on every start.',
    `listen_addresses = '127.0.0.1'`,
    `port = ${settings.port}`,
    `unix_socket_directories = '${layout.serverDir}'`,
    // Logical decoding for Realtime's change capture (wal2json), as hosted Supabase runs it.
    `wal_level = logical`,
    `max_replication_slots = 10`,
    `max_wal_senders = 10`,
    `password_encryption = 'scram-sha-256'`,
    `max_connections = 200`,
    `fsync = ${settings.fsync ? 'on' : 'off'}`,
    `synchronous_commit = ${settings.fsync ? 'on' : 'off'}`,
    `full_page_writes = ${settings.fsync ? 'on' : 'off'}`,
    `timezone = 'UTC'`,
    `log_timezone = 'UTC'`,
    `logging_collector = off`,
    `log_min_messages = warning`,
    '',
  ];
  await writeFile(file, lines.join('\n'), { mode: 0o600 });
  if (account) await chown(file, account.uid, account.gid);
}

export interface RunningPostgres {
  port: number;
  process: ChildProcess;
  stop(): Promise<void>;
}

export interface StartOptions extends ServerSettings {
  binDir: string;
  layout: PostgresLayout;
  account: ServerAccount | null;
  superuserPassword: string;
  log: (message: string) => void;
}

function exited(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => child.once('exit', () => resolve()));
}

export async function startPostgres(opts: StartOptions): Promise<RunningPostgres> {
  const { layout, account } = opts;
  await writeServerSettings(layout, opts, account);
  // A server killed without cleanup leaves postmaster.pid; postgres itself decides if it is stale.
  const logStream: WriteStream = createWriteStream(layout.logFile, { flags: 'a' });
  const [cmd, args] = withAccount(account, 'INT', [path.join(opts.binDir, 'postgres'), '-D', layout.dataDir]);
  // Own process group: a terminal's Ctrl-C reaches only the stack, which then stops the parts in
  // order (gateway, PostgREST, Postgres); the parent-death signal still covers a killed stack.
  const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  let output = '';
  const collect = (chunk: Buffer) => {
    logStream.write(chunk);
    if (output.length < 20_000) output += chunk.toString();
  };
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);
  const exit = exited(child);
  let stopping = false;
  void exit.then(() => {
    logStream.end();
    if (!stopping) opts.log(`postgres exited unexpectedly (code ${child.exitCode}, signal ${child.signalCode}); see ${layout.logFile}`);
  });

  const deadline = Date.now() + 60_000;
  while (true) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`postgres did not start:\n${output.trim()}`);
    }
    const client = new pg.Client({
      host: '127.0.0.1',
      port: opts.port,
      user: 'supabase_admin',
      password: opts.superuserPassword,
      database: 'postgres',
      connectionTimeoutMillis: 2000,
    });
    try {
      await client.connect();
      await client.query('select 1');
      await client.end();
      break;
    } catch (error) {
      await client.end().catch(() => {});
      if (Date.now() > deadline) {
        child.kill('SIGINT');
        throw new Error(`postgres did not become ready within 60 s: ${(error as Error).message}\n${output.trim()}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  return {
    port: opts.port,
    process: child,
    async stop() {
      stopping = true;
      if (child.exitCode !== null || child.signalCode !== null) return;
      // SIGINT is postgres's fast shutdown: active sessions are rolled back, nothing is lost.
      child.kill('SIGINT');
      const timer = setTimeout(() => child.kill('SIGQUIT'), 15_000);
      await exit;
      clearTimeout(timer);
    },
  };
}

/** PID recorded by a running (or uncleanly stopped) server on this data folder, if it is alive. */
export async function runningServerPid(layout: PostgresLayout): Promise<number | null> {
  try {
    const first = (await readFile(path.join(layout.dataDir, 'postmaster.pid'), 'utf8')).split('\n')[0];
    const pid = Number(first);
    if (!Number.isInteger(pid) || pid <= 0) return null;
    process.kill(pid, 0);
    return pid;
  } catch {
    return null;
  }
}
