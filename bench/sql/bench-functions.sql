-- Bench-only objects, loaded by `npm run bench` into its own throwaway database; never a
-- migration, so production never has them.

-- The floor of the path supabase-js -> gateway -> PostgREST -> Postgres: a call that does no
-- work. Every measured RPC is reported as a ratio to this.
create or replace function public.bench_noop()
returns integer
language sql
stable
set search_path = ''
as $$
  select 1;
$$;
revoke all on function public.bench_noop() from public;
grant execute on function public.bench_noop() to anon, authenticated;
