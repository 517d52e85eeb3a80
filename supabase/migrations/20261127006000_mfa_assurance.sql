-- Strong sign-in enforced by the database: coordinators, admins and auditors must hold an `aal2`
-- token (password plus TOTP) before any client data, exact location or audit row is readable,
-- when the configuration requires it; and anyone who has enrolled a factor must use it.
--
-- Every RLS policy and every RPC decides through private.current_app_role(). Redefining that one
-- helper so that it returns null for a session below the required assurance level makes the
-- rule hold everywhere at once (tables, views, security-definer RPCs, Realtime authorisation)
-- instead of in each policy separately, where a new policy could forget it.

-- ---------------------------------------------------------------------------------------------
-- Configuration: one row. Not exposed through the Data API; changed with SQL by the operator.
-- ---------------------------------------------------------------------------------------------
create table private.security_settings (
  singleton boolean primary key default true check (singleton),
  mfa_required boolean not null,
  updated_at timestamptz not null default now()
);
comment on table private.security_settings is
  'mfa_required: coordinators, admins and auditors need aal2 (TOTP) before reading protected data.';

-- On by default. Off only on the local Supabase-compatible stack (the demo and the tests), which
-- marks its Auth schema with this version; tests switch it on where they check it.
insert into private.security_settings (mfa_required)
select not exists (select 1 from auth.schema_migrations where version = 'local-stack-10-auth');

-- Whether this role must reach aal2 under the current configuration. A missing row means on.
create function private.mfa_required_for(role public.app_role)
returns boolean
language sql
stable
security definer
set search_path = ''
as $$
  select role in ('coordinator', 'admin', 'auditor')
    and coalesce((select s.mfa_required from private.security_settings s), true);
$$;
revoke all on function private.mfa_required_for(public.app_role) from public, anon, authenticated;

-- The caller's session is strong enough for this role: an aal2 token, or (where MFA is not
-- required) no verified factor that the user should have used.
create function private.assurance_satisfied(target_user uuid, role public.app_role)
returns boolean
language sql
stable
security definer
set search_path = ''
as $$
  select coalesce((select auth.jwt() ->> 'aal'), '') = 'aal2'
    or (
      not private.mfa_required_for(role)
      and not exists (select 1 from auth.mfa_factors f where f.user_id = target_user and f.status = 'verified')
    );
$$;
revoke all on function private.assurance_satisfied(uuid, public.app_role) from public, anon, authenticated;

-- The token's session still exists. Access tokens stay valid until they expire (an hour), but
-- "sign out everywhere", an administrator's password reset, a ban or a second-factor sign-in
-- elsewhere delete the session in Auth: from then on its token reads nothing, everywhere at once.
create function private.session_active()
returns boolean
language sql
stable
security definer
set search_path = ''
as $$
  select exists (
    select 1 from auth.sessions s
    where s.id = nullif((select auth.jwt() ->> 'session_id'), '')::uuid
      and (s.not_after is null or s.not_after > now())
  );
$$;
revoke all on function private.session_active() from public, anon, authenticated;

-- Same contract as before (see 20261127000100_staff_and_roles.sql), plus the session and
-- assurance checks.
create or replace function private.current_app_role()
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
    and s.role::text = (select auth.jwt() ->> 'user_role')
    and private.session_active()
    and private.assurance_satisfied(s.id, s.role);
$$;

-- ---------------------------------------------------------------------------------------------
-- RPC for the app: where the signed-in user stands, so it can send them to /mfa.
-- ---------------------------------------------------------------------------------------------
create function public.my_sign_in_assurance()
returns table (mfa_required boolean, has_verified_factor boolean, current_level text, satisfied boolean, session_active boolean)
language sql
stable
security definer
set search_path = ''
as $$
  select
    private.mfa_required_for(s.role),
    exists (select 1 from auth.mfa_factors f where f.user_id = s.id and f.status = 'verified'),
    coalesce((select auth.jwt() ->> 'aal'), 'aal1'),
    s.role is null or private.assurance_satisfied(s.id, s.role),
    private.session_active()
  from public.staff s
  where s.id = (select auth.uid()) and s.active;
$$;
revoke all on function public.my_sign_in_assurance() from public, anon;
grant execute on function public.my_sign_in_assurance() to authenticated;
