// Brings a cluster to what hosted Supabase has before user migrations (local-stack/sql/*.sql),
// then applies supabase/migrations and the seed the way the Supabase CLI does.
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import pg from 'pg';

export interface ConnectionTarget {
  port: number;
  user: string;
  password: string;
}

function connect(target: ConnectionTarget): pg.Client {
  return new pg.Client({ host: '127.0.0.1', port: target.port, user: target.user, password: target.password, database: 'postgres' });
}

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

async function inTransaction(client: pg.Client, work: () => Promise<void>): Promise<void> {
  await client.query('begin');
  try {
    await work();
    await client.query('commit');
  } catch (error) {
    await client.query('rollback').catch(() => {});
    throw error;
  }
}

/** A SQL file that failed to apply; its message names the file, line and column. */
export class SqlFileError extends Error {}

function describe(error: unknown, file: string, sql: string): SqlFileError {
  const e = error as pg.DatabaseError;
  let where = '';
  if (e.position) {
    const before = sql.slice(0, Number(e.position) - 1);
    const line = before.split('\n').length;
    const column = before.length - before.lastIndexOf('\n');
    where = `:${line}:${column}`;
  }
  const details = [e.detail, e.hint && `hint: ${e.hint}`, e.where && `where: ${e.where}`].filter(Boolean).join('\n');
  return new SqlFileError(`${file}${where}: ${e.message}${details ? `\n${details}` : ''}`);
}

/**
 * Applies each local-stack/sql file once per cluster, in name order, as supabase_admin. A file
 * added later is applied on the next start; a changed file needs `npm run db:reset`.
 */
export async function applyBootstrapSql(admin: ConnectionTarget, files: string[], log: (message: string) => void): Promise<void> {
  const client = connect(admin);
  await client.connect();
  try {
    await client.query(`create schema if not exists _local_stack;
      create table if not exists _local_stack.bootstrap_files (name text primary key, sha256 text not null, applied_at timestamptz not null default now())`);
    const applied = new Map(
      (await client.query<{ name: string; sha256: string }>('select name, sha256 from _local_stack.bootstrap_files')).rows.map((row) => [row.name, row.sha256]),
    );
    for (const file of files) {
      const name = path.basename(file);
      const sql = await readFile(file, 'utf8');
      const hash = sha256(sql);
      const appliedHash = applied.get(name);
      if (appliedHash === hash) continue;
      if (appliedHash !== undefined) {
        log(`${name} changed since this database was built; run \`npm run db:reset\` to apply it`);
        continue;
      }
      await inTransaction(client, async () => {
        try {
          await client.query(sql);
        } catch (error) {
          throw describe(error, file, sql);
        }
        await client.query('insert into _local_stack.bootstrap_files (name, sha256) values ($1, $2)', [name, hash]);
      });
    }
  } finally {
    await client.end();
  }
}

/** Login roles get the stack's generated passwords (re-set on every start; cheap and self-healing). */
export async function setRolePasswords(admin: ConnectionTarget, passwords: Record<string, string>): Promise<void> {
  const client = connect(admin);
  await client.connect();
  try {
    for (const [role, password] of Object.entries(passwords)) {
      const exists = await client.query('select 1 from pg_roles where rolname = $1', [role]);
      if (exists.rowCount === 0) continue;
      await client.query(`alter role ${client.escapeIdentifier(role)} with login password ${client.escapeLiteral(password)}`);
    }
  } finally {
    await client.end();
  }
}

/**
 * Gives `postgres` what it has on hosted Supabase (supabase/postgres, 10000000000000_demote-postgres.sql
 * and 20211115181400_update-auth-permissions.sql): all privileges on the database, the extensions
 * schema and Auth's tables and sequences; login, createrole, createdb, replication and bypassrls,
 * but not superuser (only supabase_admin is). Migrations and a seed that apply after this apply
 * with `supabase db push`, which runs them as that role. Hosted's supautils lets it create
 * policies on realtime.messages; here its membership in supabase_realtime_admin (20-realtime.sql)
 * stands in for that.
 */
export async function useHostedOwnerRole(admin: ConnectionTarget): Promise<void> {
  const client = connect(admin);
  await client.connect();
  try {
    await client.query(`grant all on database postgres to postgres;
      grant all on schema extensions to postgres;
      grant all on all tables in schema auth to postgres;
      grant all on all sequences in schema auth to postgres;
      alter role postgres with login nosuperuser createrole createdb replication bypassrls`);
  } finally {
    await client.end();
  }
}

/** `<version>_<name>.sql`, as the Supabase CLI names migrations. */
const MIGRATION_FILE = /^(\d+)_(.*)\.sql$/;

export interface MigrationResult {
  applied: string[];
  seeded: boolean;
}

/**
 * Runs not-yet-recorded migrations in version order as `postgres`, each in its own transaction
 * together with its row in supabase_migrations.schema_migrations; then the seed, once per database.
 */
export async function applyMigrations(
  owner: ConnectionTarget,
  migrationsDir: string | null,
  seedFile: string | null,
  log: (message: string) => void,
): Promise<MigrationResult> {
  const client = connect(owner);
  await client.connect();
  const result: MigrationResult = { applied: [], seeded: false };
  try {
    const files = migrationsDir && existsSync(migrationsDir) ? (await readdir(migrationsDir)).filter((f) => f.endsWith('.sql')).sort() : [];
    const appliedVersions = new Set(
      (await client.query<{ version: string }>('select version from supabase_migrations.schema_migrations')).rows.map((row) => row.version),
    );
    for (const file of files) {
      const match = MIGRATION_FILE.exec(file);
      if (!match) {
        log(`skipping ${file}: migration files are named <timestamp>_<name>.sql`);
        continue;
      }
      const [, version, name] = match as unknown as [string, string, string];
      if (appliedVersions.has(version)) continue;
      const fullPath = path.join(migrationsDir!, file);
      const sql = await readFile(fullPath, 'utf8');
      await inTransaction(client, async () => {
        try {
          await client.query(sql);
        } catch (error) {
          throw describe(error, fullPath, sql);
        }
        await client.query('insert into supabase_migrations.schema_migrations (version, name, statements) values ($1, $2, $3)', [
          version,
          name,
          [sql],
        ]);
      });
      result.applied.push(file);
    }

    if (seedFile && existsSync(seedFile)) {
      const sql = await readFile(seedFile, 'utf8');
      const recorded = await client.query<{ hash: string }>('select hash from supabase_migrations.seed_files where path = $1', [path.basename(seedFile)]);
      if (recorded.rowCount === 0) {
        await inTransaction(client, async () => {
          try {
            await client.query(sql);
          } catch (error) {
            throw describe(error, seedFile, sql);
          }
          await client.query('insert into supabase_migrations.seed_files (path, hash) values ($1, $2)', [path.basename(seedFile), sha256(sql)]);
        });
        result.seeded = true;
      } else if (recorded.rows[0]!.hash !== sha256(sql)) {
        log(`${path.basename(seedFile)} changed since it was loaded; run \`npm run db:reset\` to reload it`);
      }
    }
    await client.query(`notify pgrst, 'reload schema'`);
  } finally {
    await client.end();
  }
  return result;
}
