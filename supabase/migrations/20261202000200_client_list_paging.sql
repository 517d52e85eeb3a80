-- The client list pages first and looks up housing for the page's rows only.
--
-- Before: client_list worked out the active placement and the open hold of every client that
-- passed the filters (two lateral lookups per client, 100,000 clients in the bench's dataset),
-- counted them with a window function and only then took a page of 50: about 2-3 s per call,
-- and under 50 concurrent page loads PostgREST's pool of 10 connections queued behind it until
-- requests failed.
--
-- Now: the filters (housing included, as EXISTS tests on the partial unique indexes of active
-- placements and open holds) select client ids in code order with LIMIT/OFFSET, and only those
-- rows get their placement, hold, facility names, children count and caseworkers. The total is
-- a separate count of the same filters. Results are the same as before, row for row, for every
-- filter (tests/integration/client-list-paging.test.ts compares the two).
--
-- The query is built from fixed fragments for the filters that are set and run with EXECUTE ...
-- USING, so every call is planned for its own filters (a cached generic plan with
-- "param is null or ..." conditions cannot use an index for any of them). No caller text is
-- ever part of the SQL: values travel only as parameters.

-- Substring search on codes ("7K4", "as-7k") from an index instead of a scan of every client.
create extension if not exists pg_trgm with schema extensions;
create index if not exists clients_code_trgm_idx on public.clients using gin (code extensions.gin_trgm_ops);

-- Counting by level or responsible party reads a small index instead of every client row.
create index if not exists clients_safety_level_idx on public.clients (safety_level);
create index if not exists clients_responsible_party_idx on public.clients (responsible_party);

create or replace function public.client_list(
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
  like_pattern text;
  conditions text[] := array['true'];
  -- The same definitions of "placed" and "on hold" as the row's housing_state below.
  has_active constant text :=
    'exists (select 1 from public.placements p where p.client_id = c.id and p.status = ''active'')';
  has_open_hold constant text :=
    'exists (select 1 from public.placements p where p.client_id = c.id and p.status in (''hold'', ''accepted'') and p.hold_expires_at > now())';
  -- NOT IN rather than NOT EXISTS: the planner sees few unexpired holds in the statistics of
  -- hold_expires_at (nearly all holds ever made have expired), so for an anti join it rescanned
  -- every open hold once per client; NOT IN hashes the open holds once. client_id is not null.
  has_no_open_hold constant text :=
    'c.id not in (select p.client_id from public.placements p where p.status in (''hold'', ''accepted'') and p.hold_expires_at > now())';
  filters text;
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
    conditions := array_append(conditions, 'c.id = any ($1)');
  end if;
  if pattern is not null then
    like_pattern := '%' || replace(replace(replace(pattern, '\', '\\'), '%', '\%'), '_', '\_') || '%';
    conditions := array_append(conditions, 'c.code ilike $2');
  end if;
  if level_filter is not null then
    conditions := array_append(conditions, 'c.safety_level = $3');
  end if;
  if responsible_filter is not null then
    conditions := array_append(conditions, 'c.responsible_party = $4');
  end if;
  if caseworker_filter is not null then
    conditions := array_append(conditions,
      'exists (select 1 from public.caseworker_assignments a where a.client_id = c.id and a.caseworker_id = $5)');
  end if;
  if housing_filter = 'placed' then
    conditions := array_append(conditions, has_active);
  elsif housing_filter = 'on_hold' then
    conditions := conditions || array['not ' || has_active, has_open_hold];
  elsif housing_filter = 'not_placed' then
    conditions := conditions || array['not ' || has_active, has_no_open_hold];
  end if;
  filters := array_to_string(conditions, ' and ');

  return query execute format($query$
    with page as (
      select c.id
      from public.clients c
      where %1$s
      order by c.code
      limit $6 offset $7
    )
    select
      c.id, c.code, c.gender, c.birth_year, c.safety_level, c.responsible_party, c.asylum_seeker,
      (select count(*)::integer from public.client_children ch where ch.client_id = c.id),
      case when act.id is not null then 'placed' when hld.id is not null then 'on_hold' else 'not_placed' end,
      act.id, act.facility_id, af.name, am.name_fi, am.name_sv, act.arrived_at, act.planned_end, af.security_rating,
      hld.id, hld.status, hf.name, hld.hold_expires_at,
      array(select s.display_name from public.caseworker_assignments a join public.staff s on s.id = a.caseworker_id
            where a.client_id = c.id order by s.display_name),
      -- Uncorrelated, so it runs once (an InitPlan), not once per row of the page.
      (select count(*) from public.clients c where %1$s)
    from page
    join public.clients c on c.id = page.id
    left join lateral (
      select p.id, p.facility_id, p.arrived_at, p.planned_end
      from public.placements p where p.client_id = c.id and p.status = 'active' limit 1
    ) act on true
    left join lateral (
      select p.id, p.status, p.facility_id, p.hold_expires_at
      from public.placements p
      where p.client_id = c.id and p.status in ('hold', 'accepted') and p.hold_expires_at > now()
      order by p.created_at desc limit 1
    ) hld on true
    left join public.facilities af on af.id = act.facility_id
    left join public.municipalities am on am.code = af.municipality_code
    left join public.facilities hf on hf.id = hld.facility_id
    order by c.code
  $query$, filters)
  using visible, like_pattern, level_filter, responsible_filter, caseworker_filter, page_size, page_offset;
end;
$$;
revoke all on function public.client_list(text, integer, text, public.responsible_party, uuid, integer, integer) from public, anon;
grant execute on function public.client_list(text, integer, text, public.responsible_party, uuid, integer, integer) to authenticated;
