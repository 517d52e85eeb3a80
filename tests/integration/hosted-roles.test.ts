// Every migration and the seed apply, in `supabase db push` order, on a fresh stack whose `postgres`
// is shaped as on hosted Supabase: no superuser (locally it is one, which would hide a migration
// that only a superuser may run). The stack of this file is its own, not the shared one.
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createClient } from '@supabase/supabase-js';
import pg from 'pg';
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT, startStack, type RunningStack } from '../../local-stack/src/stack.ts';
import { DEMO_PASSWORD, demoUsers } from './support/stack.ts';

let stackDir: string;
let stack: RunningStack;
let admin: pg.Client;

beforeAll(async () => {
  stackDir = await mkdtemp(path.join(tmpdir(), 'suoja-hosted-roles-'));
  // Starting fails, naming the file and line, if a migration or the seed does not apply.
  stack = await startStack({ dataDir: stackDir, apiPort: 0, dbPort: 0, fsync: false, logToStderr: false, hostedRoles: true });
  admin = new pg.Client({ connectionString: stack.adminDatabaseUrl });
  await admin.connect();
});

afterAll(async () => {
  await admin?.end();
  await stack?.stop();
  if (stackDir) await rm(stackDir, { recursive: true, force: true });
});

async function value<T>(sql: string): Promise<T> {
  return Object.values((await admin.query(sql)).rows[0] as Record<string, T>)[0]!;
}

describe('a fresh stack with hosted-shaped roles', () => {
  it('runs migrations as a postgres that is no superuser but has the hosted attributes', async () => {
    const role = (await admin.query('select rolsuper, rolcreaterole, rolcreatedb, rolreplication, rolbypassrls, rolcanlogin from pg_roles where rolname = $1', ['postgres'])).rows[0];
    expect(role).toEqual({ rolsuper: false, rolcreaterole: true, rolcreatedb: true, rolreplication: true, rolbypassrls: true, rolcanlogin: true });
  });

  it('has applied every migration, in version order, and the seed', async () => {
    const files = (await readdir(path.join(REPO_ROOT, 'supabase/migrations'))).filter((file) => file.endsWith('.sql')).sort();
    const applied = (await admin.query<{ version: string; name: string }>('select version, name from supabase_migrations.schema_migrations order by version')).rows;
    expect(applied.map((row) => `${row.version}_${row.name}.sql`)).toEqual(files);
    expect(await value<number>(`select count(*)::int from supabase_migrations.seed_files where path = 'seed.sql'`)).toBe(1);
  });

  it('leaves the app objects owned by postgres, as db push does', async () => {
    const foreign = await admin.query(
      `select c.relname from pg_class c
        where c.relnamespace in ('public'::regnamespace, 'private'::regnamespace) and c.relkind in ('r', 'v', 'm', 'S', 'p')
          and c.relowner <> 'postgres'::regrole`,
    );
    expect(foreign.rows).toEqual([]);
  });

  it('holds the reference data and the demo data', async () => {
    const counts = (await admin.query(`select
        (select count(*)::int from public.regions) as regions,
        (select count(*)::int from public.municipalities) as municipalities,
        (select count(*)::int from public.facilities where id::text like 'f0000000-%') as facilities,
        (select count(*)::int from public.clients where id::text like 'c0000000-%') as clients,
        (select count(*)::int from public.staff where email like '%@suoja.example') as staff`)).rows[0];
    expect(counts).toEqual({ regions: 19, municipalities: 308, facilities: 40, clients: 150, staff: Object.keys(demoUsers).length });
  });

  it('lets a demo coordinator sign in and read through RLS and the non-superuser security definer helpers', async () => {
    const supabase = createClient(stack.url, stack.publishableKey, {
      auth: { persistSession: false, autoRefreshToken: false },
      realtime: { transport: WebSocket as unknown as typeof globalThis.WebSocket },
    });
    const { error: signInError } = await supabase.auth.signInWithPassword({ email: demoUsers.coordinator.email, password: DEMO_PASSWORD });
    expect(signInError).toBeNull();
    const municipalities = await supabase.from('municipalities').select('code', { count: 'exact', head: true });
    expect(municipalities.error).toBeNull();
    expect(municipalities.count).toBe(308);
    const facilities = await supabase.from('facilities').select('id', { count: 'exact', head: true });
    expect(facilities.error).toBeNull();
    expect(facilities.count).toBe(40);
    await supabase.auth.signOut();
  });
});
