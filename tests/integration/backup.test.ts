// Backup and restore of a whole stack database: after `db:backup`, any damage, and `db:restore`,
// every table in every schema holds exactly what it held before (compared by checksums of all
// rows), sequences continue where they were, and the API serves the restored data.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createClient } from '@supabase/supabase-js';
import pg from 'pg';
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStack, type RunningStack } from '../../local-stack/src/stack.ts';
import { backupDatabase } from '../../scripts/db-backup.ts';
import { restoreDatabase } from '../../scripts/db-restore.ts';

let dir: string;
let stack: RunningStack;

/** md5 of every row of every user table (text form, sorted), keyed by schema.table. */
async function checksums(url: string): Promise<Record<string, string>> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const tables = await client.query<{ name: string }>(
      `select format('%I.%I', n.nspname, c.relname) as name
         from pg_class c join pg_namespace n on n.oid = c.relnamespace
        where c.relkind in ('r', 'p') and n.nspname not in ('pg_catalog', 'information_schema', 'pg_toast')
        order by 1`,
    );
    const result: Record<string, string> = {};
    for (const { name } of tables.rows) {
      const { rows } = await client.query<{ digest: string | null; n: string }>(
        `select md5(coalesce(string_agg(t::text, E'\\n' order by t::text), '')) as digest, count(*) as n from ${name} t`,
      );
      result[name] = `${rows[0]!.n}:${rows[0]!.digest}`;
    }
    const sequences = await client.query<{ name: string; last_value: string }>(
      `select format('%I.%I', schemaname, sequencename) as name, coalesce(last_value, 0)::text as last_value from pg_sequences order by 1`,
    );
    for (const { name, last_value } of sequences.rows) result[`sequence ${name}`] = last_value;
    return result;
  } finally {
    await client.end();
  }
}

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'suoja-backup-'));
  stack = await startStack({ dataDir: path.join(dir, 'stack'), apiPort: 0, dbPort: 0, fsync: false, logToStderr: false });
}, 180_000);

afterAll(async () => {
  await stack?.stop();
  await rm(dir, { recursive: true, force: true });
});

describe('db:backup and db:restore', () => {
  it('restores every table of every schema exactly, after rows were changed, deleted and added', async () => {
    const before = await checksums(stack.adminDatabaseUrl);
    expect(Object.keys(before)).toEqual(expect.arrayContaining(['public.clients', 'public.placements', 'auth.users', 'public.audit_log']));
    expect(before['public.clients']!.startsWith('0:')).toBe(false);

    const file = path.join(dir, 'suoja.dump');
    await backupDatabase(stack.adminDatabaseUrl, file);

    const damage = new pg.Client({ connectionString: stack.adminDatabaseUrl });
    await damage.connect();
    try {
      // Damage as an accident or an intruder would, past the append-only triggers.
      await damage.query(`set session_replication_role = replica`);
      await damage.query(`update public.clients set safety_level = 1 where safety_level = 4`);
      await damage.query(`delete from public.capacity_reports where id in (select id from public.capacity_reports order by id limit 5)`);
      await damage.query(`insert into public.capacity_reports (facility_id, kind, capacity, reported_role)
                          select id, 'update', 1, 'coordinator' from public.facilities limit 3`);
      await damage.query(`delete from auth.sessions`);
    } finally {
      await damage.end();
    }
    expect(await checksums(stack.adminDatabaseUrl)).not.toEqual(before);

    await restoreDatabase(stack.adminDatabaseUrl, file);
    expect(await checksums(stack.adminDatabaseUrl)).toEqual(before);
  });

  it('leaves the stack serving the restored data through the API, with RLS and sign-in intact', async () => {
    const supabase = createClient(stack.url, stack.publishableKey, {
      auth: { persistSession: false, autoRefreshToken: false },
      realtime: { transport: WebSocket as unknown as typeof globalThis.WebSocket },
    });
    const { error } = await supabase.auth.signInWithPassword({ email: 'coordinator@suoja.example', password: 'suoja-demo' });
    expect(error).toBeNull();
    const { count, error: readError } = await supabase.from('clients').select('id', { count: 'exact', head: true });
    expect(readError).toBeNull();
    expect(count).toBeGreaterThan(0);
    const anon = createClient(stack.url, stack.publishableKey, {
      auth: { persistSession: false, autoRefreshToken: false },
      realtime: { transport: WebSocket as unknown as typeof globalThis.WebSocket },
    });
    const { data: anonRows } = await anon.from('clients').select('id');
    expect(anonRows ?? []).toEqual([]);
  });

  it('refuses a file that is not there, changing nothing', async () => {
    const before = await checksums(stack.adminDatabaseUrl);
    await expect(restoreDatabase(stack.adminDatabaseUrl, path.join(dir, 'missing.dump'))).rejects.toThrow(/no such backup/);
    expect(await checksums(stack.adminDatabaseUrl)).toEqual(before);
  });
});
