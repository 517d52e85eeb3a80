-- The map's data in two parts (issue 7): what rarely changes, fetched once per page, and the
-- figures, fetched on every (re)join, recovery and refresh. map_availability() sends both as one
-- ~1.2 MB JSON value for 5,000 facilities; most of its cost is building that value (60-75 ms) and
-- carrying it through the gateway and PostgREST (~90 ms), though only the figures change often.
--
-- public.map_facilities(): the static part, compact like map_availability() (column names once,
--   one array per facility, municipality fields once per municipality), and a `version`.
-- public.map_figures(): the figures, one array per column (~100-150 KB), and the same `version`.
--
-- Both list the caller's facilities in the same order (by id), so the browser joins them by
-- position (src/lib/map/facilities.ts, createAvailabilityLoader) as long as the versions match;
-- when they differ it fetches map_facilities() again. Status and staleness are derived in the
-- browser by the rule of src/lib/domain/availability.ts, which tests keep equal to the database's
-- (tests/integration/map-figures.test.ts compares the joined rows with map_availability(), which
-- stays as the reference and for the benchmark).
--
-- The version is an md5 over the ids and updated_at of the caller's facilities, in id order:
-- it changes when the caller's set of facilities changes (a facility added or removed, a
-- caseworker's client moved elsewhere) and when any of their rows is updated (updated_at is set
-- by facilities_touch_updated_at on every update). Both functions compute it with the same
-- expression over the same rows. Municipality names, regions and centres are not in it: they
-- change only by migration, and a page open across a release is reloaded anyway. The binary forms
-- (uuid_send, timestamptz_send) cost half of text and do not depend on the session's DateStyle or
-- TimeZone, as timestamptz text would.

-- ---------------------------------------------------------------------------------------------
-- map_facilities(): the static part
-- ---------------------------------------------------------------------------------------------
-- {"version": text, "columns": [...], "facilities": [[...], ...], "municipalities": [[code,
-- name_fi, name_sv, region_code, centre_lon, centre_lat], ...]}. Ordered by id. No exact
-- position, and no figures.
create function public.map_facilities()
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
    select f.id, f.updated_at, f.name, f.kind, f.operator, f.municipality_code, f.security_rating, f.gender_policy,
           f.takes_children, f.boys_max_age, f.wheelchair_access, f.pets_allowed, f.staff_languages, f.staffed_24h, f.active
    from public.facilities f
    where scope.sees_all or f.id = any (scope.facility_ids)
  )
  select json_build_object(
    'version', (select md5(coalesce(string_agg(uuid_send(v.id) || timestamptz_send(v.updated_at), ''::bytea order by v.id), ''::bytea))
                from visible v),
    'columns', json_build_array('facility_id', 'name', 'kind', 'operator', 'municipality_code', 'security_rating',
                                'gender_policy', 'takes_children', 'boys_max_age', 'wheelchair_access', 'pets_allowed',
                                'staff_languages', 'staffed_24h', 'active'),
    'facilities', coalesce((
      select json_agg(json_build_array(
               v.id, v.name, v.kind, v.operator, v.municipality_code, v.security_rating,
               v.gender_policy, v.takes_children, v.boys_max_age, v.wheelchair_access, v.pets_allowed,
               v.staff_languages, v.staffed_24h, v.active) order by v.id)
      from visible v), '[]'::json),
    'municipalities', coalesce((
      select json_agg(json_build_array(mu.code, mu.name_fi, mu.name_sv, mu.region_code, mu.centre_lon, mu.centre_lat) order by mu.code)
      from public.municipalities mu
      where mu.code in (select v.municipality_code from visible v)), '[]'::json))
  into result;
  return result;
end;
$$;
revoke all on function public.map_facilities() from public, anon;
grant execute on function public.map_facilities() to authenticated;

-- ---------------------------------------------------------------------------------------------
-- map_figures(): the figures, one array per column
-- ---------------------------------------------------------------------------------------------
-- {"version": text, "capacity": [int|null, ...], "free": [int, ...], "confirmed_at": [epoch ms|null,
-- ...], "confirmed_role": [index into roles|null, ...], "roles": [text, ...]}, in the order of
-- map_facilities(). `free` is the raw figure, negative when over-occupied (the browser shows
-- max(0, free) and flags free < 0). confirmed_at is truncated to the millisecond, as JavaScript's
-- Date reads the database's microseconds.
create function public.map_figures()
returns json
language plpgsql
stable
security definer
set search_path = ''
set jit = off
as $$
declare
  scope record := private.availability_scope();
  roles public.app_role[] := enum_range(null::public.app_role);
  result json;
begin
  if scope.sees_all is null then
    raise exception using errcode = 'P0001', message = 'not_allowed';
  end if;

  -- One pass over rows sorted once: the aggregates of one (ungrouped) aggregation read the sorted
  -- subquery's rows in its order, so every array is in id order without a sort per aggregate.
  select json_build_object(
    'version', md5(coalesce(string_agg(uuid_send(v.id) || timestamptz_send(v.updated_at), ''::bytea), ''::bytea)),
    'capacity', coalesce(array_agg(v.capacity), '{}'),
    'free', coalesce(array_agg(v.free_raw), '{}'),
    'confirmed_at', coalesce(array_agg(floor(extract(epoch from v.last_confirmed_at) * 1000)::bigint), '{}'),
    'confirmed_role', coalesce(array_agg(array_position(roles, v.last_confirmed_role) - 1), '{}'),
    'roles', roles)
  into result
  from (
    select f.id, f.updated_at, fig.capacity, fig.free_raw, fig.last_confirmed_at, fig.last_confirmed_role
    from private.facility_figures_all(null) fig
    join public.facilities f on f.id = fig.facility_id
    where scope.sees_all or f.id = any (scope.facility_ids)
    order by f.id
  ) v;
  return result;
end;
$$;
revoke all on function public.map_figures() from public, anon;
grant execute on function public.map_figures() to authenticated;
