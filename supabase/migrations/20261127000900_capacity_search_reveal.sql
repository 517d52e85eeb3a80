-- Capacity updates and confirmations, the safe-place search, and exact-location reveal/edit.

-- Coordinators, or staff of the facility. Others: not_allowed / facility_not_found.
create function private.lock_facility_for_capacity(target_facility uuid)
returns void
language plpgsql
security definer
set search_path = ''
as $$
declare
  caller_role public.app_role := private.current_app_role();
begin
  if caller_role is null or caller_role not in ('coordinator', 'facility_staff') then
    perform private.raise_error('not_allowed');
  end if;
  perform 1 from public.facilities f where f.id = target_facility for update;
  if not found or (caller_role = 'facility_staff' and not private.is_facility_member(target_facility)) then
    perform private.raise_error('facility_not_found');
  end if;
end;
$$;
revoke all on function private.lock_facility_for_capacity(uuid) from public, anon, authenticated;

create function public.update_capacity(
  facility_id uuid,
  capacity integer,
  out_of_service integer,
  out_of_service_reason text,
  occupied_by_others integer
)
returns public.capacity_reports
language plpgsql
security definer
set search_path = ''
as $$
declare
  reason_text text := nullif(btrim(coalesce(out_of_service_reason, '')), '');
  created public.capacity_reports;
begin
  perform private.lock_facility_for_capacity(update_capacity.facility_id);
  if capacity is null or capacity < 0 or capacity > 10000 then
    perform private.raise_error('invalid_capacity', jsonb_build_object('min', 0, 'max', 10000));
  end if;
  if out_of_service is null or out_of_service < 0 or out_of_service > capacity then
    perform private.raise_error('invalid_out_of_service', jsonb_build_object('min', 0, 'max', capacity));
  end if;
  if out_of_service > 0 and reason_text is null then
    perform private.raise_error('out_of_service_reason_required');
  end if;
  if length(reason_text) > 500 then
    perform private.raise_error('reason_too_long', jsonb_build_object('max', 500));
  end if;
  if occupied_by_others is null or occupied_by_others < 0 or occupied_by_others > capacity then
    perform private.raise_error('invalid_occupied_by_others', jsonb_build_object('min', 0, 'max', capacity));
  end if;
  if out_of_service + occupied_by_others > capacity then
    perform private.raise_error('figures_exceed_capacity', jsonb_build_object('capacity', capacity));
  end if;

  insert into public.capacity_reports (facility_id, kind, capacity, out_of_service, out_of_service_reason,
                                       occupied_by_others, reported_by, reported_role)
  values (update_capacity.facility_id, 'update', capacity, out_of_service,
          case when out_of_service > 0 then reason_text end, occupied_by_others,
          (select auth.uid()), private.current_app_role())
  returning * into created;
  return created;
end;
$$;
revoke all on function public.update_capacity(uuid, integer, integer, text, integer) from public, anon;
grant execute on function public.update_capacity(uuid, integer, integer, text, integer) to authenticated;

-- "Still accurate": renews the timestamp with the same figures.
create function public.confirm_capacity(facility_id uuid)
returns public.capacity_reports
language plpgsql
security definer
set search_path = ''
as $$
declare
  latest public.capacity_reports;
  created public.capacity_reports;
begin
  perform private.lock_facility_for_capacity(confirm_capacity.facility_id);
  select * into latest from public.capacity_reports r
   where r.facility_id = confirm_capacity.facility_id
   order by r.reported_at desc, r.id desc limit 1;
  if latest.id is null then
    perform private.raise_error('no_capacity_report');
  end if;
  insert into public.capacity_reports (facility_id, kind, capacity, out_of_service, out_of_service_reason,
                                       occupied_by_others, reported_by, reported_role)
  values (latest.facility_id, 'confirm', latest.capacity, latest.out_of_service, latest.out_of_service_reason,
          latest.occupied_by_others, (select auth.uid()), private.current_app_role())
  returning * into created;
  return created;
end;
$$;
revoke all on function public.confirm_capacity(uuid) from public, anon;
grant execute on function public.confirm_capacity(uuid) to authenticated;

-- ---------------------------------------------------------------------------------------------
-- safe_place_search (coordinators): every facility, suitable ones ranked first, the others with
-- every reason they were left out. Distances are bands from the approximate position.
-- ---------------------------------------------------------------------------------------------
create function public.safe_place_search(
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
language plpgsql
stable
security definer
set search_path = ''
as $$
declare
  target_client public.clients;
  arrival date := coalesce(arrival_date, private.helsinki_today());
  child_ids uuid[];
  persons_needed integer;
begin
  if private.current_app_role() is distinct from 'coordinator' then
    perform private.raise_error('not_allowed');
  end if;
  select * into target_client from public.clients c where c.id = safe_place_search.client_id;
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

  select coalesce(array_agg(ch.id), '{}') into child_ids from public.client_children ch where ch.client_id = target_client.id;
  persons_needed := 1 + cardinality(child_ids);

  return query
  with candidates as (
    select
      f.*, mu.name_fi as mname_fi, mu.name_sv as mname_sv, mu.centre_lon, mu.centre_lat,
      now_fig.capacity as cap, now_fig.last_confirmed_at as confirmed_at,
      least(now_fig.free_raw, day_fig.free_raw) as free_raw,
      private.fit_refusals(target_client.id, f.id, child_ids, arrival) as fit
    from public.facilities f
    join public.municipalities mu on mu.code = f.municipality_code
    cross join lateral private.facility_figures(array[f.id], null) now_fig
    cross join lateral private.facility_figures(array[f.id], arrival) day_fig
  ),
  judged as (
    select c.*,
      c.fit || case when c.cap is null or c.free_raw < persons_needed
                    then jsonb_build_array(jsonb_build_object('code', 'not_enough_places', 'free', greatest(coalesce(c.free_raw, 0), 0), 'requested', persons_needed))
                    else '[]'::jsonb end as all_refusals,
      (cardinality(target_client.languages) = 0 or c.staff_languages && target_client.languages) as lang_ok,
      (not target_client.needs_accessibility or c.wheelchair_access) as access_ok,
      (not target_client.needs_pets or c.pets_allowed) as pets_ok,
      case when ref_lon is not null then private.distance_km(ref_lon, ref_lat, c.centre_lon, c.centre_lat) end as approx_km
    from candidates c
  )
  select
    j.id, j.name, j.kind, j.municipality_code, j.mname_fi, j.mname_sv, j.centre_lon, j.centre_lat,
    j.security_rating, j.cap, greatest(coalesce(j.free_raw, 0), 0),
    private.availability_status(j.active, j.cap, j.free_raw, j.confirmed_at),
    j.confirmed_at is null or j.confirmed_at < now() - interval '24 hours',
    j.confirmed_at,
    private.distance_band(j.approx_km),
    j.lang_ok, j.access_ok, j.pets_ok,
    jsonb_array_length(j.all_refusals) = 0,
    array(select r ->> 'code' from jsonb_array_elements(j.all_refusals) r),
    j.all_refusals,
    (row_number() over (
      order by jsonb_array_length(j.all_refusals) = 0 desc,
               (j.lang_ok::int + j.access_ok::int + j.pets_ok::int) desc,
               (j.confirmed_at is not null and j.confirmed_at >= now() - interval '24 hours') desc,
               private.distance_band(j.approx_km) is null, floor(coalesce(j.approx_km, 0) / 25),
               j.free_raw desc nulls last,
               j.name, j.id))::integer
  from judged j
  order by 22;
end;
$$;
revoke all on function public.safe_place_search(uuid, date, double precision, double precision) from public, anon;
grant execute on function public.safe_place_search(uuid, date, double precision, double precision) to authenticated;

-- ---------------------------------------------------------------------------------------------
-- Exact locations
-- ---------------------------------------------------------------------------------------------

-- Coordinators: any facility. Facility staff: their own. Caseworkers: the current facility of an
-- assigned client whose level is 3 or lower, at a facility rated 3 or lower; otherwise
-- contact_coordinator. Every successful reveal is written to the audit trail with the reason.
create function public.reveal_facility_location(facility_id uuid, reason text)
returns table (street_address text, postal_code text, lon double precision, lat double precision)
language plpgsql
security definer
set search_path = ''
as $$
declare
  caller_role public.app_role := private.current_app_role();
  target public.facilities;
  reason_text text;
  location public.facility_locations;
begin
  if caller_role is null or caller_role not in ('coordinator', 'facility_staff', 'caseworker') then
    perform private.raise_error('not_allowed');
  end if;
  select * into target from public.facilities f where f.id = reveal_facility_location.facility_id;
  if target.id is null
     or (caller_role = 'facility_staff' and not private.is_facility_member(target.id))
     or (caller_role = 'caseworker' and not (target.id = any (private.my_clients_facility_ids()))) then
    perform private.raise_error('facility_not_found');
  end if;
  reason_text := private.check_reason(reason);

  if caller_role = 'caseworker' then
    if not exists (
      select 1 from public.placements p
      where p.facility_id = target.id and p.status = 'active' and p.client_id = any (private.my_client_ids())
    ) then
      perform private.raise_error('not_allowed', jsonb_build_object('rule', 'current_facility_of_assigned_client'));
    end if;
    if target.security_rating > 3 or not exists (
      select 1 from public.placements p join public.clients c on c.id = p.client_id
      where p.facility_id = target.id and p.status = 'active' and p.client_id = any (private.my_client_ids())
        and c.safety_level <= 3
    ) then
      perform private.raise_error('contact_coordinator');
    end if;
  end if;

  select * into location from public.facility_locations l where l.facility_id = target.id;
  if location.facility_id is null then
    perform private.raise_error('location_not_recorded');
  end if;

  insert into public.audit_log (actor_id, actor_role, action, table_name, row_id, facility_id, reason)
  values ((select auth.uid()), caller_role, 'reveal_location', 'facility_locations', target.id::text, target.id, reason_text);

  return query select location.street_address, location.postal_code, location.lon, location.lat;
end;
$$;
revoke all on function public.reveal_facility_location(uuid, text) from public, anon;
grant execute on function public.reveal_facility_location(uuid, text) to authenticated;

-- Admins record or correct an exact location; they cannot read it back (write-only).
create function public.set_facility_location(facility_id uuid, street_address text, postal_code text, lon double precision, lat double precision)
returns void
language plpgsql
security definer
set search_path = ''
as $$
begin
  if private.current_app_role() is distinct from 'admin' then
    perform private.raise_error('not_allowed');
  end if;
  if not exists (select 1 from public.facilities f where f.id = set_facility_location.facility_id) then
    perform private.raise_error('facility_not_found');
  end if;
  if street_address is null or length(btrim(street_address)) = 0 or length(street_address) > 300 then
    perform private.raise_error('invalid_address');
  end if;
  if postal_code is null or postal_code !~ '^[0-9]{5}$' then
    perform private.raise_error('invalid_postal_code');
  end if;
  if lon is null or lat is null or lon not between 19 and 32 or lat not between 59.5 and 70.2 then
    perform private.raise_error('invalid_coordinates');
  end if;
  insert into public.facility_locations (facility_id, street_address, postal_code, lon, lat)
  values (set_facility_location.facility_id, btrim(street_address), postal_code, lon, lat)
  on conflict on constraint facility_locations_pkey do update
    set street_address = excluded.street_address, postal_code = excluded.postal_code, lon = excluded.lon, lat = excluded.lat;
end;
$$;
revoke all on function public.set_facility_location(uuid, text, text, double precision, double precision) from public, anon;
grant execute on function public.set_facility_location(uuid, text, text, double precision, double precision) to authenticated;
