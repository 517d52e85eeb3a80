-- Found by the benchmark suite (bench/, issue 7) on its 5,000-facility dataset; see the
-- "Performance" section of README.md.
--
-- 1. private.facility_figures(target_ids, on_date) filtered facilities with
--    `target_ids is null or f.id = any (target_ids)`. Inside a (never inlined) security-definer
--    SQL function that condition is planned once for any argument, so it always scanned every
--    facility, and for a full array compared each row with every element. safe_place_search
--    calls it twice per facility (array[f.id]), which made a search for one client take 7-11 s
--    at 5,000 facilities: past the 8 s statement timeout of `authenticated`, so the coordinator
--    got an error instead of a result. Two branches behind one-time filters let the id branch use
--    the primary key. The placements aggregate is split along the same disjoint status sets as
--    before (current placements / recently ended ones), so each part can use its own index
--    instead of a bitmap OR over both. The figures returned are the same, row for row (checked
--    against the previous definition on the bench dataset, now and on a future date).
--    `jit = off`: the planner cannot know that one id is asked for, so its estimate crosses the
--    JIT thresholds and every call spent ~1.5 s compiling a plan that runs in 0.2 ms.
--    Measured (5,000 calls, one per facility, loaded 2-core machine): 4.7-7.8 s before, 0.4-0.6 s after.
-- 2. Covering indexes so the latest capacity report and a facility's current placements are
--    read from the index alone (index-only scans after vacuum) instead of visiting heap pages.

create index placements_current_by_facility_idx on public.placements (facility_id)
  include (status, persons, hold_expires_at, planned_arrival, planned_end)
  where status in ('active', 'hold', 'accepted');

-- Replaces capacity_reports_facility_time_idx (same key order, so every query it served is
-- still served) with a covering version.
create index capacity_reports_latest_covering_idx on public.capacity_reports (facility_id, reported_at desc, id desc)
  include (capacity, out_of_service, occupied_by_others, reported_role);
drop index public.capacity_reports_facility_time_idx;

create or replace function private.facility_figures(target_ids uuid[], on_date date)
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
set jit = off
as $$
  with moment as (
    select
      on_date is null or on_date <= private.helsinki_today() as is_now,
      coalesce(on_date, private.helsinki_today())::timestamp at time zone 'Europe/Helsinki' as day_start
  ),
  chosen as (
    select fa.id, fa.turnaround_hours from public.facilities fa where target_ids is null
    union all
    select fa.id, fa.turnaround_hours from public.facilities fa where target_ids is not null and fa.id = any (target_ids)
  )
  select
    f.id,
    c.capacity,
    c.out_of_service,
    c.occupied_by_others,
    cur.occupied::integer,
    cur.held::integer,
    ended.in_turnaround::integer,
    (coalesce(c.capacity, 0) - coalesce(c.out_of_service, 0) - coalesce(c.occupied_by_others, 0)
      - cur.occupied - cur.held - ended.in_turnaround)::integer,
    c.reported_at,
    c.reported_role
  from chosen f
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
      ), 0) as held
    from public.placements p
    where p.facility_id = f.id
      and p.status in ('active', 'hold', 'accepted')
  ) cur
  cross join lateral (
    select
      coalesce(sum(p.persons) filter (
        where p.ended_at + make_interval(hours => f.turnaround_hours) > case when m.is_now then now() else m.day_start end
      ), 0) as in_turnaround
    from public.placements p
    where p.facility_id = f.id
      and p.status = 'ended' and f.turnaround_hours > 0 and p.ended_at > now() - make_interval(hours => f.turnaround_hours)
  ) ended;
$$;
revoke all on function private.facility_figures(uuid[], date) from public, anon, authenticated;
