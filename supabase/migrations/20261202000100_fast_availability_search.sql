-- Availability for the map and the safe-place search, computed once for every facility instead of
-- once per facility (issues 5 and 7). At 5,000 facilities the map's data took six paged requests
-- of ~100 ms each (every page recomputed everything; PostgREST returns at most max_rows = 1000
-- rows), and a search took 2-4 s, calling private.facility_figures() twice and
-- private.fit_refusals() once per facility, and lost every facility after the 1000th row.
--
-- 1. private.facility_base_figures: the part of the free-places formula that changes only when
--    someone writes (the latest capacity report, persons in active placements), kept up to date by
--    triggers on the same writes. The parts that change with the clock (unexpired holds, places in
--    turnaround) are added at read time from two small covering indexes, so a hold stops counting
--    at its deadline and a place comes back after its turnaround whether or not any job ran.
-- 2. private.facility_figures_all(on_date): the figures of every facility in one set-based query,
--    the same values as private.facility_figures(null, on_date) (which stays, as the reference
--    and for the per-facility callers). facility_availability() now reads it.
-- 3. public.map_availability(): every facility the caller may see, with its figures, as one JSON
--    value (column names once, municipalities once), so no row cap applies and the map needs one
--    request.
-- 4. private.safe_place_rows(): the search in set form: figures once for the arrival date, the
--    client, children and zones once, the fit rules as joins. Same rows, ranking, refusal reasons
--    and error codes as before; public.safe_place_search() returns it as before, and
--    public.safe_place_search_results() as one JSON value (suitable facilities in full, the others
--    compactly with every reason), so a country-wide search is never cut at max_rows.
--
-- Several rules of the older helpers appear here written out inside the set-based queries (the
-- status words of private.availability_status, the distance of private.distance_km and the bands
-- of private.distance_band, the fit rules of private.fit_refusals): those helpers cannot be
-- inlined (security definer / search_path), and calling them once per facility is what made the
-- old paths slow. tests/integration/fast-availability.test.ts compares every figure, status,
-- refusal and rank of the new paths with the helpers, facility by facility.

-- ---------------------------------------------------------------------------------------------
-- Indexes for the clock-dependent parts
-- ---------------------------------------------------------------------------------------------

-- Unexpired holds of every facility from the index alone. Replaces placements_open_hold_deadline_idx
-- (same key and predicate, so every query it served is still served).
create index placements_open_holds_covering_idx on public.placements (hold_expires_at)
  include (facility_id, persons, planned_arrival, planned_end)
  where status in ('hold', 'accepted');
drop index public.placements_open_hold_deadline_idx;

-- Places still in turnaround: placements ended within the longest turnaround of any facility.
create index placements_ended_by_time_idx on public.placements (ended_at)
  include (facility_id, persons)
  where status = 'ended';

-- ---------------------------------------------------------------------------------------------
-- Figures kept by triggers
-- ---------------------------------------------------------------------------------------------

create table private.facility_base_figures (
  facility_id uuid primary key references public.facilities (id) on delete cascade,
  -- the latest capacity report (order: reported_at, then id); all null before the first one
  report_id bigint,
  capacity integer,
  out_of_service integer,
  occupied_by_others integer,
  reported_at timestamptz,
  reported_role public.app_role,
  -- persons in active placements
  occupied integer not null default 0
);

-- Only the security-definer functions below read or write it; no API role sees it.
alter table private.facility_base_figures enable row level security;
revoke all on private.facility_base_figures from public, anon, authenticated, service_role;

-- Recomputes every row from the base tables. Run by this migration, and after any bulk load that
-- bypassed triggers (session_replication_role = replica, as the benchmark's dataset does).
create function private.rebuild_facility_base_figures()
returns void
language sql
security definer
set search_path = ''
as $$
  insert into private.facility_base_figures as b
    (facility_id, report_id, capacity, out_of_service, occupied_by_others, reported_at, reported_role, occupied)
  select f.id, r.id, r.capacity, r.out_of_service, r.occupied_by_others, r.reported_at, r.reported_role,
         coalesce(a.occupied, 0)
  from public.facilities f
  left join lateral (
    select cr.id, cr.capacity, cr.out_of_service, cr.occupied_by_others, cr.reported_at, cr.reported_role
    from public.capacity_reports cr
    where cr.facility_id = f.id
    order by cr.reported_at desc, cr.id desc
    limit 1
  ) r on true
  left join (
    select p.facility_id, sum(p.persons)::integer as occupied
    from public.placements p
    where p.status = 'active'
    group by p.facility_id
  ) a on a.facility_id = f.id
  on conflict (facility_id) do update
    set report_id = excluded.report_id, capacity = excluded.capacity, out_of_service = excluded.out_of_service,
        occupied_by_others = excluded.occupied_by_others, reported_at = excluded.reported_at,
        reported_role = excluded.reported_role, occupied = excluded.occupied;
$$;
revoke all on function private.rebuild_facility_base_figures() from public, anon, authenticated, service_role;

create function private.base_figures_new_facility()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
  insert into private.facility_base_figures (facility_id) values (new.id) on conflict (facility_id) do nothing;
  return null;
end;
$$;
revoke all on function private.base_figures_new_facility() from public, anon, authenticated, service_role;

create trigger facilities_base_figures
after insert on public.facilities
for each row execute function private.base_figures_new_facility();

-- A report becomes the current one unless a later one is already there (reports may be inserted
-- with an earlier reported_at). The WHERE of ON CONFLICT is re-checked on the newest row version,
-- so concurrent reports for one facility cannot leave an older one current.
create function private.base_figures_new_report()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
  insert into private.facility_base_figures as b
    (facility_id, report_id, capacity, out_of_service, occupied_by_others, reported_at, reported_role)
  values (new.facility_id, new.id, new.capacity, new.out_of_service, new.occupied_by_others, new.reported_at, new.reported_role)
  on conflict (facility_id) do update
    set report_id = excluded.report_id, capacity = excluded.capacity, out_of_service = excluded.out_of_service,
        occupied_by_others = excluded.occupied_by_others, reported_at = excluded.reported_at,
        reported_role = excluded.reported_role
    where b.reported_at is null or (b.reported_at, b.report_id) < (excluded.reported_at, excluded.report_id);
  return null;
end;
$$;
revoke all on function private.base_figures_new_report() from public, anon, authenticated, service_role;

-- capacity_reports is append-only (updates and deletes are refused by capacity_reports_append_only).
create trigger capacity_reports_base_figures
after insert on public.capacity_reports
for each row execute function private.base_figures_new_report();

-- Persons in active placements, kept as differences (`occupied + delta`), which concurrent
-- transactions apply one after the other on the newest row version; recounting from the table
-- instead could overwrite a concurrent change with a count that missed it.
create function private.base_figures_placement_change()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
declare
  old_facility uuid;
  old_persons integer := 0;
  new_facility uuid;
  new_persons integer := 0;
begin
  if tg_op in ('UPDATE', 'DELETE') and old.status = 'active' then
    old_facility := old.facility_id;
    old_persons := old.persons;
  end if;
  if tg_op in ('INSERT', 'UPDATE') and new.status = 'active' then
    new_facility := new.facility_id;
    new_persons := new.persons;
  end if;
  if old_facility is not distinct from new_facility then
    if new_persons <> old_persons then
      insert into private.facility_base_figures as b (facility_id, occupied) values (new_facility, new_persons - old_persons)
      on conflict (facility_id) do update set occupied = b.occupied + excluded.occupied;
    end if;
    return null;
  end if;
  if old_facility is not null then
    insert into private.facility_base_figures as b (facility_id, occupied) values (old_facility, -old_persons)
    on conflict (facility_id) do update set occupied = b.occupied + excluded.occupied;
  end if;
  if new_facility is not null then
    insert into private.facility_base_figures as b (facility_id, occupied) values (new_facility, new_persons)
    on conflict (facility_id) do update set occupied = b.occupied + excluded.occupied;
  end if;
  return null;
end;
$$;
revoke all on function private.base_figures_placement_change() from public, anon, authenticated, service_role;

create trigger placements_base_figures_insert
after insert on public.placements
for each row when (new.status = 'active')
execute function private.base_figures_placement_change();

create trigger placements_base_figures_update
after update of status, persons, facility_id on public.placements
for each row when ((old.status = 'active' or new.status = 'active')
                   and (old.status, old.persons, old.facility_id) is distinct from (new.status, new.persons, new.facility_id))
execute function private.base_figures_placement_change();

create trigger placements_base_figures_delete
after delete on public.placements
for each row when (old.status = 'active')
execute function private.base_figures_placement_change();

select private.rebuild_facility_base_figures();

-- ---------------------------------------------------------------------------------------------
-- private.facility_figures_all(on_date): private.facility_figures(null, on_date), set-based
-- ---------------------------------------------------------------------------------------------
create function private.facility_figures_all(on_date date)
returns table (
  facility_id uuid,
  capacity integer,
  out_of_service integer,
  occupied_by_others integer,
  occupied integer,
  held integer,
  in_turnaround integer,
  free_raw integer,
  last_confirmed_at timestamptz,
  last_confirmed_role public.app_role
)
language plpgsql
stable
security definer
set search_path = ''
set jit = off
as $$
declare
  -- no placement ended earlier than this can still be in anyone's turnaround
  turnaround_horizon timestamptz := now() - make_interval(hours => coalesce((select max(f.turnaround_hours) from public.facilities f), 0));
  day_start timestamptz := coalesce(on_date, private.helsinki_today())::timestamp at time zone 'Europe/Helsinki';
begin
  if on_date is null or on_date <= private.helsinki_today() then
    return query
    with held as (
      select p.facility_id, sum(p.persons)::integer as held
      from public.placements p
      where p.status in ('hold', 'accepted') and p.hold_expires_at > now()
      group by p.facility_id
    ),
    turnaround as (
      select p.facility_id, sum(p.persons)::integer as in_turnaround
      from public.placements p
      join public.facilities f on f.id = p.facility_id
      where p.status = 'ended' and p.ended_at > turnaround_horizon
        and f.turnaround_hours > 0 and p.ended_at > now() - make_interval(hours => f.turnaround_hours)
      group by p.facility_id
    )
    select f.id, b.capacity, b.out_of_service, b.occupied_by_others,
           coalesce(b.occupied, 0), coalesce(h.held, 0), coalesce(t.in_turnaround, 0),
           coalesce(b.capacity, 0) - coalesce(b.out_of_service, 0) - coalesce(b.occupied_by_others, 0)
             - coalesce(b.occupied, 0) - coalesce(h.held, 0) - coalesce(t.in_turnaround, 0),
           b.reported_at, b.reported_role
    from public.facilities f
    left join private.facility_base_figures b on b.facility_id = f.id
    left join held h on h.facility_id = f.id
    left join turnaround t on t.facility_id = f.id;
    return;
  end if;

  -- A future day: placements occupy until their planned end plus turnaround, holds from their
  -- planned arrival (as long as they have not expired by now), ended placements until their
  -- turnaround is over. The expressions are private.facility_figures' own.
  return query
  with current_load as (
    select p.facility_id,
      sum(p.persons) filter (
        where p.status = 'active'
          and (p.planned_end is null
               or (p.planned_end::timestamp at time zone 'Europe/Helsinki') + make_interval(hours => f.turnaround_hours) > day_start)
      )::integer as occupied,
      sum(p.persons) filter (
        where p.status in ('hold', 'accepted') and p.hold_expires_at > now()
          and p.planned_arrival <= day_start::date
          and (p.planned_end is null
               or (p.planned_end::timestamp at time zone 'Europe/Helsinki') + make_interval(hours => f.turnaround_hours) > day_start)
      )::integer as held
    from public.placements p
    join public.facilities f on f.id = p.facility_id
    where p.status in ('active', 'hold', 'accepted')
    group by p.facility_id
  ),
  turnaround as (
    select p.facility_id, sum(p.persons)::integer as in_turnaround
    from public.placements p
    join public.facilities f on f.id = p.facility_id
    where p.status = 'ended' and p.ended_at > turnaround_horizon
      and f.turnaround_hours > 0 and p.ended_at > now() - make_interval(hours => f.turnaround_hours)
      and p.ended_at + make_interval(hours => f.turnaround_hours) > day_start
    group by p.facility_id
  )
  select f.id, b.capacity, b.out_of_service, b.occupied_by_others,
         coalesce(l.occupied, 0), coalesce(l.held, 0), coalesce(t.in_turnaround, 0),
         coalesce(b.capacity, 0) - coalesce(b.out_of_service, 0) - coalesce(b.occupied_by_others, 0)
           - coalesce(l.occupied, 0) - coalesce(l.held, 0) - coalesce(t.in_turnaround, 0),
         b.reported_at, b.reported_role
  from public.facilities f
  left join private.facility_base_figures b on b.facility_id = f.id
  left join current_load l on l.facility_id = f.id
  left join turnaround t on t.facility_id = f.id;
end;
$$;
revoke all on function private.facility_figures_all(date) from public, anon, authenticated;

-- Whom the caller may see availability for: every facility (coordinators, facility staff,
-- admins), their clients' facilities (caseworkers), or nobody (null). The same rule as
-- private.visible_facility_ids(), without building an array of every facility id, which the
-- callers would then compare each row with.
create function private.availability_scope(out sees_all boolean, out facility_ids uuid[])
language plpgsql
stable
security definer
set search_path = ''
as $$
declare
  caller_role public.app_role := private.current_app_role();
begin
  if caller_role in ('coordinator', 'facility_staff', 'admin') then
    sees_all := true;
    facility_ids := '{}';
  elsif caller_role = 'caseworker' then
    sees_all := false;
    facility_ids := private.my_clients_facility_ids();
  end if;
end;
$$;
revoke all on function private.availability_scope() from public, anon, authenticated;

-- ---------------------------------------------------------------------------------------------
-- facility_availability(): same signature and rows as before, from the set-based figures
-- ---------------------------------------------------------------------------------------------
create or replace function public.facility_availability(on_date date default null)
returns table (
  facility_id uuid,
  name text,
  kind public.facility_kind,
  operator text,
  municipality_code text,
  municipality_name_fi text,
  municipality_name_sv text,
  region_code text,
  approx_lon double precision,
  approx_lat double precision,
  security_rating smallint,
  gender_policy public.gender_policy,
  takes_children boolean,
  boys_max_age smallint,
  wheelchair_access boolean,
  pets_allowed boolean,
  staff_languages text[],
  staffed_24h boolean,
  active boolean,
  capacity integer,
  out_of_service integer,
  occupied_by_others integer,
  occupied integer,
  held integer,
  in_turnaround integer,
  free_places integer,
  over_occupied boolean,
  is_stale boolean,
  status text,
  last_confirmed_at timestamptz,
  last_confirmed_role public.app_role
)
language plpgsql
stable
security definer
set search_path = ''
set jit = off
as $$
declare
  scope record := private.availability_scope();
begin
  if scope.sees_all is null then
    raise exception using errcode = 'P0001', message = 'not_allowed';
  end if;
  if on_date is not null and (on_date < private.helsinki_today() or on_date > private.helsinki_today() + 366) then
    raise exception using errcode = 'P0001', message = 'invalid_date',
      detail = jsonb_build_object('on_date', on_date)::text;
  end if;

  return query
  select
    f.id, f.name, f.kind, f.operator, f.municipality_code, mu.name_fi, mu.name_sv, mu.region_code,
    mu.centre_lon, mu.centre_lat,
    f.security_rating, f.gender_policy, f.takes_children, f.boys_max_age, f.wheelchair_access,
    f.pets_allowed, f.staff_languages, f.staffed_24h, f.active,
    fig.capacity, fig.out_of_service, fig.occupied_by_others, fig.occupied, fig.held, fig.in_turnaround,
    greatest(fig.free_raw, 0), fig.free_raw < 0,
    fig.last_confirmed_at is null or fig.last_confirmed_at < now() - interval '24 hours',
    -- private.availability_status(f.active, fig.capacity, fig.free_raw, fig.last_confirmed_at)
    case
      when not f.active then 'closed'
      when fig.capacity is null then 'stale'
      when fig.free_raw < 0 then 'over'
      when fig.last_confirmed_at < now() - interval '24 hours' then 'stale'
      when fig.free_raw = 0 then 'full'
      when fig.free_raw <= greatest(2, ceil(fig.capacity * 0.1)) then 'few'
      else 'free'
    end,
    fig.last_confirmed_at, fig.last_confirmed_role
  from private.facility_figures_all(on_date) fig
  join public.facilities f on f.id = fig.facility_id
  join public.municipalities mu on mu.code = f.municipality_code
  where scope.sees_all or f.id = any (scope.facility_ids)
  order by f.name;
end;
$$;

-- ---------------------------------------------------------------------------------------------
-- map_availability(): the map's data in one request
-- ---------------------------------------------------------------------------------------------
-- {"columns": [...], "facilities": [[...], ...], "municipalities": [[code, name_fi, name_sv,
-- region_code, centre_lon, centre_lat], ...]}: each facility is one array in the order of
-- "columns", and the municipality fields every facility of a municipality shares (names, region,
-- the approximate position) travel once per municipality. Ordered by name. No exact position.
create function public.map_availability()
returns json
language plpgsql
stable
security definer
set search_path = ''
set jit = off
as $$
declare
  scope record := private.availability_scope();
  result json;
begin
  if scope.sees_all is null then
    raise exception using errcode = 'P0001', message = 'not_allowed';
  end if;

  with visible as (
    select f.*, fig.capacity, fig.free_raw, fig.last_confirmed_at, fig.last_confirmed_role
    from private.facility_figures_all(null) fig
    join public.facilities f on f.id = fig.facility_id
    where scope.sees_all or f.id = any (scope.facility_ids)
  )
  select json_build_object(
    'columns', json_build_array('facility_id', 'name', 'kind', 'operator', 'municipality_code', 'security_rating',
                                'gender_policy', 'takes_children', 'boys_max_age', 'wheelchair_access', 'pets_allowed',
                                'staff_languages', 'staffed_24h', 'active', 'capacity', 'free_places', 'over_occupied',
                                'is_stale', 'status', 'last_confirmed_at', 'last_confirmed_role'),
    'facilities', coalesce((
      select json_agg(json_build_array(
               v.id, v.name, v.kind, v.operator, v.municipality_code, v.security_rating,
               v.gender_policy, v.takes_children, v.boys_max_age, v.wheelchair_access, v.pets_allowed,
               v.staff_languages, v.staffed_24h, v.active, v.capacity, greatest(v.free_raw, 0), v.free_raw < 0,
               v.last_confirmed_at is null or v.last_confirmed_at < now() - interval '24 hours',
               -- private.availability_status(v.active, v.capacity, v.free_raw, v.last_confirmed_at)
               case
                 when not v.active then 'closed'
                 when v.capacity is null then 'stale'
                 when v.free_raw < 0 then 'over'
                 when v.last_confirmed_at < now() - interval '24 hours' then 'stale'
                 when v.free_raw = 0 then 'full'
                 when v.free_raw <= greatest(2, ceil(v.capacity * 0.1)) then 'few'
                 else 'free'
               end,
               v.last_confirmed_at, v.last_confirmed_role) order by v.name, v.id)
      from visible v), '[]'::json),
    'municipalities', coalesce((
      select json_agg(json_build_array(mu.code, mu.name_fi, mu.name_sv, mu.region_code, mu.centre_lon, mu.centre_lat) order by mu.code)
      from public.municipalities mu
      where mu.code in (select v.municipality_code from visible v)), '[]'::json))
  into result;
  return result;
end;
$$;
revoke all on function public.map_availability() from public, anon;
grant execute on function public.map_availability() to authenticated;

-- ---------------------------------------------------------------------------------------------
-- The safe-place search, set-based
-- ---------------------------------------------------------------------------------------------
create function private.safe_place_rows(
  target_client_id uuid,
  arrival_date date,
  ref_lon double precision,
  ref_lat double precision
)
returns table (
  facility_id uuid,
  name text,
  kind public.facility_kind,
  municipality_code text,
  municipality_name_fi text,
  municipality_name_sv text,
  approx_lon double precision,
  approx_lat double precision,
  security_rating smallint,
  capacity integer,
  free_places integer,
  status text,
  is_stale boolean,
  last_confirmed_at timestamptz,
  distance_band text,
  language_match boolean,
  accessibility_match boolean,
  pets_match boolean,
  suitable boolean,
  refusals text[],
  refusal_details jsonb,
  rank integer
)
language plpgsql
stable
security definer
set search_path = ''
set jit = off
as $$
declare
  target_client public.clients;
  arrival date := coalesce(arrival_date, private.helsinki_today());
  is_today boolean;
  child_count integer;
  oldest_boy integer;
  persons_needed integer;
begin
  if private.current_app_role() is distinct from 'coordinator' then
    perform private.raise_error('not_allowed');
  end if;
  select * into target_client from public.clients c where c.id = target_client_id;
  if target_client.id is null then
    perform private.raise_error('client_not_found');
  end if;
  if arrival < private.helsinki_today() or arrival > private.helsinki_today() + 365 then
    perform private.raise_error('invalid_date', jsonb_build_object('arrival_date', arrival));
  end if;
  if (ref_lon is null) <> (ref_lat is null)
     or (ref_lon is not null and (ref_lon not between 19 and 32 or ref_lat not between 59.5 and 70.2)) then
    perform private.raise_error('invalid_reference_point');
  end if;
  is_today := arrival <= private.helsinki_today();

  -- Everyone in the household comes along: private.fit_refusals' `kids`.
  select count(*)::integer,
         max(extract(year from arrival)::int - ch.birth_year) filter (where ch.gender = 'male')
    into child_count, oldest_boy
  from public.client_children ch where ch.client_id = target_client.id;
  persons_needed := 1 + child_count;

  return query
  with now_fig as (
    select * from private.facility_figures_all(null)
  ),
  day_fig as (
    select * from private.facility_figures_all(arrival) where not is_today
  ),
  placed as (
    select f.*, mu.name_fi as mname_fi, mu.name_sv as mname_sv, mu.centre_lon, mu.centre_lat,
           -- private.fit_refusals uses the exact position for zones, the municipality centre without one
           coalesce(l.lon, mu.centre_lon) as pos_lon, coalesce(l.lat, mu.centre_lat) as pos_lat,
           n.capacity as cap, n.last_confirmed_at as confirmed_at,
           case when is_today then n.free_raw else least(n.free_raw, d.free_raw) end as free_raw
    from public.facilities f
    join public.municipalities mu on mu.code = f.municipality_code
    left join public.facility_locations l on l.facility_id = f.id
    join now_fig n on n.facility_id = f.id
    left join day_fig d on d.facility_id = f.id
  ),
  zone_hits as (
    -- private.distance_km(z.lon, z.lat, f.lon, f.lat), written out (haversine, km)
    select f.id, min(z.kind::text) as zone_kind
    from placed f
    join public.exclusion_zones z on z.client_id = target_client.id
      and ((z.kind = 'municipality' and z.municipality_code = f.municipality_code)
        or (z.kind = 'point' and 2 * 6371.0088 * asin(sqrt(
              power(sin(radians(f.pos_lat - z.lat) / 2), 2)
              + cos(radians(z.lat)) * cos(radians(f.pos_lat)) * power(sin(radians(f.pos_lon - z.lon) / 2), 2)
            )) <= z.radius_km))
    group by f.id
  ),
  judged as (
    select f.*,
      -- private.fit_refusals' reasons in its order, then the capacity check of the old search
      array_remove(array[
        case when not f.active then jsonb_build_object('code', 'facility_inactive') end,
        case when f.security_rating < target_client.safety_level
             then jsonb_build_object('code', 'rating_too_low', 'rating', f.security_rating, 'level', target_client.safety_level) end,
        case when zh.id is not null then jsonb_build_object('code', 'inside_exclusion_zone', 'zone_kind', zh.zone_kind) end,
        case when u.facility_id is not null then jsonb_build_object('code', 'marked_unsuitable') end,
        case when (f.gender_policy = 'women' and target_client.gender <> 'female') or (f.gender_policy = 'men' and target_client.gender <> 'male')
             then jsonb_build_object('code', 'gender_policy', 'policy', f.gender_policy, 'gender', target_client.gender) end,
        case when not f.takes_children and child_count > 0
             then jsonb_build_object('code', 'no_children', 'children', child_count) end,
        case when f.takes_children and f.boys_max_age is not null and oldest_boy > f.boys_max_age
             then jsonb_build_object('code', 'boy_too_old', 'max_age', f.boys_max_age, 'age', oldest_boy) end,
        case when f.cap is null or f.free_raw < persons_needed
             then jsonb_build_object('code', 'not_enough_places', 'free', greatest(coalesce(f.free_raw, 0), 0), 'requested', persons_needed) end
      ], null) as all_refusals,
      (cardinality(target_client.languages) = 0 or f.staff_languages && target_client.languages) as lang_ok,
      (not target_client.needs_accessibility or f.wheelchair_access) as access_ok,
      (not target_client.needs_pets or f.pets_allowed) as pets_ok,
      -- private.distance_km(ref_lon, ref_lat, centre_lon, centre_lat), written out
      case when ref_lon is not null then 2 * 6371.0088 * asin(sqrt(
             power(sin(radians(f.centre_lat - ref_lat) / 2), 2)
             + cos(radians(ref_lat)) * cos(radians(f.centre_lat)) * power(sin(radians(f.centre_lon - ref_lon) / 2), 2)
           )) end as approx_km
    from placed f
    left join zone_hits zh on zh.id = f.id
    left join public.client_unsuitable_facilities u on u.client_id = target_client.id and u.facility_id = f.id
  )
  select
    j.id, j.name, j.kind, j.municipality_code, j.mname_fi, j.mname_sv, j.centre_lon, j.centre_lat,
    j.security_rating, j.cap, greatest(coalesce(j.free_raw, 0), 0),
    -- private.availability_status(j.active, j.cap, j.free_raw, j.confirmed_at)
    case
      when not j.active then 'closed'
      when j.cap is null then 'stale'
      when j.free_raw < 0 then 'over'
      when j.confirmed_at < now() - interval '24 hours' then 'stale'
      when j.free_raw = 0 then 'full'
      when j.free_raw <= greatest(2, ceil(j.cap * 0.1)) then 'few'
      else 'free'
    end,
    j.confirmed_at is null or j.confirmed_at < now() - interval '24 hours',
    j.confirmed_at,
    -- private.distance_band(j.approx_km)
    case
      when j.approx_km is null then null
      when j.approx_km < 25 then '0-25'
      when j.approx_km < 50 then '25-50'
      when j.approx_km < 100 then '50-100'
      when j.approx_km < 200 then '100-200'
      else '200+'
    end,
    j.lang_ok, j.access_ok, j.pets_ok,
    cardinality(j.all_refusals) = 0,
    array(select r ->> 'code' from unnest(j.all_refusals) r),
    to_jsonb(j.all_refusals),
    (row_number() over (
      order by cardinality(j.all_refusals) = 0 desc,
               (j.lang_ok::int + j.access_ok::int + j.pets_ok::int) desc,
               (j.confirmed_at is not null and j.confirmed_at >= now() - interval '24 hours') desc,
               j.approx_km is null, floor(coalesce(j.approx_km, 0) / 25),
               j.free_raw desc nulls last,
               j.name, j.id))::integer
  from judged j
  order by 22;
end;
$$;
revoke all on function private.safe_place_rows(uuid, date, double precision, double precision) from public, anon, authenticated;

-- Same signature, rows and errors as before.
create or replace function public.safe_place_search(
  client_id uuid,
  arrival_date date default null,
  ref_lon double precision default null,
  ref_lat double precision default null
)
returns table (
  facility_id uuid,
  name text,
  kind public.facility_kind,
  municipality_code text,
  municipality_name_fi text,
  municipality_name_sv text,
  approx_lon double precision,
  approx_lat double precision,
  security_rating smallint,
  capacity integer,
  free_places integer,
  status text,
  is_stale boolean,
  last_confirmed_at timestamptz,
  distance_band text,
  language_match boolean,
  accessibility_match boolean,
  pets_match boolean,
  suitable boolean,
  refusals text[],
  refusal_details jsonb,
  rank integer
)
language sql
stable
security definer
set search_path = ''
as $$
  select * from private.safe_place_rows(safe_place_search.client_id, safe_place_search.arrival_date,
                                        safe_place_search.ref_lon, safe_place_search.ref_lat);
$$;

-- The search screen's data in one JSON value, never cut at max_rows:
-- {"suitable": [row, ...], "excluded": [{facility_id, name, municipality_code,
-- is_stale, refusal_details}, ...]}: suitable rows in full (the columns of safe_place_search, in
-- rank order), the facilities left out with every reason (in rank order), without the columns the
-- screen does not show for them.
create function public.safe_place_search_results(
  client_id uuid,
  arrival_date date default null,
  ref_lon double precision default null,
  ref_lat double precision default null
)
returns json
language sql
stable
security definer
set search_path = ''
set jit = off
as $$
  select json_build_object(
    'suitable', coalesce(json_agg(to_json(r) order by r.rank) filter (where r.suitable), '[]'::json),
    'excluded', coalesce(json_agg(json_build_object(
                  'facility_id', r.facility_id, 'name', r.name, 'municipality_code', r.municipality_code,
                  'is_stale', r.is_stale, 'refusal_details', r.refusal_details) order by r.rank)
                filter (where not r.suitable), '[]'::json))
  from private.safe_place_rows(safe_place_search_results.client_id, safe_place_search_results.arrival_date,
                               safe_place_search_results.ref_lon, safe_place_search_results.ref_lat) r;
$$;
revoke all on function public.safe_place_search_results(uuid, date, double precision, double precision) from public, anon;
grant execute on function public.safe_place_search_results(uuid, date, double precision, double precision) to authenticated;
