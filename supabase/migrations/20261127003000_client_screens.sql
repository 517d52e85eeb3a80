-- What the client, placement and caseworker screens need beyond the tables' own RLS:
--
--   save_client            create or edit a client with children and caseworkers in one
--                          transaction; a change of safety level must state its reason, which
--                          goes to the audit trail with the change
--   add_exclusion_zone     a zone and its (coordinator-only) reason in one step
--   caseworker_directory   caseworker names for the coordinator's pickers and filters (staff
--                          rows are otherwise readable only by admins and auditors)
--   client_list            the client list with the current housing at a glance
--   client_timeline        a client's holds and placements with facility, municipality and
--                          the names of who did what
--   placements_ending_soon active placements whose planned end falls within the next days
--
-- Same conventions as the placement RPCs: security definer, each checks the caller's role,
-- raises a stable snake_case code with JSON details, and changes nothing when it fails.

-- ---------------------------------------------------------------------------------------------
-- save_client
-- ---------------------------------------------------------------------------------------------
create function public.save_client(
  target_id uuid,
  gender public.client_gender,
  birth_year integer,
  languages text[],
  needs_accessibility boolean,
  needs_pets boolean,
  needs_other text,
  safety_level integer,
  level_change_reason text,
  responsible_party public.responsible_party,
  asylum_seeker boolean,
  children jsonb,
  caseworker_ids uuid[]
)
returns public.clients
language plpgsql
security definer
set search_path = ''
as $$
declare
  existing public.clients;
  saved public.clients;
  this_year integer := extract(year from private.helsinki_today())::integer;
  clean_languages text[];
  child jsonb;
  child_year integer;
  child_gender text;
  child_id uuid;
  kept_child_ids uuid[] := '{}';
  reason_text text := nullif(btrim(coalesce(level_change_reason, '')), '');
begin
  if private.current_app_role() is distinct from 'coordinator' then
    perform private.raise_error('not_allowed');
  end if;

  if target_id is not null then
    select * into existing from public.clients c where c.id = target_id for update;
    if existing.id is null then
      perform private.raise_error('client_not_found');
    end if;
  end if;

  if gender is null then
    perform private.raise_error('gender_required');
  end if;
  if birth_year is null or birth_year < this_year - 100 or birth_year > this_year then
    perform private.raise_error('invalid_birth_year', jsonb_build_object('min', this_year - 100, 'max', this_year));
  end if;
  if safety_level is null or safety_level not between 1 and 4 then
    perform private.raise_error('invalid_safety_level', jsonb_build_object('min', 1, 'max', 4));
  end if;
  if responsible_party is null then
    perform private.raise_error('responsible_party_required');
  end if;

  select coalesce(array_agg(distinct lower(btrim(l))), '{}') into clean_languages
  from unnest(coalesce(languages, '{}')) l where btrim(l) <> '';
  if exists (select 1 from unnest(clean_languages) l where l !~ '^[a-z]{2,3}$') then
    perform private.raise_error('invalid_language_code');
  end if;
  if cardinality(clean_languages) > 20 then
    perform private.raise_error('too_many_languages', jsonb_build_object('max', 20));
  end if;
  if length(coalesce(needs_other, '')) > 1000 then
    perform private.raise_error('needs_too_long', jsonb_build_object('max', 1000));
  end if;

  -- A change of level is a safety decision: it must say why (the audit row keeps the reason).
  if existing.id is not null and existing.safety_level <> save_client.safety_level and reason_text is null then
    perform private.raise_error('level_reason_required', jsonb_build_object('from', existing.safety_level, 'to', save_client.safety_level));
  end if;
  if length(reason_text) > 1000 then
    perform private.raise_error('reason_too_long', jsonb_build_object('max', 1000));
  end if;

  if children is not null and jsonb_typeof(children) <> 'array' then
    perform private.raise_error('invalid_children', jsonb_build_object('problem', 'not_a_list'));
  end if;
  if jsonb_array_length(coalesce(children, '[]'::jsonb)) > 15 then
    perform private.raise_error('invalid_children', jsonb_build_object('problem', 'too_many', 'max', 15));
  end if;

  if exists (
    select 1 from unnest(coalesce(caseworker_ids, '{}')) x
    where not exists (select 1 from public.staff s where s.id = x and s.role = 'caseworker' and s.active)
  ) then
    perform private.raise_error('invalid_caseworker');
  end if;

  perform private.set_audit_reason(case when existing.id is not null and existing.safety_level <> save_client.safety_level then reason_text end);
  if existing.id is null then
    insert into public.clients (gender, birth_year, languages, needs_accessibility, needs_pets, needs_other, safety_level,
                                responsible_party, asylum_seeker)
    values (save_client.gender, save_client.birth_year, clean_languages, coalesce(save_client.needs_accessibility, false),
            coalesce(save_client.needs_pets, false), btrim(coalesce(save_client.needs_other, '')), save_client.safety_level,
            save_client.responsible_party, coalesce(save_client.asylum_seeker, false))
    returning * into saved;
  else
    update public.clients c
       set gender = save_client.gender, birth_year = save_client.birth_year, languages = clean_languages,
           needs_accessibility = coalesce(save_client.needs_accessibility, false),
           needs_pets = coalesce(save_client.needs_pets, false),
           needs_other = btrim(coalesce(save_client.needs_other, '')),
           safety_level = save_client.safety_level, responsible_party = save_client.responsible_party,
           asylum_seeker = coalesce(save_client.asylum_seeker, false)
     where c.id = existing.id
    returning * into saved;
  end if;
  perform private.set_audit_reason(null);

  -- Children: rows with an id are kept (and updated), rows without one are added, and the
  -- client's other children are removed unless a placement names them (history must stay whole).
  for child in select value from jsonb_array_elements(coalesce(children, '[]'::jsonb)) loop
    if jsonb_typeof(child) <> 'object' then
      perform private.raise_error('invalid_children', jsonb_build_object('problem', 'not_an_object'));
    end if;
    child_year := case when (child ->> 'birth_year') ~ '^[0-9]{4}$' then (child ->> 'birth_year')::integer end;
    child_gender := child ->> 'gender';
    if child_year is null or child_year < this_year - 17 or child_year > this_year then
      perform private.raise_error('invalid_child_birth_year', jsonb_build_object('min', this_year - 17, 'max', this_year));
    end if;
    if child_gender is null or child_gender not in ('female', 'male', 'other') then
      perform private.raise_error('child_gender_required');
    end if;
    child_id := case when (child ->> 'id') ~ '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$' then (child ->> 'id')::uuid end;
    if child ? 'id' and child ->> 'id' is not null and child_id is null then
      perform private.raise_error('invalid_children', jsonb_build_object('problem', 'unknown_child'));
    end if;
    if child_id is null then
      insert into public.client_children (client_id, birth_year, gender)
      values (saved.id, child_year, child_gender::public.client_gender)
      returning id into child_id;
    else
      update public.client_children ch
         set birth_year = child_year, gender = child_gender::public.client_gender
       where ch.id = child_id and ch.client_id = saved.id;
      if not found then
        perform private.raise_error('invalid_children', jsonb_build_object('problem', 'unknown_child'));
      end if;
    end if;
    kept_child_ids := kept_child_ids || child_id;
  end loop;

  if exists (
    select 1 from public.client_children ch
    join public.placement_persons pp on pp.child_id = ch.id
    where ch.client_id = saved.id and not (ch.id = any (kept_child_ids))
  ) then
    perform private.raise_error('child_in_placement');
  end if;
  delete from public.client_children ch where ch.client_id = saved.id and not (ch.id = any (kept_child_ids));

  -- Caseworkers: exactly the given set.
  delete from public.caseworker_assignments a
   where a.client_id = saved.id and not (a.caseworker_id = any (coalesce(caseworker_ids, '{}')));
  insert into public.caseworker_assignments (client_id, caseworker_id)
  select saved.id, x from unnest(coalesce(caseworker_ids, '{}')) x
  on conflict do nothing;

  return saved;
end;
$$;
revoke all on function public.save_client(uuid, public.client_gender, integer, text[], boolean, boolean, text, integer, text,
  public.responsible_party, boolean, jsonb, uuid[]) from public, anon;
grant execute on function public.save_client(uuid, public.client_gender, integer, text[], boolean, boolean, text, integer, text,
  public.responsible_party, boolean, jsonb, uuid[]) to authenticated;

-- ---------------------------------------------------------------------------------------------
-- add_exclusion_zone
-- ---------------------------------------------------------------------------------------------
create function public.add_exclusion_zone(
  client_id uuid,
  kind public.exclusion_zone_kind,
  lon double precision,
  lat double precision,
  radius_km numeric,
  municipality_code text,
  reason text
)
returns public.exclusion_zones
language plpgsql
security definer
set search_path = ''
as $$
declare
  reason_text text;
  created public.exclusion_zones;
begin
  if private.current_app_role() is distinct from 'coordinator' then
    perform private.raise_error('not_allowed');
  end if;
  if not exists (select 1 from public.clients c where c.id = add_exclusion_zone.client_id) then
    perform private.raise_error('client_not_found');
  end if;
  if kind is null then
    perform private.raise_error('zone_kind_required');
  end if;
  if kind = 'point' then
    if lon is null or lat is null or lon not between 19 and 32 or lat not between 59.5 and 70.2 then
      perform private.raise_error('invalid_zone_point', jsonb_build_object('min_lon', 19, 'max_lon', 32, 'min_lat', 59.5, 'max_lat', 70.2));
    end if;
    if radius_km is null or radius_km <= 0 or radius_km > 500 then
      perform private.raise_error('invalid_zone_radius', jsonb_build_object('min', 0.1, 'max', 500));
    end if;
  else
    if municipality_code is null or not exists (select 1 from public.municipalities m where m.code = add_exclusion_zone.municipality_code) then
      perform private.raise_error('municipality_not_found');
    end if;
  end if;
  reason_text := private.check_reason(reason);

  insert into public.exclusion_zones (client_id, kind, lon, lat, radius_km, municipality_code)
  values (add_exclusion_zone.client_id, kind,
          case when kind = 'point' then lon end, case when kind = 'point' then lat end,
          case when kind = 'point' then round(radius_km, 2) end,
          case when kind = 'municipality' then municipality_code end)
  returning * into created;
  insert into public.exclusion_zone_reasons (zone_id, reason) values (created.id, reason_text);
  return created;
end;
$$;
revoke all on function public.add_exclusion_zone(uuid, public.exclusion_zone_kind, double precision, double precision, numeric, text, text) from public, anon;
grant execute on function public.add_exclusion_zone(uuid, public.exclusion_zone_kind, double precision, double precision, numeric, text, text) to authenticated;

-- ---------------------------------------------------------------------------------------------
-- caseworker_directory
-- ---------------------------------------------------------------------------------------------
create function public.caseworker_directory()
returns table (id uuid, display_name text)
language plpgsql
stable
security definer
set search_path = ''
as $$
begin
  if private.current_app_role() is distinct from 'coordinator' then
    perform private.raise_error('not_allowed');
  end if;
  return query
  select s.id, s.display_name from public.staff s
  where s.role = 'caseworker' and s.active
  order by s.display_name, s.id;
end;
$$;
revoke all on function public.caseworker_directory() from public, anon;
grant execute on function public.caseworker_directory() to authenticated;

-- ---------------------------------------------------------------------------------------------
-- client_list: coordinators see every client, caseworkers their assigned ones.
--   housing_filter: null (all) | 'placed' (active placement) | 'on_hold' (open hold, not placed)
--            | 'not_placed' (neither)
-- ---------------------------------------------------------------------------------------------
create function public.client_list(
  search_code text default null,
  level_filter integer default null,
  housing_filter text default null,
  responsible_filter public.responsible_party default null,
  caseworker_filter uuid default null,
  page_size integer default 50,
  page_offset integer default 0
)
returns table (
  client_id uuid,
  code text,
  gender public.client_gender,
  birth_year smallint,
  safety_level smallint,
  responsible_party public.responsible_party,
  asylum_seeker boolean,
  children_count integer,
  housing_state text,
  active_placement_id uuid,
  active_facility_id uuid,
  active_facility_name text,
  active_municipality_name_fi text,
  active_municipality_name_sv text,
  active_since timestamptz,
  active_planned_end date,
  active_facility_rating smallint,
  hold_placement_id uuid,
  hold_status public.placement_status,
  hold_facility_name text,
  hold_expires_at timestamptz,
  caseworker_names text[],
  total_count bigint
)
language plpgsql
stable
security definer
set search_path = ''
as $$
declare
  caller_role public.app_role := private.current_app_role();
  visible uuid[];
  pattern text := nullif(btrim(coalesce(search_code, '')), '');
begin
  if caller_role is null or caller_role not in ('coordinator', 'caseworker') then
    perform private.raise_error('not_allowed');
  end if;
  if housing_filter is not null and housing_filter not in ('placed', 'on_hold', 'not_placed') then
    perform private.raise_error('invalid_filter', jsonb_build_object('housing', housing_filter));
  end if;
  if level_filter is not null and level_filter not between 1 and 4 then
    perform private.raise_error('invalid_filter', jsonb_build_object('safety_level', level_filter));
  end if;
  if page_size is null or page_size < 1 or page_size > 200 or page_offset is null or page_offset < 0 then
    perform private.raise_error('invalid_page', jsonb_build_object('max_page_size', 200));
  end if;
  if length(pattern) > 20 then
    pattern := left(pattern, 20);
  end if;
  if caller_role = 'caseworker' then
    visible := private.my_client_ids();
  end if;

  return query
  with base as (
    select c.*
    from public.clients c
    where (visible is null or c.id = any (visible))
      and (pattern is null or c.code ilike '%' || replace(replace(replace(pattern, '\', '\\'), '%', '\%'), '_', '\_') || '%')
      and (level_filter is null or c.safety_level = level_filter)
      and (responsible_filter is null or c.responsible_party = responsible_filter)
      and (caseworker_filter is null or exists (select 1 from public.caseworker_assignments a where a.client_id = c.id and a.caseworker_id = caseworker_filter))
  ),
  housed as (
    select b.*,
           act.id as act_id, act.facility_id as act_facility, act.arrived_at as act_since, act.planned_end as act_end,
           hld.id as hld_id, hld.status as hld_status, hld.facility_id as hld_facility, hld.hold_expires_at as hld_expires,
           case when act.id is not null then 'placed' when hld.id is not null then 'on_hold' else 'not_placed' end as state
    from base b
    left join lateral (
      select p.* from public.placements p where p.client_id = b.id and p.status = 'active' limit 1
    ) act on true
    left join lateral (
      select p.* from public.placements p
      where p.client_id = b.id and p.status in ('hold', 'accepted') and p.hold_expires_at > now()
      order by p.created_at desc limit 1
    ) hld on true
  ),
  filtered as (
    select h.*, count(*) over () as total from housed h
    where housing_filter is null or h.state = housing_filter
  )
  select
    f.id, f.code, f.gender, f.birth_year, f.safety_level, f.responsible_party, f.asylum_seeker,
    (select count(*)::integer from public.client_children ch where ch.client_id = f.id),
    f.state,
    f.act_id, f.act_facility, af.name, am.name_fi, am.name_sv, f.act_since, f.act_end, af.security_rating,
    f.hld_id, f.hld_status, hf.name, f.hld_expires,
    array(select s.display_name from public.caseworker_assignments a join public.staff s on s.id = a.caseworker_id
          where a.client_id = f.id order by s.display_name),
    f.total
  from filtered f
  left join public.facilities af on af.id = f.act_facility
  left join public.municipalities am on am.code = af.municipality_code
  left join public.facilities hf on hf.id = f.hld_facility
  order by f.code
  limit page_size offset page_offset;
end;
$$;
revoke all on function public.client_list(text, integer, text, public.responsible_party, uuid, integer, integer) from public, anon;
grant execute on function public.client_list(text, integer, text, public.responsible_party, uuid, integer, integer) to authenticated;

-- ---------------------------------------------------------------------------------------------
-- client_timeline: coordinators for any client, caseworkers for their assigned clients. Others,
-- and unknown clients, get client_not_found so nobody can probe which clients exist.
-- ---------------------------------------------------------------------------------------------
create function public.client_timeline(client_id uuid)
returns table (
  placement_id uuid,
  status public.placement_status,
  facility_id uuid,
  facility_name text,
  facility_kind public.facility_kind,
  facility_rating smallint,
  municipality_code text,
  municipality_name_fi text,
  municipality_name_sv text,
  persons smallint,
  safety_level smallint,
  planned_arrival date,
  planned_end date,
  hold_expires_at timestamptz,
  held_at timestamptz,
  held_by_name text,
  responded_at timestamptz,
  responded_by_name text,
  decline_reason text,
  arrived_at timestamptz,
  arrival_recorded_by_name text,
  ended_at timestamptz,
  ended_by_name text,
  end_reason text,
  cancelled_at timestamptz,
  cancelled_by_name text,
  cancel_reason text,
  expired_at timestamptz,
  moved_from_placement_id uuid,
  created_at timestamptz
)
language plpgsql
stable
security definer
set search_path = ''
as $$
declare
  caller_role public.app_role := private.current_app_role();
begin
  if caller_role is null or caller_role not in ('coordinator', 'caseworker') then
    perform private.raise_error('not_allowed');
  end if;
  if not exists (select 1 from public.clients c where c.id = client_timeline.client_id)
     or (caller_role = 'caseworker' and not (client_timeline.client_id = any (private.my_client_ids()))) then
    perform private.raise_error('client_not_found');
  end if;

  return query
  select p.id, p.status, f.id, f.name, f.kind, f.security_rating, f.municipality_code, mu.name_fi, mu.name_sv,
         p.persons, p.safety_level, p.planned_arrival, p.planned_end, p.hold_expires_at,
         p.held_at, hb.display_name, p.responded_at, rb.display_name, p.decline_reason,
         p.arrived_at, ab.display_name, p.ended_at, eb.display_name, p.end_reason,
         p.cancelled_at, cb.display_name, p.cancel_reason, p.expired_at, p.moved_from_placement_id, p.created_at
  from public.placements p
  join public.facilities f on f.id = p.facility_id
  join public.municipalities mu on mu.code = f.municipality_code
  left join public.staff hb on hb.id = p.held_by
  left join public.staff rb on rb.id = p.responded_by
  left join public.staff ab on ab.id = p.arrival_recorded_by
  left join public.staff eb on eb.id = p.ended_by
  left join public.staff cb on cb.id = p.cancelled_by
  where p.client_id = client_timeline.client_id
  order by coalesce(p.arrived_at, p.held_at, p.created_at) desc, p.created_at desc;
end;
$$;
revoke all on function public.client_timeline(uuid) from public, anon;
grant execute on function public.client_timeline(uuid) to authenticated;

-- ---------------------------------------------------------------------------------------------
-- placements_ending_soon (coordinators): planned ends from today to today + days.
-- ---------------------------------------------------------------------------------------------
create function public.placements_ending_soon(days integer default 7)
returns table (
  placement_id uuid,
  client_id uuid,
  client_code text,
  safety_level smallint,
  facility_id uuid,
  facility_name text,
  municipality_name_fi text,
  municipality_name_sv text,
  planned_end date
)
language plpgsql
stable
security definer
set search_path = ''
as $$
begin
  if private.current_app_role() is distinct from 'coordinator' then
    perform private.raise_error('not_allowed');
  end if;
  if days is null or days < 0 or days > 90 then
    perform private.raise_error('invalid_days', jsonb_build_object('min', 0, 'max', 90));
  end if;
  return query
  select p.id, c.id, c.code, c.safety_level, f.id, f.name, mu.name_fi, mu.name_sv, p.planned_end
  from public.placements p
  join public.clients c on c.id = p.client_id
  join public.facilities f on f.id = p.facility_id
  join public.municipalities mu on mu.code = f.municipality_code
  where p.status = 'active'
    and p.planned_end between private.helsinki_today() and private.helsinki_today() + days
  order by p.planned_end, c.code;
end;
$$;
revoke all on function public.placements_ending_soon(integer) from public, anon;
grant execute on function public.placements_ending_soon(integer) to authenticated;

create index if not exists placements_active_planned_end_idx on public.placements (planned_end) where status = 'active';
