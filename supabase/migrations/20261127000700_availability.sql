-- Free places, computed in the database so every screen and every rule uses one formula:
--
--   free = capacity - out of service - occupied by others - persons in active placements
--          - persons in unexpired holds - places still in turnaround after someone left
--
-- Holds stop counting at their deadline through `hold_expires_at > now()` here, whether or not
-- expire_holds() has run. Free places are never shown below zero; the shortfall is flagged as
-- over-occupancy instead.
--
-- On a future date (issue 4: "count planned ends and planned starts") a placement occupies a
-- place from its planned arrival until its planned end plus the facility's turnaround; an open
-- hold counts from its planned arrival as long as it has not expired by now.

create function private.helsinki_today()
returns date
language sql
stable
set search_path = ''
as $$
  select (now() at time zone 'Europe/Helsinki')::date;
$$;
revoke all on function private.helsinki_today() from public, anon;
grant execute on function private.helsinki_today() to authenticated;

-- target_ids null = all facilities; on_date null or today = now.
create function private.facility_figures(target_ids uuid[], on_date date)
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
language sql
stable
security definer
set search_path = ''
as $$
  with moment as (
    select
      on_date is null or on_date <= private.helsinki_today() as is_now,
      coalesce(on_date, private.helsinki_today())::timestamp at time zone 'Europe/Helsinki' as day_start
  )
  select
    f.id,
    c.capacity,
    c.out_of_service,
    c.occupied_by_others,
    o.occupied::integer,
    o.held::integer,
    o.in_turnaround::integer,
    (coalesce(c.capacity, 0) - coalesce(c.out_of_service, 0) - coalesce(c.occupied_by_others, 0)
      - o.occupied - o.held - o.in_turnaround)::integer,
    c.reported_at,
    c.reported_role
  from public.facilities f
  cross join moment m
  left join lateral (
    select r.capacity, r.out_of_service, r.occupied_by_others, r.reported_at, r.reported_role
    from public.capacity_reports r
    where r.facility_id = f.id
    order by r.reported_at desc, r.id desc
    limit 1
  ) c on true
  cross join lateral (
    select
      coalesce(sum(p.persons) filter (
        where p.status = 'active'
          and (m.is_now or p.planned_end is null
               or (p.planned_end::timestamp at time zone 'Europe/Helsinki') + make_interval(hours => f.turnaround_hours) > m.day_start)
      ), 0) as occupied,
      coalesce(sum(p.persons) filter (
        where p.status in ('hold', 'accepted') and p.hold_expires_at > now()
          and (m.is_now or (
            p.planned_arrival <= m.day_start::date
            and (p.planned_end is null
                 or (p.planned_end::timestamp at time zone 'Europe/Helsinki') + make_interval(hours => f.turnaround_hours) > m.day_start)))
      ), 0) as held,
      coalesce(sum(p.persons) filter (
        where p.status = 'ended'
          and p.ended_at + make_interval(hours => f.turnaround_hours) > case when m.is_now then now() else m.day_start end
      ), 0) as in_turnaround
    from public.placements p
    where p.facility_id = f.id
      and (p.status in ('active', 'hold', 'accepted')
           or (p.status = 'ended' and f.turnaround_hours > 0 and p.ended_at > now() - make_interval(hours => f.turnaround_hours)))
  ) o
  where target_ids is null or f.id = any (target_ids);
$$;
revoke all on function private.facility_figures(uuid[], date) from public, anon, authenticated;

create function private.availability_status(is_active boolean, capacity integer, free_raw integer, last_confirmed_at timestamptz)
returns text
language sql
stable
set search_path = ''
as $$
  select case
    when not is_active then 'closed'
    when capacity is null then 'stale'
    when free_raw < 0 then 'over'
    when last_confirmed_at < now() - interval '24 hours' then 'stale'
    when free_raw = 0 then 'full'
    when free_raw <= greatest(2, ceil(capacity * 0.1)) then 'few'
    else 'free'
  end;
$$;
revoke all on function private.availability_status(boolean, integer, integer, timestamptz) from public, anon, authenticated;

-- Which facilities the caller may see availability for (null = not allowed at all).
create function private.visible_facility_ids()
returns uuid[]
language plpgsql
stable
security definer
set search_path = ''
as $$
declare
  caller_role public.app_role := private.current_app_role();
begin
  if caller_role in ('coordinator', 'facility_staff', 'admin') then
    return (select coalesce(array_agg(f.id), '{}') from public.facilities f);
  elsif caller_role = 'caseworker' then
    return private.my_clients_facility_ids();
  end if;
  return null;
end;
$$;
revoke all on function private.visible_facility_ids() from public, anon, authenticated;

create function public.facility_availability(on_date date default null)
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
as $$
declare
  visible uuid[] := private.visible_facility_ids();
begin
  if visible is null then
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
    private.availability_status(f.active, fig.capacity, fig.free_raw, fig.last_confirmed_at),
    fig.last_confirmed_at, fig.last_confirmed_role
  from private.facility_figures(visible, on_date) fig
  join public.facilities f on f.id = fig.facility_id
  join public.municipalities mu on mu.code = f.municipality_code
  order by f.name;
end;
$$;
revoke all on function public.facility_availability(date) from public, anon;
grant execute on function public.facility_availability(date) to authenticated;

create function public.facility_forecast(facility_id uuid, days integer default 14)
returns table (
  day date,
  capacity integer,
  occupied integer,
  held integer,
  in_turnaround integer,
  free_places integer,
  over_occupied boolean
)
language plpgsql
stable
security definer
set search_path = ''
as $$
declare
  target uuid := facility_forecast.facility_id;
  visible uuid[] := private.visible_facility_ids();
begin
  if visible is null then
    raise exception using errcode = 'P0001', message = 'not_allowed';
  end if;
  if days is null or days < 1 or days > 90 then
    raise exception using errcode = 'P0001', message = 'invalid_days',
      detail = jsonb_build_object('min', 1, 'max', 90)::text;
  end if;
  if target is null or not (target = any (visible)) then
    raise exception using errcode = 'P0001', message = 'facility_not_found';
  end if;

  return query
  select d.day::date,
         fig.capacity,
         fig.occupied,
         fig.held,
         fig.in_turnaround,
         greatest(fig.free_raw, 0),
         fig.free_raw < 0
  from generate_series(private.helsinki_today(), private.helsinki_today() + (days - 1), interval '1 day') as d(day)
  cross join lateral private.facility_figures(array[target], d.day::date) fig
  order by d.day;
end;
$$;
revoke all on function public.facility_forecast(uuid, integer) from public, anon;
grant execute on function public.facility_forecast(uuid, integer) to authenticated;
