-- What hosted Supabase has before any user migration runs: roles, schemas, extensions, the
-- Realtime publication and NO default grants to the API roles (projects since 2026 must grant
-- what they expose). Runs once per cluster as supabase_admin; login passwords are set by the
-- stack afterwards (they are generated per stack folder and never committed).

-- `postgres` owns the app's objects and runs migrations. Hosted makes it non-superuser and lets
-- it manage Supabase-owned objects (policies on realtime.messages, triggers on auth.users)
-- through the supautils extension; without supautils, superuser is the local equivalent.
create role postgres with login superuser createdb createrole replication bypassrls;

create role anon nologin inherit;
alter role anon set statement_timeout = '3s';

create role authenticated nologin inherit;
alter role authenticated set statement_timeout = '8s';

create role service_role nologin inherit bypassrls;

create role authenticator with login noinherit;
alter role authenticator set statement_timeout = '8s';
alter role authenticator set lock_timeout = '8s';
grant anon, authenticated, service_role to authenticator;

create role supabase_auth_admin with login noinherit createrole;
alter role supabase_auth_admin set search_path = auth;

create role supabase_realtime_admin with login noinherit;

-- As on hosted: the app's owner can act as the API roles (for `set role` in SQL tests).
grant anon, authenticated, service_role to postgres;

alter role supabase_admin set search_path = public, extensions;
alter role postgres set search_path = "$user", public, extensions;

create schema extensions;
create extension if not exists "uuid-ossp" with schema extensions;
create extension if not exists pgcrypto with schema extensions;

create schema auth authorization supabase_auth_admin;
create schema realtime authorization supabase_realtime_admin;
create schema storage;
create schema graphql_public;

grant usage on schema public to postgres, anon, authenticated, service_role;
grant usage on schema extensions to postgres, anon, authenticated, service_role;
grant usage on schema auth to postgres, anon, authenticated, service_role;
grant usage on schema realtime to postgres, anon, authenticated, service_role;
grant usage on schema storage to postgres, anon, authenticated, service_role;
grant usage on schema graphql_public to postgres, anon, authenticated, service_role;
grant all on schema public to postgres;

-- Functions stay executable by PUBLIC, as Postgres and hosted Supabase have it: a migration
-- must `revoke execute ... from public, anon` on helpers, and local tests see the same exposure.
-- Nothing in public is granted to the API roles unless a migration says so.
alter default privileges for role postgres in schema public revoke all on tables from anon, authenticated, service_role;
alter default privileges for role postgres in schema public revoke all on sequences from anon, authenticated, service_role;
alter default privileges for role postgres in schema public revoke all on functions from anon, authenticated, service_role;
alter default privileges for role supabase_admin in schema public revoke all on tables from anon, authenticated, service_role;
alter default privileges for role supabase_admin in schema public revoke all on sequences from anon, authenticated, service_role;
alter default privileges for role supabase_admin in schema public revoke all on functions from anon, authenticated, service_role;

-- Empty: the app adds its tables with `alter publication supabase_realtime add table ...`.
create publication supabase_realtime;
alter publication supabase_realtime owner to postgres;

-- Where applied migrations are recorded, in the Supabase CLI's shape.
create schema supabase_migrations authorization postgres;
create table supabase_migrations.schema_migrations (
  version text primary key,
  statements text[],
  name text
);
create table supabase_migrations.seed_files (
  path text primary key,
  hash text not null
);
alter table supabase_migrations.schema_migrations owner to postgres;
alter table supabase_migrations.seed_files owner to postgres;
