-- The placement rules and the RPCs that change placements.
--
-- All of these are `security definer`: they must count every placement at a facility (facility
-- staff cannot see other facilities' residents) and read exact positions for exclusion zones,
-- which no API role can read. Each checks the caller's role itself, raises a stable snake_case
-- code as the message (details as JSON in `detail`), and changes nothing when it fails.
--
-- Concurrency: every function that takes places locks the client row and then the facility
-- row (`for update`, always in that order) and re-checks inside the lock, so concurrent
-- requests for the last places of a facility cannot overbook.

create function private.raise_error(code text, details jsonb default null)
returns void
language plpgsql
set search_path = ''
as $$
begin
  raise exception using errcode = 'P0001', message = code, detail = coalesce(details, '{}'::jsonb)::text;
end;
$$;
revoke all on function private.raise_error(text, jsonb) from public, anon, authenticated;

-- Great-circle distance (haversine), km.
create function private.distance_km(lon1 double precision, lat1 double precision, lon2 double precision, lat2 double precision)
returns double precision
language sql
immutable
parallel safe
set search_path = ''
as $$
  select 2 * 6371.0088 * asin(sqrt(
    power(sin(radians(lat2 - lat1) / 2), 2)
    + cos(radians(lat1)) * cos(radians(lat2)) * power(sin(radians(lon2 - lon1) / 2), 2)
  ));
$$;
revoke all on function private.distance_km(double precision, double precision, double precision, double precision) from public, anon, authenticated;

-- Distance band for a reference point; computed on the approximate position only, so it says
-- nothing about where a facility is inside its municipality.
create function private.distance_band(km double precision)
returns text
language sql
immutable
set search_path = ''
as $$
  select case
    when km is null then null
    when km < 25 then '0-25'
    when km < 50 then '25-50'
    when km < 100 then '50-100'
    when km < 200 then '100-200'
    else '200+'
  end;
$$;
revoke all on function private.distance_band(double precision) from public, anon, authenticated;

-- Why a client may not be held or placed at a facility (empty array = fits). Capacity is
-- checked separately. child_ids: the children who would come along.
-- Uses the facility's exact position for exclusion zones (falling back to the municipality
-- centre when none is recorded); the position itself never leaves this function.
create function private.fit_refusals(target_client uuid, target_facility uuid, child_ids uuid[], arrival date)
returns jsonb
language sql
stable
security definer
set search_path = ''
as $$
  with c as (select * from public.clients where id = target_client),
  f as (
    select fa.*, coalesce(l.lon, mu.centre_lon) as lon, coalesce(l.lat, mu.centre_lat) as lat
    from public.facilities fa
    join public.municipalities mu on mu.code = fa.municipality_code
    left join public.facility_locations l on l.facility_id = fa.id
    where fa.id = target_facility
  ),
  kids as (
    select ch.* from public.client_children ch
    where ch.client_id = target_client and ch.id = any (coalesce(child_ids, '{}'))
  ),
  refusals as (
    select 1 as ord, jsonb_build_object('code', 'facility_inactive') as r from f where not f.active
    union all
    select 2, jsonb_build_object('code', 'rating_too_low', 'rating', f.security_rating, 'level', c.safety_level)
      from f, c where f.security_rating < c.safety_level
    union all
    select 3, jsonb_build_object('code', 'inside_exclusion_zone', 'zone_kind', min(z.kind::text))
      from f, public.exclusion_zones z
      where z.client_id = target_client
        and ((z.kind = 'municipality' and z.municipality_code = f.municipality_code)
          or (z.kind = 'point' and private.distance_km(z.lon, z.lat, f.lon, f.lat) <= z.radius_km))
      having count(*) > 0
    union all
    select 4, jsonb_build_object('code', 'marked_unsuitable')
      from public.client_unsuitable_facilities u where u.client_id = target_client and u.facility_id = target_facility
    union all
    select 5, jsonb_build_object('code', 'gender_policy', 'policy', f.gender_policy, 'gender', c.gender)
      from f, c
      where (f.gender_policy = 'women' and c.gender <> 'female') or (f.gender_policy = 'men' and c.gender <> 'male')
    union all
    select 6, jsonb_build_object('code', 'no_children', 'children', (select count(*) from kids))
      from f where not f.takes_children and exists (select 1 from kids)
    union all
    select 7, jsonb_build_object('code', 'boy_too_old', 'max_age', f.boys_max_age,
                                 'age', max(extract(year from arrival)::int - k.birth_year))
      from f, kids k
      where f.takes_children and f.boys_max_age is not null and k.gender = 'male'
        and extract(year from arrival)::int - k.birth_year > f.boys_max_age
      group by f.boys_max_age
  )
  select coalesce(jsonb_agg(r order by ord), '[]'::jsonb) from refusals;
$$;
revoke all on function private.fit_refusals(uuid, uuid, uuid[], date) from public, anon, authenticated;

create function private.free_places_now(target_facility uuid)
returns integer
language sql
stable
security definer
set search_path = ''
as $$
  select fig.free_raw from private.facility_figures(array[target_facility], null) fig;
$$;
revoke all on function private.free_places_now(uuid) from public, anon, authenticated;

-- Marks a client's holds whose deadline has passed as expired, so the one-open-hold index
-- frees up. Used inside the RPCs (after the client lock) and by expire_holds().
create function private.expire_overdue_holds(target_client uuid)
returns integer
language plpgsql
security definer
set search_path = ''
as $$
declare
  expired_count integer;
begin
  perform private.set_audit_reason('hold_deadline_passed');
  update public.placements p
     set status = 'expired', expired_at = now()
   where p.status in ('hold', 'accepted')
     and p.hold_expires_at <= now()
     and (target_client is null or p.client_id = target_client);
  get diagnostics expired_count = row_count;
  perform private.set_audit_reason(null);
  return expired_count;
end;
$$;
revoke all on function private.expire_overdue_holds(uuid) from public, anon, authenticated;

-- For the scheduler (pg_cron on hosted, the local stack's timer locally). Holds stop counting
-- at their deadline without it; this only records the fact.
create function public.expire_holds()
returns integer
language sql
security definer
set search_path = ''
as $$
  select private.expire_overdue_holds(null);
$$;
revoke all on function public.expire_holds() from public, anon, authenticated;
grant execute on function public.expire_holds() to service_role;

-- Validates the persons list of a hold or move: the client, plus only their own children, each
-- once. Returns the child ids.
create function private.checked_children(target_client uuid, persons uuid[])
returns uuid[]
language plpgsql
stable
security definer
set search_path = ''
as $$
declare
  child_ids uuid[];
begin
  if persons is null or cardinality(persons) = 0 then
    perform private.raise_error('invalid_persons', jsonb_build_object('problem', 'empty'));
  end if;
  if array_position(persons, null) is not null then
    perform private.raise_error('invalid_persons', jsonb_build_object('problem', 'null_person'));
  end if;
  if (select count(distinct x) from unnest(persons) x) <> cardinality(persons) then
    perform private.raise_error('invalid_persons', jsonb_build_object('problem', 'duplicate'));
  end if;
  if not (target_client = any (persons)) then
    perform private.raise_error('client_not_in_persons');
  end if;
  child_ids := array_remove(persons, target_client);
  if exists (
    select 1 from unnest(child_ids) x
    where not exists (select 1 from public.client_children ch where ch.id = x and ch.client_id = target_client)
  ) then
    perform private.raise_error('invalid_persons', jsonb_build_object('problem', 'not_in_household'));
  end if;
  return child_ids;
end;
$$;
revoke all on function private.checked_children(uuid, uuid[]) from public, anon, authenticated;

create function private.insert_persons(target_placement uuid, child_ids uuid[])
returns void
language sql
security definer
set search_path = ''
as $$
  insert into public.placement_persons (placement_id, child_id)
  select target_placement, null
  union all
  select target_placement, x from unnest(child_ids) x;
$$;
revoke all on function private.insert_persons(uuid, uuid[]) from public, anon, authenticated;

-- Refuses with the first fit problem (all of them in detail) or when places are short.
create function private.assert_fits(target_client uuid, target_facility uuid, child_ids uuid[], arrival date, persons_needed integer)
returns void
language plpgsql
security definer
set search_path = ''
as $$
declare
  refusals jsonb := private.fit_refusals(target_client, target_facility, child_ids, arrival);
  free_now integer;
begin
  if jsonb_array_length(refusals) > 0 then
    perform private.raise_error(refusals -> 0 ->> 'code', jsonb_build_object('refusals', refusals));
  end if;
  free_now := private.free_places_now(target_facility);
  if free_now < persons_needed then
    perform private.raise_error('not_enough_places', jsonb_build_object('free', greatest(free_now, 0), 'requested', persons_needed));
  end if;
end;
$$;
revoke all on function private.assert_fits(uuid, uuid, uuid[], date, integer) from public, anon, authenticated;

-- Loads a placement for an action by coordinators or the facility's own staff; others get
-- placement_not_found so they cannot probe which placements exist.
create function private.placement_for_action(target uuid, coordinator_only boolean)
returns public.placements
language plpgsql
security definer
set search_path = ''
as $$
declare
  caller_role public.app_role := private.current_app_role();
  found_row public.placements;
begin
  if caller_role is null or caller_role not in ('coordinator', 'facility_staff')
     or (coordinator_only and caller_role <> 'coordinator') then
    perform private.raise_error('not_allowed');
  end if;
  select * into found_row from public.placements p where p.id = target;
  if found_row.id is null
     or (caller_role = 'facility_staff' and not private.is_facility_member(found_row.facility_id)) then
    perform private.raise_error('placement_not_found');
  end if;
  -- lock order: client, then facility
  perform 1 from public.clients c where c.id = found_row.client_id for update;
  perform 1 from public.facilities f where f.id = found_row.facility_id for update;
  select * into found_row from public.placements p where p.id = target;
  return found_row;
end;
$$;
revoke all on function private.placement_for_action(uuid, boolean) from public, anon, authenticated;

create function private.check_reason(reason text, code text default 'reason_required')
returns text
language plpgsql
immutable
set search_path = ''
as $$
begin
  if reason is null or length(btrim(reason)) = 0 then
    perform private.raise_error(code);
  end if;
  if length(reason) > 1000 then
    perform private.raise_error('reason_too_long', jsonb_build_object('max', 1000));
  end if;
  return btrim(reason);
end;
$$;
revoke all on function private.check_reason(text, text) from public, anon, authenticated;

-- ---------------------------------------------------------------------------------------------
-- place_hold
-- ---------------------------------------------------------------------------------------------
create function public.place_hold(
  client_id uuid,
  facility_id uuid,
  persons uuid[],
  planned_arrival date,
  planned_end date,
  hold_expires_at timestamptz,
  idempotency_key uuid
)
returns public.placements
language plpgsql
security definer
set search_path = ''
as $$
declare
  target_client public.clients;
  existing public.placements;
  child_ids uuid[];
  created public.placements;
  today date := private.helsinki_today();
begin
  if private.current_app_role() is distinct from 'coordinator' then
    perform private.raise_error('not_allowed');
  end if;
  if place_hold.idempotency_key is null then
    perform private.raise_error('idempotency_key_required');
  end if;

  -- a repeated submission returns what the first one created
  select * into existing from public.placements p where p.idempotency_key = place_hold.idempotency_key;
  if existing.id is not null then
    if existing.client_id is distinct from place_hold.client_id or existing.facility_id is distinct from place_hold.facility_id then
      perform private.raise_error('idempotency_key_reused');
    end if;
    return existing;
  end if;

  select * into target_client from public.clients c where c.id = place_hold.client_id for update;
  if target_client.id is null then
    perform private.raise_error('client_not_found');
  end if;
  perform 1 from public.facilities f where f.id = place_hold.facility_id for update;
  if not found then
    perform private.raise_error('facility_not_found');
  end if;

  -- the same key may have committed while we waited for the locks
  select * into existing from public.placements p where p.idempotency_key = place_hold.idempotency_key;
  if existing.id is not null then
    if existing.client_id is distinct from place_hold.client_id or existing.facility_id is distinct from place_hold.facility_id then
      perform private.raise_error('idempotency_key_reused');
    end if;
    return existing;
  end if;

  child_ids := private.checked_children(place_hold.client_id, place_hold.persons);

  if place_hold.planned_arrival is null then
    perform private.raise_error('arrival_required');
  end if;
  if place_hold.planned_arrival < today - 1 then
    perform private.raise_error('arrival_in_past', jsonb_build_object('earliest', today - 1));
  end if;
  if place_hold.planned_arrival > today + 365 then
    perform private.raise_error('arrival_too_far', jsonb_build_object('latest', today + 365));
  end if;
  if place_hold.planned_end is not null and place_hold.planned_end <= place_hold.planned_arrival then
    perform private.raise_error('end_before_start');
  end if;
  if place_hold.hold_expires_at is null or place_hold.hold_expires_at <= now() then
    perform private.raise_error('deadline_in_past');
  end if;
  if place_hold.hold_expires_at > now() + interval '14 days' then
    perform private.raise_error('deadline_too_far', jsonb_build_object('max_days', 14));
  end if;

  if exists (select 1 from public.placements p where p.client_id = place_hold.client_id and p.status in ('hold', 'accepted') and p.hold_expires_at > now()) then
    perform private.raise_error('client_has_open_hold');
  end if;
  if exists (select 1 from public.placements p where p.client_id = place_hold.client_id and p.status = 'active' and p.facility_id = place_hold.facility_id) then
    perform private.raise_error('already_placed_here');
  end if;

  perform private.assert_fits(place_hold.client_id, place_hold.facility_id, child_ids, place_hold.planned_arrival,
                              cardinality(place_hold.persons));

  -- only now, when the hold will succeed: clear this client's overdue holds from the index
  perform private.expire_overdue_holds(place_hold.client_id);

  insert into public.placements (client_id, facility_id, status, persons, safety_level, planned_arrival, planned_end,
                                 hold_expires_at, idempotency_key, held_by, held_at)
  values (place_hold.client_id, place_hold.facility_id, 'hold', cardinality(place_hold.persons), target_client.safety_level,
          place_hold.planned_arrival, place_hold.planned_end, place_hold.hold_expires_at, place_hold.idempotency_key,
          (select auth.uid()), now())
  returning * into created;
  perform private.insert_persons(created.id, child_ids);
  return created;
end;
$$;
revoke all on function public.place_hold(uuid, uuid, uuid[], date, date, timestamptz, uuid) from public, anon;
grant execute on function public.place_hold(uuid, uuid, uuid[], date, date, timestamptz, uuid) to authenticated;

-- ---------------------------------------------------------------------------------------------
-- respond_to_hold: the facility (or a coordinator on its behalf) accepts or declines
-- ---------------------------------------------------------------------------------------------
create function public.respond_to_hold(placement_id uuid, accept boolean, reason text default null)
returns public.placements
language plpgsql
security definer
set search_path = ''
as $$
declare
  target public.placements := private.placement_for_action(respond_to_hold.placement_id, false);
  decline_text text;
  updated public.placements;
begin
  if accept is null then
    perform private.raise_error('accept_required');
  end if;
  if target.status <> 'hold' then
    perform private.raise_error('hold_not_open', jsonb_build_object('status', target.status));
  end if;
  if target.hold_expires_at <= now() then
    perform private.raise_error('hold_expired');
  end if;
  if not accept then
    decline_text := private.check_reason(reason);
  end if;
  perform private.set_audit_reason(decline_text);
  update public.placements p
     set status = case when accept then 'accepted'::public.placement_status else 'declined'::public.placement_status end,
         responded_by = (select auth.uid()),
         responded_at = now(),
         decline_reason = decline_text
   where p.id = target.id
  returning * into updated;
  return updated;
end;
$$;
revoke all on function public.respond_to_hold(uuid, boolean, text) from public, anon;
grant execute on function public.respond_to_hold(uuid, boolean, text) to authenticated;

-- ---------------------------------------------------------------------------------------------
-- record_arrival: accepted hold -> active. A client arriving from another placement is moved:
-- the old placement ends in the same transaction.
-- ---------------------------------------------------------------------------------------------
create function public.record_arrival(placement_id uuid)
returns public.placements
language plpgsql
security definer
set search_path = ''
as $$
declare
  target public.placements := private.placement_for_action(record_arrival.placement_id, false);
  child_ids uuid[];
  refusals jsonb;
  updated public.placements;
begin
  if target.status = 'hold' then
    perform private.raise_error('hold_not_accepted');
  end if;
  if target.status <> 'accepted' then
    perform private.raise_error('hold_not_open', jsonb_build_object('status', target.status));
  end if;
  if target.hold_expires_at <= now() then
    perform private.raise_error('hold_expired');
  end if;

  -- the client's level or zones may have changed since the hold
  select coalesce(array_agg(pp.child_id) filter (where pp.child_id is not null), '{}') into child_ids
  from public.placement_persons pp where pp.placement_id = target.id;
  refusals := private.fit_refusals(target.client_id, target.facility_id, child_ids, private.helsinki_today());
  if jsonb_array_length(refusals) > 0 then
    perform private.raise_error(refusals -> 0 ->> 'code', jsonb_build_object('refusals', refusals));
  end if;

  perform private.set_audit_reason('moved');
  update public.placements p
     set status = 'ended', ended_at = now(), ended_by = (select auth.uid()), end_reason = 'moved'
   where p.client_id = target.client_id and p.status = 'active';
  perform private.set_audit_reason(null);

  update public.placements p
     set status = 'active', arrived_at = now(), arrival_recorded_by = (select auth.uid()),
         safety_level = (select c.safety_level from public.clients c where c.id = target.client_id)
   where p.id = target.id
  returning * into updated;
  return updated;
end;
$$;
revoke all on function public.record_arrival(uuid) from public, anon;
grant execute on function public.record_arrival(uuid) to authenticated;

-- ---------------------------------------------------------------------------------------------
-- end_placement; with mark_unsuitable (coordinators) the facility is never offered to this
-- client again (urgent move after a compromised location).
-- ---------------------------------------------------------------------------------------------
create function public.end_placement(placement_id uuid, reason text, mark_unsuitable boolean default false)
returns public.placements
language plpgsql
security definer
set search_path = ''
as $$
declare
  target public.placements;
  reason_text text;
  updated public.placements;
begin
  if coalesce(mark_unsuitable, false) and private.current_app_role() is distinct from 'coordinator' then
    perform private.raise_error('not_allowed');
  end if;
  target := private.placement_for_action(end_placement.placement_id, false);
  if target.status <> 'active' then
    perform private.raise_error('placement_not_active', jsonb_build_object('status', target.status));
  end if;
  reason_text := private.check_reason(reason);

  perform private.set_audit_reason(reason_text);
  update public.placements p
     set status = 'ended', ended_at = now(), ended_by = (select auth.uid()), end_reason = reason_text
   where p.id = target.id
  returning * into updated;
  if coalesce(mark_unsuitable, false) then
    insert into public.client_unsuitable_facilities (client_id, facility_id, reason, marked_by)
    values (target.client_id, target.facility_id, reason_text, (select auth.uid()))
    on conflict on constraint client_unsuitable_facilities_pkey do update set reason = excluded.reason, marked_at = now();
  end if;
  return updated;
end;
$$;
revoke all on function public.end_placement(uuid, text, boolean) from public, anon;
grant execute on function public.end_placement(uuid, text, boolean) to authenticated;

-- ---------------------------------------------------------------------------------------------
-- cancel_hold (coordinators)
-- ---------------------------------------------------------------------------------------------
create function public.cancel_hold(placement_id uuid, reason text default null)
returns public.placements
language plpgsql
security definer
set search_path = ''
as $$
declare
  target public.placements := private.placement_for_action(cancel_hold.placement_id, true);
  reason_text text := nullif(btrim(coalesce(reason, '')), '');
  updated public.placements;
begin
  if target.status not in ('hold', 'accepted') then
    perform private.raise_error('hold_not_open', jsonb_build_object('status', target.status));
  end if;
  if length(reason_text) > 1000 then
    perform private.raise_error('reason_too_long', jsonb_build_object('max', 1000));
  end if;
  perform private.set_audit_reason(reason_text);
  update public.placements p
     set status = 'cancelled', cancelled_at = now(), cancelled_by = (select auth.uid()), cancel_reason = reason_text
   where p.id = target.id
  returning * into updated;
  return updated;
end;
$$;
revoke all on function public.cancel_hold(uuid, text) from public, anon;
grant execute on function public.cancel_hold(uuid, text) to authenticated;

-- ---------------------------------------------------------------------------------------------
-- move_client: ends the active placement and starts the next one, in one transaction.
-- ---------------------------------------------------------------------------------------------
create function public.move_client(
  placement_id uuid,
  to_facility_id uuid,
  persons uuid[],
  planned_end date,
  reason text,
  idempotency_key uuid
)
returns public.placements
language plpgsql
security definer
set search_path = ''
as $$
declare
  current_placement public.placements;
  existing public.placements;
  target_client public.clients;
  child_ids uuid[];
  reason_text text;
  created public.placements;
  today date := private.helsinki_today();
begin
  if private.current_app_role() is distinct from 'coordinator' then
    perform private.raise_error('not_allowed');
  end if;
  if move_client.idempotency_key is null then
    perform private.raise_error('idempotency_key_required');
  end if;
  select * into existing from public.placements p where p.idempotency_key = move_client.idempotency_key;
  if existing.id is not null then
    if existing.moved_from_placement_id is distinct from move_client.placement_id then
      perform private.raise_error('idempotency_key_reused');
    end if;
    return existing;
  end if;

  select * into current_placement from public.placements p where p.id = move_client.placement_id;
  if current_placement.id is null then
    perform private.raise_error('placement_not_found');
  end if;
  select * into target_client from public.clients c where c.id = current_placement.client_id for update;
  perform 1 from public.facilities f where f.id = move_client.to_facility_id for update;
  if not found then
    perform private.raise_error('facility_not_found');
  end if;

  select * into existing from public.placements p where p.idempotency_key = move_client.idempotency_key;
  if existing.id is not null then
    if existing.moved_from_placement_id is distinct from move_client.placement_id then
      perform private.raise_error('idempotency_key_reused');
    end if;
    return existing;
  end if;
  select * into current_placement from public.placements p where p.id = move_client.placement_id;
  if current_placement.status <> 'active' then
    perform private.raise_error('placement_not_active', jsonb_build_object('status', current_placement.status));
  end if;
  if current_placement.facility_id = move_client.to_facility_id then
    perform private.raise_error('same_facility');
  end if;
  reason_text := private.check_reason(reason);
  child_ids := private.checked_children(current_placement.client_id, move_client.persons);
  if move_client.planned_end is not null and move_client.planned_end <= today then
    perform private.raise_error('end_before_start');
  end if;

  perform private.assert_fits(current_placement.client_id, move_client.to_facility_id, child_ids, today,
                              cardinality(move_client.persons));

  perform private.set_audit_reason(reason_text);
  update public.placements p
     set status = 'ended', ended_at = now(), ended_by = (select auth.uid()), end_reason = reason_text
   where p.id = current_placement.id;

  insert into public.placements (client_id, facility_id, status, persons, safety_level, planned_arrival, planned_end,
                                 idempotency_key, moved_from_placement_id, held_by, held_at, arrived_at, arrival_recorded_by)
  values (current_placement.client_id, move_client.to_facility_id, 'active', cardinality(move_client.persons),
          target_client.safety_level, today, move_client.planned_end, move_client.idempotency_key, current_placement.id,
          (select auth.uid()), now(), now(), (select auth.uid()))
  returning * into created;
  perform private.insert_persons(created.id, child_ids);
  return created;
end;
$$;
revoke all on function public.move_client(uuid, uuid, uuid[], date, text, uuid) from public, anon;
grant execute on function public.move_client(uuid, uuid, uuid[], date, text, uuid) to authenticated;
