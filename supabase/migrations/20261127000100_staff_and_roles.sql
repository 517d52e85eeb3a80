-- Staff profiles and the role model.
--
-- The role lives in public.staff (the source of truth an admin edits) and reaches every access
-- token through the Custom Access Token Hook as the `user_role` claim. Policies read it through
-- private.current_app_role(), which also re-checks the staff row so that deactivating someone or
-- changing their role takes effect at once instead of when their token expires.
--
-- Runs as `postgres` on hosted Supabase (not a superuser): nothing here needs more.

-- ---------------------------------------------------------------------------------------------
-- private: helpers for policies and triggers. Not in PostgREST's db-schemas, so never exposed.
-- ---------------------------------------------------------------------------------------------
create schema if not exists private;
revoke all on schema private from public;
-- Policies run their helper calls as the querying role, so that role needs usage on the schema.
grant usage on schema private to authenticated, service_role;

create type public.app_role as enum ('coordinator', 'facility_staff', 'caseworker', 'admin', 'auditor');

-- ---------------------------------------------------------------------------------------------
-- public.staff
-- ---------------------------------------------------------------------------------------------
create table public.staff (
  id uuid primary key references auth.users (id) on delete cascade,
  email text not null,
  display_name text not null check (length(display_name) between 1 and 200),
  -- null = signed up but no access until an admin assigns a role
  role public.app_role,
  preferred_language text not null default 'fi' check (preferred_language in ('fi', 'sv', 'en')),
  active boolean not null default true,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);

comment on table public.staff is 'One row per Auth user: display name, role and language. No client data.';
comment on column public.staff.role is 'null = no access until an admin assigns a role';

create index staff_role_idx on public.staff (role);

alter table public.staff enable row level security;

create function private.touch_updated_at()
returns trigger
language plpgsql
set search_path = ''
as $$
begin
  new.updated_at := now();
  return new;
end;
$$;
revoke all on function private.touch_updated_at() from public, anon, authenticated;

create trigger staff_touch_updated_at
before update on public.staff
for each row execute function private.touch_updated_at();

-- ---------------------------------------------------------------------------------------------
-- Role helpers
-- ---------------------------------------------------------------------------------------------

-- The caller's role, or null when signed out, without a role, deactivated, or holding a token
-- minted before an admin changed their role (the claim must still match the staff row).
create function private.current_app_role()
returns public.app_role
language sql
stable
security definer
set search_path = ''
as $$
  select s.role
  from public.staff s
  where s.id = (select auth.uid())
    and s.active
    and s.role is not null
    and s.role::text = (select auth.jwt() ->> 'user_role');
$$;
revoke all on function private.current_app_role() from public, anon;
grant execute on function private.current_app_role() to authenticated, service_role;

-- Whether a text is a valid app_role label; the signup trigger uses it to turn junk into null
-- instead of failing the whole signup.
create function private.to_app_role(value text)
returns public.app_role
language sql
immutable
set search_path = ''
as $$
  select case
    when value = any (enum_range(null::public.app_role)::text[]) then value::public.app_role
  end;
$$;
revoke all on function private.to_app_role(text) from public, anon, authenticated;

-- ---------------------------------------------------------------------------------------------
-- New Auth users get a staff row: the path both the Auth admin API and the seed take.
-- ---------------------------------------------------------------------------------------------
create function private.handle_new_auth_user()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
declare
  requested_language text := new.raw_user_meta_data ->> 'preferred_language';
begin
  insert into public.staff (id, email, display_name, role, preferred_language)
  values (
    new.id,
    coalesce(new.email, ''),
    coalesce(
      nullif(btrim(new.raw_user_meta_data ->> 'display_name'), ''),
      nullif(split_part(coalesce(new.email, ''), '@', 1), ''),
      'user'
    ),
    private.to_app_role(new.raw_app_meta_data ->> 'role'),
    case when requested_language in ('fi', 'sv', 'en') then requested_language else 'fi' end
  );
  return new;
end;
$$;
revoke all on function private.handle_new_auth_user() from public, anon, authenticated;

create trigger on_auth_user_created
after insert on auth.users
for each row execute function private.handle_new_auth_user();

-- Keeps the profile's email in step when Auth changes it.
create function private.handle_auth_user_email_change()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
  update public.staff set email = coalesce(new.email, '') where id = new.id;
  return new;
end;
$$;
revoke all on function private.handle_auth_user_email_change() from public, anon, authenticated;

create trigger on_auth_user_email_changed
after update of email on auth.users
for each row
when (old.email is distinct from new.email)
execute function private.handle_auth_user_email_change();

-- ---------------------------------------------------------------------------------------------
-- Custom Access Token Hook (configured in supabase/config.toml)
-- ---------------------------------------------------------------------------------------------
create function public.custom_access_token_hook(event jsonb)
returns jsonb
language plpgsql
stable
as $$
declare
  claims jsonb := coalesce(event -> 'claims', '{}'::jsonb);
  staff_role public.app_role;
begin
  select s.role into staff_role
  from public.staff s
  where s.id = (event ->> 'user_id')::uuid
    and s.active;

  if staff_role is null then
    claims := claims - 'user_role';
  else
    claims := jsonb_set(claims, '{user_role}', to_jsonb(staff_role::text));
  end if;

  return jsonb_set(event, '{claims}', claims);
end;
$$;

grant usage on schema public to supabase_auth_admin;
grant execute on function public.custom_access_token_hook(jsonb) to supabase_auth_admin;
revoke execute on function public.custom_access_token_hook(jsonb) from authenticated, anon, public;

-- ---------------------------------------------------------------------------------------------
-- Grants and policies on staff
-- ---------------------------------------------------------------------------------------------
grant select on public.staff to supabase_auth_admin;
grant select on public.staff to authenticated;
-- Admins manage name, role and activation; email follows Auth; language has its own RPC.
grant update (display_name, role, active, preferred_language) on public.staff to authenticated;
grant select, insert, update, delete on public.staff to service_role;

create policy staff_select_for_auth_admin on public.staff
  as permissive for select to supabase_auth_admin
  using (true);

create policy staff_select_own on public.staff
  for select to authenticated
  using (id = (select auth.uid()));

-- Auditors need names to read the audit trail; admins manage everyone.
create policy staff_select_admin_auditor on public.staff
  for select to authenticated
  using ((select private.current_app_role()) in ('admin', 'auditor'));

create policy staff_update_admin on public.staff
  for update to authenticated
  using ((select private.current_app_role()) = 'admin')
  with check ((select private.current_app_role()) = 'admin');

-- ---------------------------------------------------------------------------------------------
-- RPC: the signed-in user's language
-- ---------------------------------------------------------------------------------------------
create function public.set_preferred_language(lang text)
returns void
language plpgsql
security definer
set search_path = ''
as $$
declare
  caller uuid := (select auth.uid());
begin
  if caller is null then
    raise exception using errcode = 'P0001', message = 'not_authenticated';
  end if;
  if lang is null or lang not in ('fi', 'sv', 'en') then
    raise exception using errcode = 'P0001', message = 'invalid_language',
      detail = jsonb_build_object('allowed', jsonb_build_array('fi', 'sv', 'en'))::text;
  end if;
  update public.staff set preferred_language = lang where id = caller;
  if not found then
    raise exception using errcode = 'P0001', message = 'staff_not_found';
  end if;
end;
$$;
revoke all on function public.set_preferred_language(text) from public, anon;
grant execute on function public.set_preferred_language(text) to authenticated;
