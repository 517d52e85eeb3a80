-- Administration: importing and creating facilities in one step, caseworker assignments by
-- client code, and the auditors' facility directory.
--
-- Admins see no client data. Assigning a caseworker needs only the client's pseudonymous code,
-- which the coordinator passes on; these functions resolve it without revealing anything else.

-- ---------------------------------------------------------------------------------------------
-- Facilities: create one or import many, all or nothing
-- ---------------------------------------------------------------------------------------------

-- facility_rows: a JSON array of objects with the facility's attributes, its exact location and
-- optionally its first capacity figure; `line` (optional) is the row's line in the uploaded
-- file, echoed in errors. The app validates every row first and shows the errors by line and
-- column; this re-checks what the database alone can know (municipality codes, duplicates)
-- and turns any other refusal into `import_row_invalid` with the line. Nothing is written
-- unless every row succeeds.
create function public.import_facilities(facility_rows jsonb)
returns uuid[]
language plpgsql
security definer
set search_path = ''
as $$
declare
  item jsonb;
  row_position integer;
  line_no integer;
  created uuid[] := '{}';
  new_id uuid;
  failed_column text;
begin
  if private.current_app_role() is distinct from 'admin' then
    perform private.raise_error('not_allowed');
  end if;
  if facility_rows is null or jsonb_typeof(facility_rows) <> 'array' or jsonb_array_length(facility_rows) = 0 then
    perform private.raise_error('import_empty');
  end if;
  if jsonb_array_length(facility_rows) > 2000 then
    perform private.raise_error('import_too_many_rows', jsonb_build_object('max', 2000));
  end if;

  for item, row_position in select r.value, r.ordinality from jsonb_array_elements(facility_rows) with ordinality r loop
    line_no := coalesce((item ->> 'line')::integer, row_position::integer);

    if not exists (select 1 from public.municipalities mu where mu.code = item ->> 'municipality_code') then
      perform private.raise_error('import_row_invalid',
        jsonb_build_object('line', line_no, 'column', 'municipality_code', 'code', 'unknown_municipality'));
    end if;
    if exists (select 1 from public.facilities f
               where lower(f.name) = lower(btrim(item ->> 'name')) and f.municipality_code = item ->> 'municipality_code') then
      perform private.raise_error('import_row_invalid',
        jsonb_build_object('line', line_no, 'column', 'name', 'code', 'duplicate_facility'));
    end if;

    begin
      failed_column := null;
      insert into public.facilities (name, kind, operator, municipality_code, security_rating, gender_policy,
                                     takes_children, boys_max_age, wheelchair_access, pets_allowed, staff_languages,
                                     staffed_24h, turnaround_hours, active, contact_line)
      values (
        btrim(item ->> 'name'),
        (item ->> 'kind')::public.facility_kind,
        coalesce(item ->> 'operator', ''),
        item ->> 'municipality_code',
        (item ->> 'security_rating')::smallint,
        coalesce(item ->> 'gender_policy', 'any')::public.gender_policy,
        coalesce((item ->> 'takes_children')::boolean, false),
        (item ->> 'boys_max_age')::smallint,
        coalesce((item ->> 'wheelchair_access')::boolean, false),
        coalesce((item ->> 'pets_allowed')::boolean, false),
        coalesce(array(select jsonb_array_elements_text(item -> 'staff_languages')), '{fi}'),
        coalesce((item ->> 'staffed_24h')::boolean, false),
        coalesce((item ->> 'turnaround_hours')::smallint, 0),
        coalesce((item ->> 'active')::boolean, true),
        coalesce(item ->> 'contact_line', '')
      )
      returning id into new_id;

      failed_column := 'location';
      insert into public.facility_locations (facility_id, street_address, postal_code, lon, lat)
      values (new_id, btrim(item ->> 'street_address'), item ->> 'postal_code',
              (item ->> 'lon')::double precision, (item ->> 'lat')::double precision);

      if item ? 'capacity' and item ->> 'capacity' is not null then
        failed_column := 'capacity';
        insert into public.capacity_reports (facility_id, kind, capacity, reported_by, reported_role)
        values (new_id, 'update', (item ->> 'capacity')::integer, (select auth.uid()), 'admin');
      end if;
    exception
      when others then
        perform private.raise_error('import_row_invalid',
          jsonb_build_object('line', line_no, 'column', failed_column, 'code', 'rejected', 'sqlstate', sqlstate));
    end;
    created := created || new_id;
  end loop;
  return created;
end;
$$;
revoke all on function public.import_facilities(jsonb) from public, anon;
grant execute on function public.import_facilities(jsonb) to authenticated;

-- ---------------------------------------------------------------------------------------------
-- Caseworker assignments by client code
-- ---------------------------------------------------------------------------------------------
create function private.admin_caseworker(target uuid)
returns void
language plpgsql
stable
security definer
set search_path = ''
as $$
begin
  if private.current_app_role() is distinct from 'admin' then
    perform private.raise_error('not_allowed');
  end if;
  if not exists (select 1 from public.staff s where s.id = target and s.role = 'caseworker') then
    perform private.raise_error('not_a_caseworker');
  end if;
end;
$$;
revoke all on function private.admin_caseworker(uuid) from public, anon, authenticated;

create function public.admin_caseworker_clients(caseworker_id uuid)
returns table (client_code text, assigned_at timestamptz)
language plpgsql
stable
security definer
set search_path = ''
as $$
begin
  perform private.admin_caseworker(admin_caseworker_clients.caseworker_id);
  return query
  select c.code, a.created_at
  from public.caseworker_assignments a
  join public.clients c on c.id = a.client_id
  where a.caseworker_id = admin_caseworker_clients.caseworker_id
  order by c.code;
end;
$$;
revoke all on function public.admin_caseworker_clients(uuid) from public, anon;
grant execute on function public.admin_caseworker_clients(uuid) to authenticated;

create function public.admin_assign_caseworker(caseworker_id uuid, client_code text)
returns void
language plpgsql
security definer
set search_path = ''
as $$
declare
  target_client uuid;
begin
  perform private.admin_caseworker(admin_assign_caseworker.caseworker_id);
  select c.id into target_client from public.clients c where c.code = upper(btrim(client_code));
  if target_client is null then
    perform private.raise_error('client_not_found');
  end if;
  insert into public.caseworker_assignments (client_id, caseworker_id)
  values (target_client, admin_assign_caseworker.caseworker_id)
  on conflict do nothing;
end;
$$;
revoke all on function public.admin_assign_caseworker(uuid, text) from public, anon;
grant execute on function public.admin_assign_caseworker(uuid, text) to authenticated;

create function public.admin_unassign_caseworker(caseworker_id uuid, client_code text)
returns void
language plpgsql
security definer
set search_path = ''
as $$
begin
  perform private.admin_caseworker(admin_unassign_caseworker.caseworker_id);
  delete from public.caseworker_assignments a
  using public.clients c
  where c.id = a.client_id and c.code = upper(btrim(client_code))
    and a.caseworker_id = admin_unassign_caseworker.caseworker_id;
  if not found then
    perform private.raise_error('client_not_found');
  end if;
end;
$$;
revoke all on function public.admin_unassign_caseworker(uuid, text) from public, anon;
grant execute on function public.admin_unassign_caseworker(uuid, text) to authenticated;

-- ---------------------------------------------------------------------------------------------
-- Auditors read the trail, which names facilities by id; they may not read the facilities
-- table itself, so they get names and municipalities (nothing about places or residents).
-- ---------------------------------------------------------------------------------------------
create function public.audit_facility_directory()
returns table (id uuid, name text, municipality_code text)
language plpgsql
stable
security definer
set search_path = ''
as $$
begin
  if private.current_app_role() is distinct from 'auditor' then
    perform private.raise_error('not_allowed');
  end if;
  return query select f.id, f.name, f.municipality_code from public.facilities f order by f.name;
end;
$$;
revoke all on function public.audit_facility_directory() from public, anon;
grant execute on function public.audit_facility_directory() to authenticated;

-- The id behind a client code, for filtering the trail: found in the trail itself (the client's
-- insert row), so it still works after retention deleted the client.
create function public.audit_client_id(client_code text)
returns uuid
language plpgsql
stable
security definer
set search_path = ''
as $$
begin
  if private.current_app_role() is distinct from 'auditor' then
    perform private.raise_error('not_allowed');
  end if;
  return (
    select a.client_id from public.audit_log a
    where a.table_name = 'clients'
      and upper(btrim(client_code)) in (a.new_data ->> 'code', a.old_data ->> 'code')
    order by a.id
    limit 1
  );
end;
$$;
revoke all on function public.audit_client_id(text) from public, anon;
grant execute on function public.audit_client_id(text) to authenticated;
