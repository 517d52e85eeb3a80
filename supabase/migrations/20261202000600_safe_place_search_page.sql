-- The safe-place search screen's answer, small and fast (issue 7, measurement 2).
--
-- safe_place_search_results() answers with every facility: at 5,000 facilities 1.4 MB (857
-- suitable in full, 4,143 left out, each with its reason objects). Measured on a bench-size
-- database as `authenticated` with a coordinator's claims: ~150 ms in private.safe_place_rows()
-- (the figures of every facility ~30 ms through a plpgsql set-returning function; the rest a
-- jsonb reason array built for each of the 5,000 facilities, sorts of all of them, the table
-- handed back through a tuplestore), ~50 ms more to build the JSON, and carrying a constant of
-- that size through the gateway and PostgREST costs ~115 ms p50 with no query at all.
--
-- public.safe_place_search_page() judges every facility by the same rules and builds output
-- only for what the screen shows (~30 KB):
--   - the suitable facilities, best first: the first `suitable_limit` in full (the columns and
--     values of safe_place_search()) and how many there are;
--   - the left-out facilities counted per reason (a facility counts under each of its reasons),
--     and on request one reason's facilities a page at a time, each with every reason;
--   - on request, facilities with their verdict ("why is <name> not offered?"): those whose name
--     contains `find_name` (at most 20, and whether more match), and `focus_facility_id` (the
--     facility that declined the client's last hold), with the rank of a suitable one.
-- Per facility it keeps one narrow row (its reasons as bits, free places, the ranking keys);
-- reason objects and the other columns are built only for the rows sent. Today's figures are
-- written out (as in facility_figures_all(null)) so the planner joins them directly; point zones
-- measure only the positions within the zone's band of latitude.
--
-- The rules are private.safe_place_rows()'s (20261202000100), which stays as the reference:
-- private.fit_refusals()' reasons in its order, then not_enough_places on the smaller of
-- today's and the arrival day's free places; ranking suitable first, then matches, fresh
-- figures, distance band, free places, name, id. tests/integration/fast-availability.test.ts
-- holds this function to safe_place_search() facility by facility, in one snapshot.

-- max(turnaround_hours), the turnaround horizon of this function and of facility_figures_all(),
-- from the index instead of a scan of every facility.
create index facilities_turnaround_hours_idx on public.facilities (turnaround_hours);

create function public.safe_place_search_page(
  client_id uuid,
  arrival_date date default null,
  ref_lon double precision default null,
  ref_lat double precision default null,
  suitable_limit integer default 50,
  excluded_reason text default null,
  excluded_offset integer default 0,
  excluded_limit integer default 50,
  find_name text default null,
  focus_facility_id uuid default null
)
returns json
language plpgsql
stable
security definer
set search_path = ''
set jit = off
-- One plan per connection, built on its first call and kept: planning the statement below takes
-- ~5 ms each time (plpgsql would plan the first five calls of each connection anew).
set plan_cache_mode = force_generic_plan
as $$
declare
  target_client public.clients;
  arrival date := coalesce(arrival_date, private.helsinki_today());
  is_today boolean;
  child_count integer;
  oldest_boy integer;
  persons_needed integer;
  -- the facilities marked unsuitable for this client (a few at most)
  unsuitable_ids uuid[];
  name_part text := lower(nullif(btrim(find_name), ''));
  -- no placement ended earlier than this can still be in anyone's turnaround
  turnaround_horizon timestamptz := now() - make_interval(hours => coalesce((select max(f.turnaround_hours) from public.facilities f), 0));
  result json;
begin
  if private.current_app_role() is distinct from 'coordinator' then
    perform private.raise_error('not_allowed');
  end if;
  select * into target_client from public.clients c where c.id = client_id;
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
  if suitable_limit is null or suitable_limit not between 0 and 1000
     or excluded_offset is null or excluded_offset < 0
     or excluded_limit is null or excluded_limit not between 1 and 1000
     or excluded_reason not in ('facility_inactive', 'rating_too_low', 'inside_exclusion_zone', 'marked_unsuitable',
                                'gender_policy', 'no_children', 'boy_too_old', 'not_enough_places')
     or length(name_part) > 200 then
    perform private.raise_error('invalid_page');
  end if;
  is_today := arrival <= private.helsinki_today();

  -- Everyone in the household comes along: private.fit_refusals' `kids`.
  select count(*)::integer,
         max(extract(year from arrival)::int - ch.birth_year) filter (where ch.gender = 'male')
    into child_count, oldest_boy
  from public.client_children ch where ch.client_id = target_client.id;
  persons_needed := 1 + child_count;
  select coalesce(array_agg(u.facility_id), '{}') into unsuitable_ids
  from public.client_unsuitable_facilities u where u.client_id = target_client.id;

  with held as (
    -- private.facility_figures_all(null), written out (a set-returning plpgsql function hands
    -- its rows over through a tuplestore, and the planner cannot join through it): unexpired holds
    select p.facility_id, sum(p.persons)::integer as held
    from public.placements p
    where p.status in ('hold', 'accepted') and p.hold_expires_at > now()
    group by p.facility_id
  ),
  turnaround as (
    -- ... and places still in turnaround
    select p.facility_id, sum(p.persons)::integer as in_turnaround
    from public.placements p
    join public.facilities f on f.id = p.facility_id
    where p.status = 'ended' and p.ended_at > turnaround_horizon
      and f.turnaround_hours > 0 and p.ended_at > now() - make_interval(hours => f.turnaround_hours)
    group by p.facility_id
  ),
  day_fig as (
    select fig.facility_id, fig.free_raw from private.facility_figures_all(arrival) fig where not is_today
  ),
  zone_hits as (
    -- private.fit_refusals' zone rule: a facility's exact position, its municipality's centre
    -- when it has none; private.distance_km(z.lon, z.lat, lon, lat) written out (haversine, km).
    -- Municipality zones: the facilities of that municipality.
    select f.id, 'municipality' as zone_kind
    from public.exclusion_zones z
    join public.facilities f on f.municipality_code = z.municipality_code
    where z.client_id = target_client.id and z.kind = 'municipality'
    union all
    -- Point zones, exact positions. A point farther than r km can differ by no less than r / R
    -- radians of latitude (the haversine is at least that of the latitude difference), so only
    -- positions within that band (plus a margin for rounding) need the distance.
    select l.facility_id, 'point'
    from public.exclusion_zones z
    join public.facility_locations l
      on abs(l.lat - z.lat) <= degrees(z.radius_km::double precision / 6371.0088) + 1e-6
     and 2 * 6371.0088 * asin(sqrt(
           power(sin(radians(l.lat - z.lat) / 2), 2)
           + cos(radians(z.lat)) * cos(radians(l.lat)) * power(sin(radians(l.lon - z.lon) / 2), 2)
         )) <= z.radius_km
    where z.client_id = target_client.id and z.kind = 'point'
    union all
    -- Point zones, facilities without an exact position: their municipality's centre. From the
    -- few municipalities in the zone (offset 0 keeps the planner from scanning every facility).
    select f.id, 'point'
    from public.exclusion_zones z
    join public.municipalities mu
      on 2 * 6371.0088 * asin(sqrt(
           power(sin(radians(mu.centre_lat - z.lat) / 2), 2)
           + cos(radians(z.lat)) * cos(radians(mu.centre_lat)) * power(sin(radians(mu.centre_lon - z.lon) / 2), 2)
         )) <= z.radius_km
    cross join lateral (
      select f.id
      from public.facilities f
      where f.municipality_code = mu.code
        and not exists (select 1 from public.facility_locations l where l.facility_id = f.id)
      offset 0
    ) f
    where z.client_id = target_client.id and z.kind = 'point'
  ),
  zoned as (
    -- min(z.kind::text) of fit_refusals: 'municipality' before 'point'
    select zh.id, min(zh.zone_kind) as zone_kind from zone_hits zh group by zh.id
  ),
  -- One narrow row per facility: its reasons as bits in the rules' order (private.fit_refusals,
  -- then the capacity check: 1 facility_inactive, 2 rating_too_low, 4 inside_exclusion_zone,
  -- 8 marked_unsuitable, 16 gender_policy, 32 no_children, 64 boy_too_old, 128
  -- not_enough_places), the free places on the arrival day and the ranking keys. Everything
  -- else is read again for the rows sent.
  judged as materialized (
    select f.id, f.name, z.zone_kind, fig.free_raw,
      (case when not f.active then 1 else 0 end)
      | (case when f.security_rating < target_client.safety_level then 2 else 0 end)
      | (case when z.zone_kind is not null then 4 else 0 end)
      | (case when f.id = any (unsuitable_ids) then 8 else 0 end)
      | (case when (f.gender_policy = 'women' and target_client.gender <> 'female')
                or (f.gender_policy = 'men' and target_client.gender <> 'male') then 16 else 0 end)
      | (case when not f.takes_children and child_count > 0 then 32 else 0 end)
      | (case when f.takes_children and f.boys_max_age is not null and oldest_boy > f.boys_max_age then 64 else 0 end)
      | (case when b.capacity is null or fig.free_raw < persons_needed then 128 else 0 end) as reasons,
      (cardinality(target_client.languages) = 0 or f.staff_languages && target_client.languages)::int
        + (not target_client.needs_accessibility or f.wheelchair_access)::int
        + (not target_client.needs_pets or f.pets_allowed)::int as matches,
      (b.reported_at is not null and b.reported_at >= now() - interval '24 hours') as fresh,
      ref_lon is null as no_km,
      -- private.distance_km(ref_lon, ref_lat, centre_lon, centre_lat), written out, in steps of
      -- 25 km (which also give private.distance_band's bands: 0, 1, 2-3, 4-7, 8+)
      floor(coalesce(2 * 6371.0088 * asin(sqrt(
             power(sin(radians(mu.centre_lat - ref_lat) / 2), 2)
             + cos(radians(ref_lat)) * cos(radians(mu.centre_lat)) * power(sin(radians(mu.centre_lon - ref_lon) / 2), 2)
           )), 0) / 25) as km_step
    from public.facilities f
    join public.municipalities mu on mu.code = f.municipality_code
    left join private.facility_base_figures b on b.facility_id = f.id
    left join held h on h.facility_id = f.id
    left join turnaround t on t.facility_id = f.id
    left join day_fig d on d.facility_id = f.id
    left join zoned z on z.id = f.id
    cross join lateral (
      -- free places on the arrival day: the smaller of today's and that day's
      select case when is_today then now_free.n else least(now_free.n, d.free_raw) end as free_raw
      from (select coalesce(b.capacity, 0) - coalesce(b.out_of_service, 0) - coalesce(b.occupied_by_others, 0)
                   - coalesce(b.occupied, 0) - coalesce(h.held, 0) - coalesce(t.in_turnaround, 0) as n) now_free
    ) fig
  ),
  counts as (
    select count(*) filter (where j.reasons = 0) as suitable_count,
           count(*) filter (where j.reasons <> 0) as excluded_count,
           count(*) filter (where j.reasons & 1 <> 0) as facility_inactive,
           count(*) filter (where j.reasons & 2 <> 0) as rating_too_low,
           count(*) filter (where j.reasons & 4 <> 0) as inside_exclusion_zone,
           count(*) filter (where j.reasons & 8 <> 0) as marked_unsuitable,
           count(*) filter (where j.reasons & 16 <> 0) as gender_policy,
           count(*) filter (where j.reasons & 32 <> 0) as no_children,
           count(*) filter (where j.reasons & 64 <> 0) as boy_too_old,
           count(*) filter (where j.reasons & 128 <> 0) as not_enough_places
    from judged j
  ),
  -- The ranking of safe_place_rows() within the suitable ones: every suitable facility ranks
  -- before every left-out one there, so rank = position among the suitable.
  suitable_top as (
    select j.*, row_number() over (order by j.matches desc, j.fresh desc, j.no_km, j.km_step, j.free_raw desc nulls last, j.name, j.id) as rank
    from (
      select * from judged j
      where j.reasons = 0
      order by j.matches desc, j.fresh desc, j.no_km, j.km_step, j.free_raw desc nulls last, j.name, j.id
      limit suitable_limit
    ) j
  ),
  excluded_page as (
    select j.*, row_number() over (order by j.matches desc, j.fresh desc, j.no_km, j.km_step, j.free_raw desc nulls last, j.name, j.id) as pos
    from (
      select * from judged j
      where excluded_reason is not null
        and j.reasons & (case excluded_reason
                           when 'facility_inactive' then 1 when 'rating_too_low' then 2
                           when 'inside_exclusion_zone' then 4 when 'marked_unsuitable' then 8
                           when 'gender_policy' then 16 when 'no_children' then 32
                           when 'boy_too_old' then 64 when 'not_enough_places' then 128
                         end) <> 0
      order by j.matches desc, j.fresh desc, j.no_km, j.km_step, j.free_raw desc nulls last, j.name, j.id
      offset excluded_offset
      limit excluded_limit
    ) j
  ),
  found as (
    select j.*, row_number() over (order by j.name, j.id) as pos
    from judged j
    where name_part is not null and strpos(lower(j.name), name_part) > 0
    order by j.name, j.id
    limit 21
  ),
  -- The facilities looked up (by name, and the focused one), with a suitable one's rank.
  looked_up as (
    select j.*, r.rank
    from judged j
    left join (
      select s.id, row_number() over (order by s.matches desc, s.fresh desc, s.no_km, s.km_step, s.free_raw desc nulls last, s.name, s.id) as rank
      from judged s
      where s.reasons = 0 and (focus_facility_id is not null or name_part is not null)
    ) r on r.id = j.id
    where j.id = focus_facility_id or j.id in (select fo.id from found fo where fo.pos <= 20)
  ),
  -- The rows sent with their reasons, each with its reason objects.
  explained as (
    select e.id, e.name, f.municipality_code,
      (b.reported_at is null or b.reported_at < now() - interval '24 hours') as is_stale,
      to_jsonb(array_remove(array[
        case when e.reasons & 1 <> 0 then jsonb_build_object('code', 'facility_inactive') end,
        case when e.reasons & 2 <> 0
             then jsonb_build_object('code', 'rating_too_low', 'rating', f.security_rating, 'level', target_client.safety_level) end,
        case when e.reasons & 4 <> 0 then jsonb_build_object('code', 'inside_exclusion_zone', 'zone_kind', e.zone_kind) end,
        case when e.reasons & 8 <> 0 then jsonb_build_object('code', 'marked_unsuitable') end,
        case when e.reasons & 16 <> 0
             then jsonb_build_object('code', 'gender_policy', 'policy', f.gender_policy, 'gender', target_client.gender) end,
        case when e.reasons & 32 <> 0 then jsonb_build_object('code', 'no_children', 'children', child_count) end,
        case when e.reasons & 64 <> 0 then jsonb_build_object('code', 'boy_too_old', 'max_age', f.boys_max_age, 'age', oldest_boy) end,
        case when e.reasons & 128 <> 0
             then jsonb_build_object('code', 'not_enough_places', 'free', greatest(coalesce(e.free_raw, 0), 0), 'requested', persons_needed) end
      ], null)) as refusal_details
    from (select id, name, reasons, zone_kind, free_raw from excluded_page
          union
          select id, name, reasons, zone_kind, free_raw from looked_up) e
    join public.facilities f on f.id = e.id
    left join private.facility_base_figures b on b.facility_id = e.id
  )
  select json_build_object(
    'suitable_count', c.suitable_count,
    'excluded_count', c.excluded_count,
    'suitable', coalesce((
      select json_agg(json_build_object(
               'facility_id', s.id, 'name', s.name, 'kind', f.kind, 'municipality_code', f.municipality_code,
               'municipality_name_fi', mu.name_fi, 'municipality_name_sv', mu.name_sv,
               'approx_lon', mu.centre_lon, 'approx_lat', mu.centre_lat, 'security_rating', f.security_rating,
               'capacity', b.capacity, 'free_places', greatest(coalesce(s.free_raw, 0), 0),
               -- private.availability_status(f.active, b.capacity, s.free_raw, b.reported_at)
               'status', case
                           when not f.active then 'closed'
                           when b.capacity is null then 'stale'
                           when s.free_raw < 0 then 'over'
                           when b.reported_at < now() - interval '24 hours' then 'stale'
                           when s.free_raw = 0 then 'full'
                           when s.free_raw <= greatest(2, ceil(b.capacity * 0.1)) then 'few'
                           else 'free'
                         end,
               'is_stale', not s.fresh,
               'last_confirmed_at', b.reported_at,
               -- private.distance_band() of the distance
               'distance_band', case
                                  when s.no_km then null
                                  when s.km_step < 1 then '0-25'
                                  when s.km_step < 2 then '25-50'
                                  when s.km_step < 4 then '50-100'
                                  when s.km_step < 8 then '100-200'
                                  else '200+'
                                end,
               'language_match', (cardinality(target_client.languages) = 0 or f.staff_languages && target_client.languages),
               'accessibility_match', (not target_client.needs_accessibility or f.wheelchair_access),
               'pets_match', (not target_client.needs_pets or f.pets_allowed),
               'suitable', true, 'refusals', '{}'::text[], 'refusal_details', '[]'::jsonb,
               'rank', s.rank) order by s.rank)
      from suitable_top s
      join public.facilities f on f.id = s.id
      join public.municipalities mu on mu.code = f.municipality_code
      left join private.facility_base_figures b on b.facility_id = s.id), '[]'::json),
    'reasons', (
      select coalesce(json_agg(json_build_object('code', r.code, 'count', r.n) order by r.ord), '[]'::json)
      from (values (1, 'facility_inactive', c.facility_inactive), (2, 'rating_too_low', c.rating_too_low),
                   (3, 'inside_exclusion_zone', c.inside_exclusion_zone), (4, 'marked_unsuitable', c.marked_unsuitable),
                   (5, 'gender_policy', c.gender_policy), (6, 'no_children', c.no_children),
                   (7, 'boy_too_old', c.boy_too_old), (8, 'not_enough_places', c.not_enough_places)) r(ord, code, n)
      where r.n > 0),
    'excluded', coalesce((
      select json_agg(json_build_object(
               'facility_id', e.id, 'name', e.name, 'municipality_code', e.municipality_code,
               'is_stale', e.is_stale, 'refusal_details', e.refusal_details) order by p.pos)
      from excluded_page p
      join explained e on e.id = p.id), '[]'::json),
    'found', coalesce((
      select json_agg(json_build_object(
               'facility_id', e.id, 'name', e.name, 'municipality_code', e.municipality_code, 'is_stale', e.is_stale,
               'suitable', l.reasons = 0, 'rank', l.rank, 'refusal_details', e.refusal_details) order by fo.pos)
      from found fo
      join looked_up l on l.id = fo.id
      join explained e on e.id = fo.id
      where fo.pos <= 20), '[]'::json),
    'found_more', exists (select 1 from found fo where fo.pos > 20),
    'focus', (
      select json_build_object(
               'facility_id', e.id, 'name', e.name, 'municipality_code', e.municipality_code, 'is_stale', e.is_stale,
               'suitable', l.reasons = 0, 'rank', l.rank, 'refusal_details', e.refusal_details)
      from looked_up l
      join explained e on e.id = l.id
      where l.id = focus_facility_id))
  into result
  from counts c;
  return result;
end;
$$;
revoke all on function public.safe_place_search_page(uuid, date, double precision, double precision, integer, text, integer, integer, text, uuid) from public, anon;
grant execute on function public.safe_place_search_page(uuid, date, double precision, double precision, integer, text, integer, integer, text, uuid) to authenticated;
