-- Facilities, their exact locations (kept apart), staff memberships and capacity reports.
--
-- Everyone who may see a facility sees its municipality, and therefore its approximate
-- position (the municipality centre). The exact address and point live in
-- facility_locations, which no API role can read: only reveal_facility_location() returns it,
-- and every such read is logged with a reason.

create type public.facility_kind as enum ('reception_centre', 'shelter', 'supported_housing', 'private_housing');
create type public.gender_policy as enum ('women', 'men', 'any');

create table public.facilities (
  id uuid primary key default gen_random_uuid(),
  name text not null check (length(btrim(name)) between 1 and 200),
  kind public.facility_kind not null,
  operator text not null default '' check (length(operator) <= 200),
  municipality_code text not null references public.municipalities (code),
  security_rating smallint not null check (security_rating between 1 and 4),
  gender_policy public.gender_policy not null default 'any',
  takes_children boolean not null default false,
  -- null with takes_children = boys of any age; ignored when no children are taken
  boys_max_age smallint check (boys_max_age between 0 and 17),
  wheelchair_access boolean not null default false,
  pets_allowed boolean not null default false,
  staff_languages text[] not null default '{fi}' check (array_length(staff_languages, 1) is null or array_length(staff_languages, 1) <= 30),
  staffed_24h boolean not null default false,
  -- hours a freed place stays unusable (cleaning, handover) before it counts as free again
  turnaround_hours smallint not null default 0 check (turnaround_hours between 0 and 720),
  active boolean not null default true,
  -- a non-sensitive contact line (switchboard), never the address
  contact_line text not null default '' check (length(contact_line) <= 200),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);

create index facilities_municipality_idx on public.facilities (municipality_code);
create index facilities_active_idx on public.facilities (active);

create trigger facilities_touch_updated_at
before update on public.facilities
for each row execute function private.touch_updated_at();

create table public.facility_locations (
  facility_id uuid primary key references public.facilities (id) on delete cascade,
  street_address text not null check (length(street_address) <= 300),
  postal_code text not null check (postal_code ~ '^[0-9]{5}$'),
  lon double precision not null check (lon between 19 and 32),
  lat double precision not null check (lat between 59.5 and 70.2),
  updated_at timestamptz not null default now()
);

create trigger facility_locations_touch_updated_at
before update on public.facility_locations
for each row execute function private.touch_updated_at();

create table public.facility_memberships (
  staff_id uuid not null references public.staff (id) on delete cascade,
  facility_id uuid not null references public.facilities (id) on delete cascade,
  created_at timestamptz not null default now(),
  primary key (staff_id, facility_id)
);

create index facility_memberships_facility_idx on public.facility_memberships (facility_id);

create type public.capacity_report_kind as enum ('update', 'confirm');

-- Append-only: the current figures of a facility are its latest report.
create table public.capacity_reports (
  id bigint generated always as identity primary key,
  facility_id uuid not null references public.facilities (id) on delete cascade,
  kind public.capacity_report_kind not null,
  capacity integer not null check (capacity between 0 and 10000),
  out_of_service integer not null default 0 check (out_of_service >= 0),
  out_of_service_reason text check (length(out_of_service_reason) <= 500),
  occupied_by_others integer not null default 0 check (occupied_by_others >= 0),
  reported_by uuid references public.staff (id) on delete set null,
  reported_role public.app_role,
  reported_at timestamptz not null default now(),
  check (out_of_service <= capacity),
  check (occupied_by_others <= capacity),
  check (out_of_service = 0 or length(btrim(coalesce(out_of_service_reason, ''))) > 0)
);

create index capacity_reports_facility_time_idx on public.capacity_reports (facility_id, reported_at desc, id desc);

create function private.forbid_change()
returns trigger
language plpgsql
set search_path = ''
as $$
begin
  raise exception using errcode = 'P0001', message = 'append_only',
    detail = jsonb_build_object('table', tg_table_name)::text;
end;
$$;
revoke all on function private.forbid_change() from public, anon, authenticated;

create trigger capacity_reports_append_only
before update or delete on public.capacity_reports
for each row execute function private.forbid_change();

-- Latest figures per facility (null columns when a facility has never reported).
create function private.current_capacity(target_facility uuid)
returns table (capacity integer, out_of_service integer, occupied_by_others integer,
               last_confirmed_at timestamptz, last_confirmed_role public.app_role)
language sql
stable
security definer
set search_path = ''
as $$
  select r.capacity, r.out_of_service, r.occupied_by_others, r.reported_at, r.reported_role
  from public.capacity_reports r
  where r.facility_id = target_facility
  order by r.reported_at desc, r.id desc
  limit 1;
$$;
revoke all on function private.current_capacity(uuid) from public, anon, authenticated;

-- ---------------------------------------------------------------------------------------------
-- Membership helpers (security definer so policies do not recurse through memberships' RLS)
-- ---------------------------------------------------------------------------------------------
create function private.my_facility_ids()
returns uuid[]
language sql
stable
security definer
set search_path = ''
as $$
  select coalesce(array_agg(m.facility_id), '{}')
  from public.facility_memberships m
  join public.staff s on s.id = m.staff_id
  where m.staff_id = (select auth.uid()) and s.active;
$$;
revoke all on function private.my_facility_ids() from public, anon;
grant execute on function private.my_facility_ids() to authenticated;

create function private.is_facility_member(target_facility uuid)
returns boolean
language sql
stable
security definer
set search_path = ''
as $$
  select target_facility = any (private.my_facility_ids());
$$;
revoke all on function private.is_facility_member(uuid) from public, anon;
grant execute on function private.is_facility_member(uuid) to authenticated;

-- ---------------------------------------------------------------------------------------------
-- RLS and grants
-- ---------------------------------------------------------------------------------------------
alter table public.facilities enable row level security;
alter table public.facility_locations enable row level security;
alter table public.facility_memberships enable row level security;
alter table public.capacity_reports enable row level security;

grant select on public.facilities to authenticated;
grant insert (name, kind, operator, municipality_code, security_rating, gender_policy, takes_children,
              boys_max_age, wheelchair_access, pets_allowed, staff_languages, staffed_24h,
              turnaround_hours, active, contact_line)
  on public.facilities to authenticated;
grant update (name, kind, operator, municipality_code, security_rating, gender_policy, takes_children,
              boys_max_age, wheelchair_access, pets_allowed, staff_languages, staffed_24h,
              turnaround_hours, active, contact_line)
  on public.facilities to authenticated;
-- no delete grant: a facility with history is deactivated, never deleted

-- facility_locations: no grant to API roles at all (reveal and admin RPCs only)
grant select, insert, delete on public.facility_memberships to authenticated;
grant select on public.capacity_reports to authenticated;

grant select, insert, update, delete on public.facilities, public.facility_locations,
  public.facility_memberships to service_role;
grant select, insert on public.capacity_reports to service_role;

-- Caseworkers see only facilities where one of their clients is or was placed; that policy is
-- added with the placements (it needs them).
create policy facilities_select_staff on public.facilities
  for select to authenticated
  using ((select private.current_app_role()) in ('coordinator', 'facility_staff', 'admin'));

create policy facilities_insert_admin on public.facilities
  for insert to authenticated
  with check ((select private.current_app_role()) = 'admin');

create policy facilities_update_admin on public.facilities
  for update to authenticated
  using ((select private.current_app_role()) = 'admin')
  with check ((select private.current_app_role()) = 'admin');

create policy memberships_select on public.facility_memberships
  for select to authenticated
  using (
    (select private.current_app_role()) in ('admin', 'coordinator')
    or staff_id = (select auth.uid())
  );

create policy memberships_insert_admin on public.facility_memberships
  for insert to authenticated
  with check ((select private.current_app_role()) = 'admin');

create policy memberships_delete_admin on public.facility_memberships
  for delete to authenticated
  using ((select private.current_app_role()) = 'admin');

create policy capacity_reports_select on public.capacity_reports
  for select to authenticated
  using ((select private.current_app_role()) in ('coordinator', 'facility_staff', 'admin'));
