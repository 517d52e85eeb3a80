// The stack as a process tree: data survive a restart, migrations run once, the restart drills
// work, and SIGTERM to the CLI leaves no server behind. Each test runs a stack of its own.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { createClient } from '@supabase/supabase-js';
import pg from 'pg';
import WebSocket from 'ws';
import { afterEach, describe, expect, it } from 'vitest';
import { startStack, type RunningStack, type StackOptions } from '../src/stack.ts';

const here = path.dirname(fileURLToPath(import.meta.url));
const repoRoot = path.resolve(here, '../..');
const fixtures = path.join(here, 'fixtures');
const fixtureOptions: StackOptions = {
  migrationsDir: path.join(fixtures, 'migrations'),
  seedFile: null,
  configFile: path.join(fixtures, 'config.toml'),
  scheduleFile: null,
  apiPort: 0,
  dbPort: 0,
  fsync: false,
  logToStderr: false,
};

const cleanups: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function temporaryDir(): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), 'suoja-lifecycle-'));
  cleanups.push(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

async function started(options: StackOptions): Promise<RunningStack> {
  const stack = await startStack(options);
  cleanups.push(() => stack.stop());
  return stack;
}

function restClient(stack: RunningStack) {
  return createClient(stack.url, stack.secretKey, {
    auth: { persistSession: false, autoRefreshToken: false },
    realtime: { transport: WebSocket as never },
  });
}

/** Processes whose command line names the folder: the postmaster (-D) and PostgREST (its config file). */
function processesUsing(dir: string): string[] {
  const listing = spawnSync('ps', ['-eo', 'pid=,args='], { encoding: 'utf8' }).stdout;
  return listing.split('\n').filter((line) => line.includes(dir) && !line.includes('ps -eo'));
}

/** Waits for a condition that becomes true by itself (a server reconnecting); no timing is asserted. */
async function eventually<T>(attempt: () => Promise<T>, accept: (value: T) => boolean): Promise<T> {
  for (;;) {
    const value = await attempt().catch(() => undefined);
    if (value !== undefined && accept(value)) return value;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

describe('restarting on the same data', () => {
  it('keeps written rows, keys and the database across a stop and start, and applies migrations only once', async () => {
    const dir = await temporaryDir();
    const first = await startStack({ ...fixtureOptions, dataDir: dir });
    const written = await restClient(first).from('note_tags').insert({ tag: 'survives restarts' }).select('id').single();
    expect(written.error).toBeNull();
    const firstKeys = [first.publishableKey, first.secretKey];
    await first.stop();
    expect(processesUsing(dir)).toEqual([]);

    const second = await started({ ...fixtureOptions, dataDir: dir });
    expect([second.publishableKey, second.secretKey]).toEqual(firstKeys);
    const read = await restClient(second).from('note_tags').select('tag').eq('id', written.data!.id).single();
    expect(read.error).toBeNull();
    expect(read.data).toEqual({ tag: 'survives restarts' });

    const db = new pg.Client({ connectionString: second.databaseUrl });
    await db.connect();
    try {
      const migrations = await db.query('select version, name from supabase_migrations.schema_migrations');
      expect(migrations.rows).toEqual([{ version: '20240101000000', name: 'contract_fixture' }]);
    } finally {
      await db.end();
    }
  });

  it('serves REST again after a Postgres restart (fast shutdown) on the same port and data', async () => {
    const stack = await started({ ...fixtureOptions, dataDir: await temporaryDir() });
    const supabase = restClient(stack);
    await supabase.from('note_tags').insert({ tag: 'before the restart' });
    await stack.restartPostgres();
    const after = await eventually(
      async () => supabase.from('note_tags').select('tag'),
      (result) => result.error === null,
    );
    expect(after.data).toEqual([{ tag: 'before the restart' }]);
  });

  it('serves again on the same port after a gateway restart', async () => {
    const stack = await started({ ...fixtureOptions, dataDir: await temporaryDir() });
    await stack.restartGateway();
    const echoed = await restClient(stack).rpc('echo', { x: 'still here' });
    expect(echoed.data).toBe('still here');
  });
});

describe('scheduled SQL', () => {
  it('runs a job on its interval without ever overlapping two runs, and keeps running when another job fails', async () => {
    const stack = await started({ ...fixtureOptions, dataDir: await temporaryDir(), scheduleFile: path.join(fixtures, 'schedule.json') });
    const db = new pg.Client({ connectionString: stack.databaseUrl });
    await db.connect();
    cleanups.push(() => db.end());
    // Each run takes 0.3 s and the interval is 0.1 s: overlapping runs would start before the previous ended.
    const runs = await eventually(
      () => db.query<{ started_at: Date; ended_at: Date }>('select started_at, ended_at from public.scheduler_runs order by started_at'),
      (result) => result.rows.length >= 3,
    );
    runs.rows.slice(1).forEach((run, index) => {
      expect(run.started_at.getTime()).toBeGreaterThanOrEqual(runs.rows[index]!.ended_at.getTime());
    });
    const log = await eventually(
      () => readFile(path.join(stack.dataDir, 'stack.log'), 'utf8'),
      (text) => text.includes('missing job (public.function_that_does_not_exist) failed'),
    );
    expect(log).toMatch(/function public\.function_that_does_not_exist\(\) does not exist/);
  });
});

describe('the CLI', () => {
  it('prints the env lines once ready and leaves no postgres or PostgREST behind after SIGTERM', async () => {
    const dir = await temporaryDir();
    const cli = spawn(
      path.join(repoRoot, 'node_modules/.bin/tsx'),
      [
        'local-stack/src/cli.ts',
        'start',
        '--dir', dir,
        '--api-port', '0',
        '--db-port', '0',
        '--migrations', fixtureOptions.migrationsDir!,
        '--config', fixtureOptions.configFile!,
        '--no-seed',
        '--quiet',
      ],
      { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let stderr = '';
    cli.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => cli.once('exit', (code) => resolve(code)));
    cleanups.push(async () => {
      if (cli.exitCode === null && cli.signalCode === null) cli.kill('SIGKILL');
    });

    const lines: string[] = [];
    const reader = createInterface({ input: cli.stdout });
    await new Promise<void>((resolve, reject) => {
      reader.on('line', (line) => {
        lines.push(line);
        if (lines.length === 4) resolve();
      });
      void exited.then((code) => reject(new Error(`the CLI exited (${code}) before it was ready:\n${stderr}`)));
    });

    expect(lines[0]).toMatch(/^SUPABASE_URL=http:\/\/127\.0\.0\.1:\d+$/);
    expect(lines[1]).toMatch(/^SUPABASE_PUBLISHABLE_KEY=sb_publishable_\S+$/);
    expect(lines[2]).toMatch(/^SUPABASE_SECRET_KEY=sb_secret_\S+$/);
    expect(lines[3]).toMatch(/^DATABASE_URL=postgresql:\/\/postgres:\S+@127\.0\.0\.1:\d+\/postgres$/);
    const env = Object.fromEntries(lines.map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]));

    const supabase = createClient(env.SUPABASE_URL!, env.SUPABASE_PUBLISHABLE_KEY!, {
      auth: { persistSession: false },
      realtime: { transport: WebSocket as never },
    });
    expect((await supabase.rpc('echo', { x: 'from the CLI' })).data).toBe('from the CLI');
    expect(processesUsing(dir).length).toBeGreaterThanOrEqual(2);

    cli.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(processesUsing(dir)).toEqual([]);
    expect(existsSync(path.join(dir, 'postgres/data/postmaster.pid'))).toBe(false);
  });
});
