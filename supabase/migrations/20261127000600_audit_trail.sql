-- The append-only audit trail: every insert, update and delete on the placement data, and every
-- reveal of an exact location, with actor, role, time, what changed and the stated reason.
-- Only auditors read it; nobody (not even the table owner) can update, delete or truncate it.

create table public.audit_log (
  id bigint generated always as identity primary key,
  occurred_at timestamptz not null default now(),
  -- no foreign keys: the trail must outlive the staff, clients and facilities it mentions
  actor_id uuid,
  actor_role public.app_role,
  action text not null check (action in ('insert', 'update', 'delete', 'reveal_location')),
  table_name text not null,
  row_id text,
  facility_id uuid,
  client_id uuid,
  changed_columns text[],
  old_data jsonb,
  new_data jsonb,
  reason text
);

create index audit_log_occurred_idx on public.audit_log (occurred_at desc);
create index audit_log_actor_idx on public.audit_log (actor_id, occurred_at desc);
create index audit_log_row_idx on public.audit_log (table_name, row_id);
create index audit_log_facility_idx on public.audit_log (facility_id, occurred_at desc) where facility_id is not null;
create index audit_log_client_idx on public.audit_log (client_id, occurred_at desc) where client_id is not null;

create trigger audit_log_append_only
before update or delete on public.audit_log
for each row execute function private.forbid_change();

create trigger audit_log_no_truncate
before truncate on public.audit_log
for each statement execute function private.forbid_change();

alter table public.audit_log enable row level security;
grant select on public.audit_log to authenticated, service_role;

create policy audit_log_select_auditor on public.audit_log
  for select to authenticated
  using ((select private.current_app_role()) = 'auditor');

-- An RPC states why it changes something; the row triggers pick that up for their audit rows.
create function private.set_audit_reason(reason text)
returns void
language sql
set search_path = ''
as $$
  select set_config('suoja.audit_reason', coalesce(reason, ''), true);
$$;
revoke all on function private.set_audit_reason(text) from public, anon, authenticated;

-- Columns whose values never go into the trail: the trail is read by auditors, who are not
-- allowed to learn exact locations or the reasons behind exclusion zones.
create function private.redact(table_name text, data jsonb)
returns jsonb
language sql
immutable
set search_path = ''
as $$
  select case
    when data is null then null
    when table_name = 'facility_locations' then
      data || jsonb_build_object('street_address', '[redacted]', 'postal_code', '[redacted]', 'lon', '[redacted]', 'lat', '[redacted]')
    when table_name = 'exclusion_zone_reasons' then data || jsonb_build_object('reason', '[redacted]')
    else data
  end;
$$;
revoke all on function private.redact(text, jsonb) from public, anon, authenticated;

-- TG_ARGV: the key columns that identify a row (default: id).
create function private.audit_row_change()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
declare
  old_row jsonb := case when tg_op in ('UPDATE', 'DELETE') then to_jsonb(old) end;
  new_row jsonb := case when tg_op in ('INSERT', 'UPDATE') then to_jsonb(new) end;
  any_row jsonb := coalesce(new_row, old_row);
  key_columns text[] := case when tg_nargs > 0 then tg_argv::text[] else array['id'] end;
  changed text[];
  row_key text;
begin
  if tg_op = 'UPDATE' then
    select coalesce(array_agg(n.key order by n.key), '{}') into changed
    from jsonb_each(new_row) n
    where n.key <> 'updated_at' and n.value is distinct from old_row -> n.key;
    if cardinality(changed) = 0 then
      return null;
    end if;
  end if;

  select string_agg(any_row ->> k, ':' order by ordinality) into row_key
  from unnest(key_columns) with ordinality as k;

  insert into public.audit_log (actor_id, actor_role, action, table_name, row_id, facility_id, client_id,
                                changed_columns, old_data, new_data, reason)
  values (
    (select auth.uid()),
    private.current_app_role(),
    lower(tg_op),
    tg_table_name,
    row_key,
    case when tg_table_name = 'facilities' then (any_row ->> 'id')::uuid else (any_row ->> 'facility_id')::uuid end,
    case when tg_table_name = 'clients' then (any_row ->> 'id')::uuid else (any_row ->> 'client_id')::uuid end,
    changed,
    private.redact(tg_table_name, old_row),
    private.redact(tg_table_name, new_row),
    nullif(current_setting('suoja.audit_reason', true), '')
  );
  return null;
end;
$$;
revoke all on function private.audit_row_change() from public, anon, authenticated;

create trigger audit_staff after insert or update or delete on public.staff
for each row execute function private.audit_row_change();
create trigger audit_facilities after insert or update or delete on public.facilities
for each row execute function private.audit_row_change();
create trigger audit_facility_locations after insert or update or delete on public.facility_locations
for each row execute function private.audit_row_change('facility_id');
create trigger audit_facility_memberships after insert or update or delete on public.facility_memberships
for each row execute function private.audit_row_change('staff_id', 'facility_id');
create trigger audit_capacity_reports after insert or update or delete on public.capacity_reports
for each row execute function private.audit_row_change();
create trigger audit_clients after insert or update or delete on public.clients
for each row execute function private.audit_row_change();
create trigger audit_client_children after insert or update or delete on public.client_children
for each row execute function private.audit_row_change();
create trigger audit_caseworker_assignments after insert or update or delete on public.caseworker_assignments
for each row execute function private.audit_row_change('client_id', 'caseworker_id');
create trigger audit_exclusion_zones after insert or update or delete on public.exclusion_zones
for each row execute function private.audit_row_change();
create trigger audit_exclusion_zone_reasons after insert or update or delete on public.exclusion_zone_reasons
for each row execute function private.audit_row_change('zone_id');
create trigger audit_client_unsuitable_facilities after insert or update or delete on public.client_unsuitable_facilities
for each row execute function private.audit_row_change('client_id', 'facility_id');
create trigger audit_unmet_needs after insert or update or delete on public.unmet_needs
for each row execute function private.audit_row_change();
create trigger audit_placements after insert or update or delete on public.placements
for each row execute function private.audit_row_change();
create trigger audit_placement_persons after insert or update or delete on public.placement_persons
for each row execute function private.audit_row_change();
