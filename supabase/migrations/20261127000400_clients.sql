-- Clients (pseudonymous), their accompanying children, caseworker assignments, exclusion zones,
-- facilities marked unsuitable for a client, and unmet needs.
--
-- No names and no personal identity codes: a client is a generated code such as AS-7K4Q.

create type public.client_gender as enum ('female', 'male', 'other');
create type public.responsible_party as enum ('assistance_system', 'wellbeing_services_county', 'city_of_helsinki', 'reception_centre');

-- Unambiguous alphabet (no 0/O, 1/I/L) so a code read out over the phone is not misheard.
-- Uses random() so that a seed calling setseed() gets the same codes every time.
create function private.new_client_code()
returns text
language plpgsql
volatile
security definer
set search_path = ''
as $$
declare
  alphabet constant text := '23456789ABCDEFGHJKMNPQRSTUVWXYZ';
  candidate text;
begin
  loop
    candidate := 'AS-';
    for i in 1..4 loop
      candidate := candidate || substr(alphabet, 1 + floor(random() * length(alphabet))::int, 1);
    end loop;
    exit when not exists (select 1 from public.clients c where c.code = candidate);
  end loop;
  return candidate;
end;
$$;
revoke all on function private.new_client_code() from public, anon;
-- a column default runs with the inserting user's rights
grant execute on function private.new_client_code() to authenticated;

create table public.clients (
  id uuid primary key default gen_random_uuid(),
  code text not null unique check (code ~ '^AS-[2-9A-HJKMNP-Z]{4,6}$'),
  gender public.client_gender not null,
  birth_year smallint not null check (birth_year between 1900 and 2100),
  languages text[] not null default '{}' check (array_length(languages, 1) is null or array_length(languages, 1) <= 20),
  needs_accessibility boolean not null default false,
  needs_pets boolean not null default false,
  needs_other text not null default '' check (length(needs_other) <= 1000),
  safety_level smallint not null check (safety_level between 1 and 4),
  responsible_party public.responsible_party not null default 'assistance_system',
  asylum_seeker boolean not null default false,
  created_by uuid references public.staff (id) on delete set null,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);

alter table public.clients alter column code set default private.new_client_code();

create trigger clients_touch_updated_at
before update on public.clients
for each row execute function private.touch_updated_at();

create table public.client_children (
  id uuid primary key default gen_random_uuid(),
  client_id uuid not null references public.clients (id) on delete cascade,
  birth_year smallint not null check (birth_year between 1990 and 2100),
  gender public.client_gender not null,
  created_at timestamptz not null default now()
);

create index client_children_client_idx on public.client_children (client_id);

create table public.caseworker_assignments (
  client_id uuid not null references public.clients (id) on delete cascade,
  caseworker_id uuid not null references public.staff (id) on delete cascade,
  created_at timestamptz not null default now(),
  primary key (client_id, caseworker_id)
);

create index caseworker_assignments_caseworker_idx on public.caseworker_assignments (caseworker_id);

create type public.exclusion_zone_kind as enum ('point', 'municipality');

create table public.exclusion_zones (
  id uuid primary key default gen_random_uuid(),
  client_id uuid not null references public.clients (id) on delete cascade,
  kind public.exclusion_zone_kind not null,
  lon double precision check (lon between 19 and 32),
  lat double precision check (lat between 59.5 and 70.2),
  radius_km numeric(6, 2) check (radius_km > 0 and radius_km <= 500),
  municipality_code text references public.municipalities (code),
  created_by uuid references public.staff (id) on delete set null,
  created_at timestamptz not null default now(),
  check (
    (kind = 'point' and lon is not null and lat is not null and radius_km is not null and municipality_code is null)
    or (kind = 'municipality' and municipality_code is not null and lon is null and lat is null and radius_km is null)
  )
);

create index exclusion_zones_client_idx on public.exclusion_zones (client_id);

-- Kept apart so that the reason (who the threat is, where the client was exploited) can be
-- granted to coordinators alone even if zones are ever shown to other roles.
create table public.exclusion_zone_reasons (
  zone_id uuid primary key references public.exclusion_zones (id) on delete cascade,
  reason text not null check (length(btrim(reason)) between 1 and 1000)
);

-- A facility that must not be offered to this client again (e.g. after a compromised location).
create table public.client_unsuitable_facilities (
  client_id uuid not null references public.clients (id) on delete cascade,
  facility_id uuid not null references public.facilities (id) on delete cascade,
  reason text not null check (length(btrim(reason)) between 1 and 1000),
  marked_by uuid references public.staff (id) on delete set null,
  marked_at timestamptz not null default now(),
  primary key (client_id, facility_id)
);

-- When nothing fitted: kept for statistics (issue 8); the client link is optional so an
-- anonymous phone request can be recorded too.
create table public.unmet_needs (
  id uuid primary key default gen_random_uuid(),
  client_id uuid references public.clients (id) on delete set null,
  needed_on date not null,
  persons smallint not null check (persons between 1 and 30),
  safety_level smallint not null check (safety_level between 1 and 4),
  municipality_code text references public.municipalities (code),
  reason text not null check (length(btrim(reason)) between 1 and 1000),
  recorded_by uuid references public.staff (id) on delete set null,
  recorded_at timestamptz not null default now()
);

create index unmet_needs_needed_on_idx on public.unmet_needs (needed_on);

-- ---------------------------------------------------------------------------------------------
-- Helpers
-- ---------------------------------------------------------------------------------------------
create function private.my_client_ids()
returns uuid[]
language sql
stable
security definer
set search_path = ''
as $$
  select coalesce(array_agg(a.client_id), '{}')
  from public.caseworker_assignments a
  where a.caseworker_id = (select auth.uid());
$$;
revoke all on function private.my_client_ids() from public, anon;
grant execute on function private.my_client_ids() to authenticated;

-- ---------------------------------------------------------------------------------------------
-- RLS and grants. Facility staff's view of clients is added with the placements.
-- ---------------------------------------------------------------------------------------------
alter table public.clients enable row level security;
alter table public.client_children enable row level security;
alter table public.caseworker_assignments enable row level security;
alter table public.exclusion_zones enable row level security;
alter table public.exclusion_zone_reasons enable row level security;
alter table public.client_unsuitable_facilities enable row level security;
alter table public.unmet_needs enable row level security;

grant select on public.clients to authenticated;
grant insert (gender, birth_year, languages, needs_accessibility, needs_pets, needs_other, safety_level,
              responsible_party, asylum_seeker)
  on public.clients to authenticated;
grant update (gender, birth_year, languages, needs_accessibility, needs_pets, needs_other, safety_level,
              responsible_party, asylum_seeker)
  on public.clients to authenticated;
grant select, delete on public.client_children to authenticated;
grant insert (client_id, birth_year, gender), update (birth_year, gender) on public.client_children to authenticated;
grant select, insert, delete on public.caseworker_assignments to authenticated;
grant select, delete on public.exclusion_zones to authenticated;
grant insert (client_id, kind, lon, lat, radius_km, municipality_code) on public.exclusion_zones to authenticated;
grant select, insert, update, delete on public.exclusion_zone_reasons to authenticated;
grant select, delete on public.client_unsuitable_facilities to authenticated;
grant insert (client_id, facility_id, reason) on public.client_unsuitable_facilities to authenticated;
grant select on public.unmet_needs to authenticated;
grant insert (client_id, needed_on, persons, safety_level, municipality_code, reason) on public.unmet_needs to authenticated;

grant select, insert, update, delete on public.clients, public.client_children, public.caseworker_assignments,
  public.exclusion_zones, public.exclusion_zone_reasons, public.client_unsuitable_facilities,
  public.unmet_needs to service_role;

-- created_by / marked_by / recorded_by are set by the database, never taken from the request.
create function private.stamp_actor()
returns trigger
language plpgsql
set search_path = ''
as $$
begin
  -- API roles have no column grant on these, so only the database (or the seed) can set them.
  if tg_table_name = 'clients' or tg_table_name = 'exclusion_zones' then
    new.created_by := coalesce((select auth.uid()), new.created_by);
  elsif tg_table_name = 'client_unsuitable_facilities' then
    new.marked_by := coalesce((select auth.uid()), new.marked_by);
  elsif tg_table_name = 'unmet_needs' then
    new.recorded_by := coalesce((select auth.uid()), new.recorded_by);
  end if;
  return new;
end;
$$;
revoke all on function private.stamp_actor() from public, anon, authenticated;

create trigger clients_stamp_actor before insert on public.clients
for each row execute function private.stamp_actor();
create trigger exclusion_zones_stamp_actor before insert on public.exclusion_zones
for each row execute function private.stamp_actor();
create trigger unsuitable_stamp_actor before insert on public.client_unsuitable_facilities
for each row execute function private.stamp_actor();
create trigger unmet_needs_stamp_actor before insert on public.unmet_needs
for each row execute function private.stamp_actor();

-- clients: coordinators all; caseworkers their assigned clients; facility staff (later file)
create policy clients_select_coordinator on public.clients
  for select to authenticated
  using ((select private.current_app_role()) = 'coordinator');
create policy clients_select_caseworker on public.clients
  for select to authenticated
  using ((select private.current_app_role()) = 'caseworker' and id = any ((select private.my_client_ids())::uuid[]));
create policy clients_insert_coordinator on public.clients
  for insert to authenticated
  with check ((select private.current_app_role()) = 'coordinator');
create policy clients_update_coordinator on public.clients
  for update to authenticated
  using ((select private.current_app_role()) = 'coordinator')
  with check ((select private.current_app_role()) = 'coordinator');

create policy children_select_coordinator on public.client_children
  for select to authenticated
  using ((select private.current_app_role()) = 'coordinator');
create policy children_select_caseworker on public.client_children
  for select to authenticated
  using ((select private.current_app_role()) = 'caseworker' and client_id = any ((select private.my_client_ids())::uuid[]));
create policy children_write_coordinator on public.client_children
  for all to authenticated
  using ((select private.current_app_role()) = 'coordinator')
  with check ((select private.current_app_role()) = 'coordinator');

create policy assignments_select on public.caseworker_assignments
  for select to authenticated
  using (
    (select private.current_app_role()) in ('coordinator', 'admin')
    or ((select private.current_app_role()) = 'caseworker' and caseworker_id = (select auth.uid()))
  );
create policy assignments_insert on public.caseworker_assignments
  for insert to authenticated
  with check ((select private.current_app_role()) in ('coordinator', 'admin'));
create policy assignments_delete on public.caseworker_assignments
  for delete to authenticated
  using ((select private.current_app_role()) in ('coordinator', 'admin'));

create policy zones_coordinator on public.exclusion_zones
  for all to authenticated
  using ((select private.current_app_role()) = 'coordinator')
  with check ((select private.current_app_role()) = 'coordinator');
create policy zone_reasons_coordinator on public.exclusion_zone_reasons
  for all to authenticated
  using ((select private.current_app_role()) = 'coordinator')
  with check ((select private.current_app_role()) = 'coordinator');
create policy unsuitable_coordinator on public.client_unsuitable_facilities
  for all to authenticated
  using ((select private.current_app_role()) = 'coordinator')
  with check ((select private.current_app_role()) = 'coordinator');
create policy unmet_needs_select_coordinator on public.unmet_needs
  for select to authenticated
  using ((select private.current_app_role()) = 'coordinator');
create policy unmet_needs_insert_coordinator on public.unmet_needs
  for insert to authenticated
  with check ((select private.current_app_role()) = 'coordinator');
