-- Placements: hold -> accepted / declined -> active -> ended, or cancelled / expired.
-- Rows change only through the placement RPCs (no write grants to API roles).

create type public.placement_status as enum ('hold', 'accepted', 'declined', 'active', 'ended', 'cancelled', 'expired');

create table public.placements (
  id uuid primary key default gen_random_uuid(),
  client_id uuid not null references public.clients (id) on delete cascade,
  facility_id uuid not null references public.facilities (id),
  status public.placement_status not null,
  -- maintained by the RPCs from placement_persons; summed by the free-places formula
  persons smallint not null check (persons between 1 and 30),
  safety_level smallint not null check (safety_level between 1 and 4),
  planned_arrival date not null,
  planned_end date check (planned_end > planned_arrival),
  hold_expires_at timestamptz,
  idempotency_key uuid unique,
  moved_from_placement_id uuid references public.placements (id) on delete set null,
  held_by uuid references public.staff (id) on delete set null,
  held_at timestamptz,
  responded_by uuid references public.staff (id) on delete set null,
  responded_at timestamptz,
  decline_reason text check (length(decline_reason) <= 1000),
  arrived_at timestamptz,
  arrival_recorded_by uuid references public.staff (id) on delete set null,
  ended_at timestamptz,
  ended_by uuid references public.staff (id) on delete set null,
  end_reason text check (length(end_reason) <= 1000),
  cancelled_at timestamptz,
  cancelled_by uuid references public.staff (id) on delete set null,
  cancel_reason text check (length(cancel_reason) <= 1000),
  expired_at timestamptz,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  check (status not in ('hold', 'accepted') or hold_expires_at is not null),
  check (status <> 'active' or arrived_at is not null),
  check (status <> 'ended' or (arrived_at is not null and ended_at is not null and ended_at >= arrived_at)),
  check (status <> 'declined' or responded_at is not null)
);

-- A client has at most one active placement and at most one open hold. An open hold whose
-- deadline has passed still occupies this index until it is marked expired, so the RPCs expire
-- a client's overdue holds before placing a new one.
create unique index placements_one_active_per_client on public.placements (client_id) where status = 'active';
create unique index placements_one_open_hold_per_client on public.placements (client_id) where status in ('hold', 'accepted');

create index placements_facility_status_idx on public.placements (facility_id, status);
create index placements_client_idx on public.placements (client_id, created_at desc);
create index placements_open_hold_deadline_idx on public.placements (hold_expires_at) where status in ('hold', 'accepted');
create index placements_recently_ended_idx on public.placements (facility_id, ended_at) where status = 'ended';

create trigger placements_touch_updated_at
before update on public.placements
for each row execute function private.touch_updated_at();

-- Who was placed: the client (child_id null) and which of their children.
create table public.placement_persons (
  id uuid primary key default gen_random_uuid(),
  placement_id uuid not null references public.placements (id) on delete cascade,
  child_id uuid references public.client_children (id) on delete cascade
);

create unique index placement_persons_client_once on public.placement_persons (placement_id) where child_id is null;
create unique index placement_persons_child_once on public.placement_persons (placement_id, child_id) where child_id is not null;

-- ---------------------------------------------------------------------------------------------
-- Helpers for policies that join through placements
-- ---------------------------------------------------------------------------------------------

-- Clients a facility member may see: those currently held for, accepted at or living in one of
-- their facilities. Past residents drop out (data minimisation).
create function private.my_facility_client_ids()
returns uuid[]
language sql
stable
security definer
set search_path = ''
as $$
  select coalesce(array_agg(distinct p.client_id), '{}')
  from public.placements p
  where p.facility_id = any (private.my_facility_ids())
    and p.status in ('hold', 'accepted', 'active');
$$;
revoke all on function private.my_facility_client_ids() from public, anon;
grant execute on function private.my_facility_client_ids() to authenticated;

-- Facilities where a caseworker's client is or was placed.
create function private.my_clients_facility_ids()
returns uuid[]
language sql
stable
security definer
set search_path = ''
as $$
  select coalesce(array_agg(distinct p.facility_id), '{}')
  from public.placements p
  where p.client_id = any (private.my_client_ids());
$$;
revoke all on function private.my_clients_facility_ids() from public, anon;
grant execute on function private.my_clients_facility_ids() to authenticated;

-- ---------------------------------------------------------------------------------------------
-- RLS and grants
-- ---------------------------------------------------------------------------------------------
alter table public.placements enable row level security;
alter table public.placement_persons enable row level security;

grant select on public.placements, public.placement_persons to authenticated;
grant select, insert, update, delete on public.placements, public.placement_persons to service_role;

create policy placements_select on public.placements
  for select to authenticated
  using (
    (select private.current_app_role()) = 'coordinator'
    or ((select private.current_app_role()) = 'facility_staff' and facility_id = any ((select private.my_facility_ids())::uuid[]))
    or ((select private.current_app_role()) = 'caseworker' and client_id = any ((select private.my_client_ids())::uuid[]))
  );

create policy placement_persons_select on public.placement_persons
  for select to authenticated
  using (exists (select 1 from public.placements p where p.id = placement_id));

create policy clients_select_facility_staff on public.clients
  for select to authenticated
  using ((select private.current_app_role()) = 'facility_staff' and id = any ((select private.my_facility_client_ids())::uuid[]));

create policy children_select_facility_staff on public.client_children
  for select to authenticated
  using ((select private.current_app_role()) = 'facility_staff' and client_id = any ((select private.my_facility_client_ids())::uuid[]));

create policy facilities_select_caseworker on public.facilities
  for select to authenticated
  using ((select private.current_app_role()) = 'caseworker' and id = any ((select private.my_clients_facility_ids())::uuid[]));
