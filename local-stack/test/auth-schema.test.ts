// The auth schema the stack bootstraps (local-stack/sql/10-auth.sql), checked in SQL: what the
// API roles may touch, what the RLS helpers return under PostgREST 12's settings, and how user
// deletion cascades.
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { afterAll, describe, expect, inject, it } from 'vitest';

const database = new pg.Pool({ connectionString: inject('adminDatabaseUrl'), max: 2 });

afterAll(async () => {
  await database.end();
});

/** Runs statements in one transaction that is always rolled back, returning the last result's rows. */
async function inRolledBackTransaction(statements: string[]): Promise<Record<string, unknown>[]> {
  const connection = await database.connect();
  try {
    await connection.query('begin');
    let rows: Record<string, unknown>[] = [];
    for (const statement of statements) rows = (await connection.query(statement)).rows;
    return rows;
  } finally {
    await connection.query('rollback');
    connection.release();
  }
}

describe('auth schema', () => {
  it('has row-level security on every table and gives them all to supabase_auth_admin', async () => {
    const { rows } = await database.query<{ table_name: string; rls: boolean; owner: string }>(
      `select c.relname as table_name, c.relrowsecurity as rls, pg_get_userbyid(c.relowner) as owner
         from pg_class c where c.relnamespace = 'auth'::regnamespace and c.relkind = 'r' order by 1`,
    );
    expect(rows.map((row) => row.table_name)).toEqual(
      expect.arrayContaining(['users', 'identities', 'sessions', 'refresh_tokens', 'mfa_factors', 'mfa_challenges', 'mfa_amr_claims', 'audit_log_entries']),
    );
    for (const row of rows) {
      expect(row, `auth.${row.table_name}`).toMatchObject({ rls: true, owner: 'supabase_auth_admin' });
    }
  });

  it('gives the API roles no privilege on any auth table, only the helper functions', async () => {
    const { rows } = await database.query<{ role: string; table_name: string }>(
      `select r.role, c.relname as table_name
         from pg_class c, unnest(array['anon', 'authenticated', 'service_role']) as r(role)
        where c.relnamespace = 'auth'::regnamespace and c.relkind in ('r', 'S')
          and (has_table_privilege(r.role, c.oid, 'select, insert, update, delete, truncate, references, trigger')
               or (c.relkind = 'S' and has_sequence_privilege(r.role, c.oid, 'usage, select, update')))`,
    );
    expect(rows).toEqual([]);

    const helpers = await database.query<{ role: string; callable: boolean }>(
      `select r.role, bool_and(has_function_privilege(r.role, f.oid, 'execute')) as callable
         from unnest(array['anon', 'authenticated', 'service_role']) as r(role),
              (values ('auth.uid()'::regprocedure), ('auth.role()'::regprocedure), ('auth.email()'::regprocedure), ('auth.jwt()'::regprocedure)) as f(oid)
        group by r.role`,
    );
    expect(helpers.rows.every((row) => row.callable)).toBe(true);

    await expect(inRolledBackTransaction(['set local role authenticated', 'select id from auth.users limit 1'])).rejects.toThrow(/permission denied/);
  });

  it('lets postgres read the auth tables and reference and trigger on auth.users', async () => {
    const { rows } = await database.query<{ privilege_type: string }>(
      `select a.privilege_type from pg_class c, aclexplode(c.relacl) a
        where c.oid = 'auth.users'::regclass and a.grantee = 'postgres'::regrole`,
    );
    expect(rows.map((row) => row.privilege_type).sort()).toEqual(['REFERENCES', 'SELECT', 'TRIGGER']);
  });

  it('reads the caller from request.jwt.claims as PostgREST 12 sets it, preferring a legacy per-claim setting', async () => {
    const userId = randomUUID();
    const claims = JSON.stringify({ sub: userId, role: 'authenticated', email: 'claims@example.test', user_role: 'coordinator' });
    const [fromJson] = await inRolledBackTransaction([
      `select set_config('request.jwt.claims', '${claims}', true)`,
      `select auth.uid() as uid, auth.role() as role, auth.email() as email, auth.jwt() ->> 'user_role' as user_role`,
    ]);
    expect(fromJson).toEqual({ uid: userId, role: 'authenticated', email: 'claims@example.test', user_role: 'coordinator' });

    const legacyId = randomUUID();
    const [fromLegacy] = await inRolledBackTransaction([
      `select set_config('request.jwt.claims', '${claims}', true)`,
      `select set_config('request.jwt.claim.sub', '${legacyId}', true)`,
      `select auth.uid() as uid`,
    ]);
    expect(fromLegacy).toEqual({ uid: legacyId });
  });

  it('returns null, not an error, once a transaction-local claim setting has been reset to empty', async () => {
    const connection = await database.connect();
    try {
      await connection.query('begin');
      await connection.query(`select set_config('request.jwt.claims', '{"sub":"${randomUUID()}"}', true), set_config('request.jwt.claim.sub', '${randomUUID()}', true)`);
      await connection.query('commit');
      const { rows } = await connection.query(`select auth.uid() as uid, auth.role() as role, auth.email() as email, auth.jwt() as jwt`);
      expect(rows[0]).toEqual({ uid: null, role: null, email: null, jwt: null });
    } finally {
      connection.release();
    }
  });

  it('derives confirmed_at and deletes a user’s sessions, tokens and identities with the user', async () => {
    const userId = randomUUID();
    const sessionId = randomUUID();
    const [after] = await inRolledBackTransaction([
      `insert into auth.users (id, aud, role, email, email_confirmed_at, phone_confirmed_at, created_at, updated_at)
       values ('${userId}', 'authenticated', 'authenticated', 'cascade-${userId}@example.test',
               '2026-01-02T00:00:00Z', '2026-01-01T00:00:00Z', now(), now())`,
      `insert into auth.identities (provider_id, user_id, identity_data, provider, created_at, updated_at)
       values ('${userId}', '${userId}', '{"sub":"${userId}","email":"CASCADE@Example.test"}', 'email', now(), now())`,
      `insert into auth.sessions (id, user_id, created_at, updated_at, aal) values ('${sessionId}', '${userId}', now(), now(), 'aal1')`,
      `insert into auth.refresh_tokens (token, user_id, revoked, created_at, updated_at, session_id)
       values ('cascadetok01', '${userId}', false, now(), now(), '${sessionId}')`,
      `insert into auth.mfa_amr_claims (id, session_id, created_at, updated_at, authentication_method)
       values (gen_random_uuid(), '${sessionId}', now(), now(), 'password')`,
      `select (select confirmed_at = '2026-01-01T00:00:00Z'::timestamptz from auth.users where id = '${userId}') as earliest_confirmation,
              (select email from auth.identities where user_id = '${userId}') as identity_email`,
    ]);
    expect(after).toEqual({ earliest_confirmation: true, identity_email: 'cascade@example.test' });

    const [remaining] = await inRolledBackTransaction([
      `insert into auth.users (id, aud, role, email, created_at, updated_at) values ('${userId}', 'authenticated', 'authenticated', 'gone-${userId}@example.test', now(), now())`,
      `insert into auth.identities (provider_id, user_id, identity_data, provider) values ('${userId}', '${userId}', '{}', 'email')`,
      `insert into auth.sessions (id, user_id, aal) values ('${sessionId}', '${userId}', 'aal1')`,
      `insert into auth.refresh_tokens (token, user_id, revoked, session_id) values ('cascadetok02', '${userId}', false, '${sessionId}')`,
      `delete from auth.users where id = '${userId}'`,
      `select (select count(*) from auth.identities where user_id = '${userId}')::int as identities,
              (select count(*) from auth.sessions where user_id = '${userId}')::int as sessions,
              (select count(*) from auth.refresh_tokens where user_id = '${userId}')::int as refresh_tokens`,
    ]);
    expect(remaining).toEqual({ identities: 0, sessions: 0, refresh_tokens: 0 });
  });
});
