-- Statistics for coordinators: aggregates only, never a client code or a client id.
--
-- Retention deletes clients together with their placements, yet the figures of past years must
-- not change. So every placement is mirrored, without any link to its client, into
-- private.placement_facts (kept in step by a trigger), and the statistics read those facts, the
-- capacity reports and the unmet needs: none of them is deleted with a client. When a placement
-- row goes, its fact loses the placement id too, so nothing leads back to the client.

create table private.placement_facts (
  id bigint generated always as identity primary key,
  -- null once the placement itself was deleted (retention)
  placement_id uuid unique,
  facility_id uuid not null references public.facilities (id),
  status public.placement_status not null,
  persons smallint not null,
  safety_level smallint not null,
  held_at timestamptz,
  responded_at timestamptz,
  decline_reason text,
  arrived_at timestamptz,
  ended_at timestamptz,
  expired_at timestamptz,
  created_at timestamptz not null
);

create index placement_facts_facility_idx on private.placement_facts (facility_id);
create index placement_facts_arrived_idx on private.placement_facts (arrived_at) where arrived_at is not null;
create index placement_facts_ended_idx on private.placement_facts (ended_at) where ended_at is not null;

-- No API role may touch the facts directly; only the security-definer functions below read them.
revoke all on private.placement_facts from public, anon, authenticated, service_role;

create function private.mirror_placement_fact()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
  if tg_op = 'DELETE' then
    update private.placement_facts set placement_id = null where placement_id = old.id;
    return null;
  end if;
  insert into private.placement_facts (placement_id, facility_id, status, persons, safety_level, held_at, responded_at,
                                       decline_reason, arrived_at, ended_at, expired_at, created_at)
  values (new.id, new.facility_id, new.status, new.persons, new.safety_level, new.held_at, new.responded_at,
          new.decline_reason, new.arrived_at, new.ended_at, new.expired_at, new.created_at)
  on conflict (placement_id) do update
    set facility_id = excluded.facility_id, status = excluded.status, persons = excluded.persons,
        safety_level = excluded.safety_level, held_at = excluded.held_at, responded_at = excluded.responded_at,
        decline_reason = excluded.decline_reason, arrived_at = excluded.arrived_at, ended_at = excluded.ended_at,
        expired_at = excluded.expired_at;
  return null;
end;
$$;
revoke all on function private.mirror_placement_fact() from public, anon, authenticated;

create trigger placements_mirror_fact
after insert or update or delete on public.placements
for each row execute function private.mirror_placement_fact();

-- Placements that existed before this migration (hosted projects pushed onto existing data).
insert into private.placement_facts (placement_id, facility_id, status, persons, safety_level, held_at, responded_at,
                                     decline_reason, arrived_at, ended_at, expired_at, created_at)
select p.id, p.facility_id, p.status, p.persons, p.safety_level, p.held_at, p.responded_at, p.decline_reason,
       p.arrived_at, p.ended_at, p.expired_at, p.created_at
from public.placements p
on conflict (placement_id) do nothing;

-- ---------------------------------------------------------------------------------------------
-- Shared checks
-- ---------------------------------------------------------------------------------------------

-- Raises unless the caller is a coordinator and the period is sensible (at most ~5 years, so
-- one request cannot keep the database busy for long).
create function private.check_stats_request(period_start date, period_end date)
returns void
language plpgsql
stable
security definer
set search_path = ''
as $$
begin
  if private.current_app_role() is distinct from 'coordinator' then
    perform private.raise_error('not_allowed');
  end if;
  if period_start is null or period_end is null or period_end < period_start
     or period_end - period_start > 1830 or period_start < date '2000-01-01' then
    perform private.raise_error('invalid_period', jsonb_build_object('max_days', 1830));
  end if;
end;
$$;
revoke all on function private.check_stats_request(date, date) from public, anon, authenticated;

-- Facilities matching the filters (null = any).
create function private.stats_facility_ids(facility_kind public.facility_kind, region text, municipality text)
returns uuid[]
language sql
stable
security definer
set search_path = ''
as $$
  select coalesce(array_agg(f.id), '{}')
  from public.facilities f
  join public.municipalities mu on mu.code = f.municipality_code
  where (facility_kind is null or f.kind = facility_kind)
    and (region is null or mu.region_code = region)
    and (municipality is null or f.municipality_code = municipality);
$$;
revoke all on function private.stats_facility_ids(public.facility_kind, text, text) from public, anon, authenticated;

-- ---------------------------------------------------------------------------------------------
-- Weekly occupancy and stale figures
-- ---------------------------------------------------------------------------------------------

-- Each day of the period (up to today) is sampled at noon Finnish time. Usable places are the
-- latest report's capacity minus places out of service and places taken by others; occupied
-- places are the persons in placements that had arrived and not yet ended. A facility-day is
-- stale when its latest report was more than 24 hours old (or there was none).
create function public.stats_weekly(
  period_start date,
  period_end date,
  facility_kind public.facility_kind default null,
  region text default null,
  municipality text default null
)
returns table (
  week_start date,
  usable_place_days bigint,
  occupied_place_days bigint,
  occupancy_rate numeric,
  facility_days bigint,
  stale_facility_days bigint,
  stale_share numeric
)
language plpgsql
stable
security definer
set search_path = ''
as $$
declare
  chosen uuid[];
begin
  perform private.check_stats_request(period_start, period_end);
  chosen := private.stats_facility_ids(facility_kind, region, municipality);

  return query
  with days as (
    select d::date as day, (d::date::timestamp + interval '12 hours') at time zone 'Europe/Helsinki' as noon
    from generate_series(period_start, least(period_end, private.helsinki_today()), interval '1 day') d
  ),
  reports as (
    select r.facility_id, r.reported_at,
           lead(r.reported_at) over (partition by r.facility_id order by r.reported_at, r.id) as superseded_at,
           greatest(r.capacity - r.out_of_service - r.occupied_by_others, 0) as usable
    from public.capacity_reports r
    where r.facility_id = any (chosen)
  ),
  facility_day as (
    select dy.day, f.id as facility_id, f.active,
           rp.usable, rp.reported_at
    from days dy
    cross join public.facilities f
    left join reports rp on rp.facility_id = f.id and rp.reported_at <= dy.noon
                         and (rp.superseded_at is null or rp.superseded_at > dy.noon)
    where f.id = any (chosen)
  ),
  occupied as (
    select dy.day, sum(pf.persons)::bigint as persons
    from days dy
    join private.placement_facts pf on pf.arrived_at <= dy.noon and (pf.ended_at is null or pf.ended_at > dy.noon)
    where pf.facility_id = any (chosen)
    group by dy.day
  ),
  per_day as (
    select fd.day,
           coalesce(sum(fd.usable), 0)::bigint as usable,
           -- a closed facility's old figure misleads nobody: staleness counts open ones only
           count(*) filter (where fd.active)::bigint as facilities,
           count(*) filter (where fd.active and (fd.reported_at is null or fd.reported_at < (fd.day::timestamp + interval '12 hours') at time zone 'Europe/Helsinki' - interval '24 hours'))::bigint as stale
    from facility_day fd
    group by fd.day
  )
  select date_trunc('week', pd.day::timestamp)::date,
         sum(pd.usable)::bigint,
         sum(coalesce(o.persons, 0))::bigint,
         case when sum(pd.usable) > 0 then round(sum(coalesce(o.persons, 0))::numeric / sum(pd.usable), 4) end,
         sum(pd.facilities)::bigint,
         sum(pd.stale)::bigint,
         case when sum(pd.facilities) > 0 then round(sum(pd.stale)::numeric / sum(pd.facilities), 4) end
  from per_day pd
  left join occupied o on o.day = pd.day
  group by 1
  order by 1;
end;
$$;
revoke all on function public.stats_weekly(date, date, public.facility_kind, text, text) from public, anon;
grant execute on function public.stats_weekly(date, date, public.facility_kind, text, text) to authenticated;

-- ---------------------------------------------------------------------------------------------
-- Placements started and ended per month
-- ---------------------------------------------------------------------------------------------
create function public.stats_placements_monthly(
  period_start date,
  period_end date,
  facility_kind public.facility_kind default null,
  region text default null,
  municipality text default null
)
returns table (month date, started integer, persons_started integer, ended integer, persons_ended integer)
language plpgsql
stable
security definer
set search_path = ''
as $$
declare
  chosen uuid[];
begin
  perform private.check_stats_request(period_start, period_end);
  chosen := private.stats_facility_ids(facility_kind, region, municipality);

  return query
  with months as (
    select m::date as month
    from generate_series(date_trunc('month', period_start::timestamp), date_trunc('month', period_end::timestamp), interval '1 month') m
  ),
  events as (
    select date_trunc('month', pf.arrived_at at time zone 'Europe/Helsinki')::date as month, 1 as started, pf.persons as p_started, 0 as ended, 0 as p_ended
    from private.placement_facts pf
    where pf.facility_id = any (chosen) and pf.arrived_at is not null
      and (pf.arrived_at at time zone 'Europe/Helsinki')::date between period_start and period_end
    union all
    select date_trunc('month', pf.ended_at at time zone 'Europe/Helsinki')::date, 0, 0, 1, pf.persons
    from private.placement_facts pf
    where pf.facility_id = any (chosen) and pf.status = 'ended' and pf.ended_at is not null
      and (pf.ended_at at time zone 'Europe/Helsinki')::date between period_start and period_end
  )
  select mo.month,
         coalesce(sum(e.started), 0)::integer,
         coalesce(sum(e.p_started), 0)::integer,
         coalesce(sum(e.ended), 0)::integer,
         coalesce(sum(e.p_ended), 0)::integer
  from months mo
  left join events e on e.month = mo.month
  group by mo.month
  order by mo.month;
end;
$$;
revoke all on function public.stats_placements_monthly(date, date, public.facility_kind, text, text) from public, anon;
grant execute on function public.stats_placements_monthly(date, date, public.facility_kind, text, text) to authenticated;

-- ---------------------------------------------------------------------------------------------
-- Length of stay of placements that ended in the period, per facility kind and overall
-- ---------------------------------------------------------------------------------------------
create function public.stats_length_of_stay(
  period_start date,
  period_end date,
  facility_kind public.facility_kind default null,
  region text default null,
  municipality text default null
)
returns table (kind public.facility_kind, placements integer, median_days numeric, p90_days numeric)
language plpgsql
stable
security definer
set search_path = ''
as $$
declare
  chosen uuid[];
begin
  perform private.check_stats_request(period_start, period_end);
  chosen := private.stats_facility_ids(facility_kind, region, municipality);

  return query
  with stays as (
    select f.kind, extract(epoch from pf.ended_at - pf.arrived_at) / 86400.0 as days
    from private.placement_facts pf
    join public.facilities f on f.id = pf.facility_id
    where pf.facility_id = any (chosen) and pf.status = 'ended'
      and pf.arrived_at is not null and pf.ended_at is not null
      and (pf.ended_at at time zone 'Europe/Helsinki')::date between period_start and period_end
  )
  -- kind null = all kinds together; listed last
  select s.kind, count(*)::integer,
         round((percentile_cont(0.5) within group (order by s.days))::numeric, 1),
         round((percentile_cont(0.9) within group (order by s.days))::numeric, 1)
  from stays s
  group by grouping sets ((s.kind), ())
  order by s.kind nulls last;
end;
$$;
revoke all on function public.stats_length_of_stay(date, date, public.facility_kind, text, text) from public, anon;
grant execute on function public.stats_length_of_stay(date, date, public.facility_kind, text, text) to authenticated;

-- ---------------------------------------------------------------------------------------------
-- Holds declined (by the facility's stated reason) and expired, in the period
-- ---------------------------------------------------------------------------------------------
create function public.stats_hold_outcomes(
  period_start date,
  period_end date,
  facility_kind public.facility_kind default null,
  region text default null,
  municipality text default null
)
returns table (outcome text, reason text, holds integer, persons integer)
language plpgsql
stable
security definer
set search_path = ''
as $$
declare
  chosen uuid[];
begin
  perform private.check_stats_request(period_start, period_end);
  chosen := private.stats_facility_ids(facility_kind, region, municipality);

  return query
  with outcomes as (
    select 'declined'::text as outcome,
           -- reasons are free text: the same words in another case or spacing count together
           nullif(left(regexp_replace(btrim(pf.decline_reason), '\s+', ' ', 'g'), 200), '') as reason,
           pf.persons
    from private.placement_facts pf
    where pf.facility_id = any (chosen) and pf.status = 'declined'
      and (pf.responded_at at time zone 'Europe/Helsinki')::date between period_start and period_end
    union all
    select 'expired', null, pf.persons
    from private.placement_facts pf
    where pf.facility_id = any (chosen) and pf.status = 'expired'
      and (pf.expired_at at time zone 'Europe/Helsinki')::date between period_start and period_end
  )
  select o.outcome, min(o.reason), count(*)::integer, sum(o.persons)::integer
  from outcomes o
  group by o.outcome, lower(o.reason)
  order by o.outcome, count(*) desc, min(o.reason);
end;
$$;
revoke all on function public.stats_hold_outcomes(date, date, public.facility_kind, text, text) from public, anon;
grant execute on function public.stats_hold_outcomes(date, date, public.facility_kind, text, text) to authenticated;

-- ---------------------------------------------------------------------------------------------
-- Unmet needs per month, safety level and region. Facility kind does not apply (nothing was
-- placed); a need recorded without a municipality counts under region null.
-- ---------------------------------------------------------------------------------------------
create function public.stats_unmet_needs_monthly(
  period_start date,
  period_end date,
  region text default null,
  municipality text default null
)
returns table (month date, safety_level smallint, region_code text, region_name_fi text, region_name_sv text,
               needs integer, persons integer)
language plpgsql
stable
security definer
set search_path = ''
as $$
begin
  perform private.check_stats_request(period_start, period_end);

  return query
  select date_trunc('month', u.needed_on::timestamp)::date, u.safety_level, rg.code, rg.name_fi, rg.name_sv,
         count(*)::integer, sum(u.persons)::integer
  from public.unmet_needs u
  left join public.municipalities mu on mu.code = u.municipality_code
  left join public.regions rg on rg.code = mu.region_code
  where u.needed_on between period_start and period_end
    and (stats_unmet_needs_monthly.region is null or mu.region_code = stats_unmet_needs_monthly.region)
    and (stats_unmet_needs_monthly.municipality is null or u.municipality_code = stats_unmet_needs_monthly.municipality)
  group by 1, 2, 3, 4, 5
  order by 1, 2, 3 nulls last;
end;
$$;
revoke all on function public.stats_unmet_needs_monthly(date, date, text, text) from public, anon;
grant execute on function public.stats_unmet_needs_monthly(date, date, text, text) to authenticated;
