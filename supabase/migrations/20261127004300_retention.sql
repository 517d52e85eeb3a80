-- Retention: clients whose housing ended long ago are deleted with their children, exclusion
-- zones, assignments and placements. The statistics stay as they were: they read
-- private.placement_facts (which loses only the link to the deleted placement), capacity
-- reports and unmet needs (whose client link is set to null).
--
-- Scheduled: `public.apply_retention()` once a day (supabase/schedule.json locally, pg_cron on
-- hosted: select cron.schedule('apply-retention', '15 3 * * *', 'select public.apply_retention()')).

create table public.retention_settings (
  -- a single row
  id boolean primary key default true check (id),
  client_retention_years integer not null default 5 check (client_retention_years between 1 and 50),
  updated_by uuid references public.staff (id) on delete set null,
  updated_at timestamptz not null default now()
);

insert into public.retention_settings (id) values (true);

create function private.stamp_retention_actor()
returns trigger
language plpgsql
set search_path = ''
as $$
begin
  new.updated_by := coalesce((select auth.uid()), new.updated_by);
  return new;
end;
$$;
revoke all on function private.stamp_retention_actor() from public, anon, authenticated;

create trigger retention_settings_touch_updated_at
before update on public.retention_settings
for each row execute function private.touch_updated_at();

create trigger retention_settings_stamp_actor
before update on public.retention_settings
for each row execute function private.stamp_retention_actor();

create trigger audit_retention_settings after insert or update or delete on public.retention_settings
for each row execute function private.audit_row_change();

alter table public.retention_settings enable row level security;

grant select on public.retention_settings to authenticated;
grant update (client_retention_years) on public.retention_settings to authenticated;
grant select, update on public.retention_settings to service_role;

create policy retention_settings_select on public.retention_settings
  for select to authenticated
  using ((select private.current_app_role()) in ('admin', 'auditor'));

create policy retention_settings_update_admin on public.retention_settings
  for update to authenticated
  using ((select private.current_app_role()) = 'admin')
  with check ((select private.current_app_role()) = 'admin');

-- When a client's housing last ended: the latest closing moment of any of their placements.
-- A client with an open hold or an active placement has no such moment (null), and neither
-- has a client who was never placed (their own created/updated time is used instead).
create function private.client_last_activity(target_client uuid)
returns timestamptz
language sql
stable
security definer
set search_path = ''
as $$
  select case
    when exists (select 1 from public.placements p
                 where p.client_id = target_client and p.status in ('hold', 'accepted', 'active')) then null
    else greatest(
      (select max(coalesce(p.ended_at, p.cancelled_at, p.expired_at, p.responded_at, p.updated_at))
       from public.placements p where p.client_id = target_client),
      (select c.updated_at from public.clients c where c.id = target_client))
  end;
$$;
revoke all on function private.client_last_activity(uuid) from public, anon, authenticated;

-- Returns the number of clients deleted. Every deleted row is in the audit trail with the
-- reason `retention`, and one summary row records the run (when it deleted anything).
create function public.apply_retention()
returns integer
language plpgsql
security definer
set search_path = ''
as $$
declare
  years integer;
  cutoff timestamptz;
  doomed uuid[];
  deleted_count integer;
begin
  select s.client_retention_years into years from public.retention_settings s;
  years := coalesce(years, 5);
  cutoff := now() - make_interval(years => years);

  select coalesce(array_agg(c.id), '{}') into doomed
  from public.clients c
  where c.created_at < cutoff
    and private.client_last_activity(c.id) < cutoff;

  -- the request log only serves rate limiting and abuse checks
  delete from public.partner_feed_requests r where r.requested_at < now() - interval '90 days';

  if cardinality(doomed) = 0 then
    return 0;
  end if;

  perform private.set_audit_reason('retention');
  -- cascades to children, zones and their reasons, assignments, unsuitable marks and
  -- placements; unmet needs keep their figures with the client link set to null
  delete from public.clients c where c.id = any (doomed);
  get diagnostics deleted_count = row_count;
  perform private.set_audit_reason(null);

  insert into public.audit_log (actor_id, actor_role, action, table_name, row_id, new_data, reason)
  values (null, null, 'delete', 'clients', null,
          jsonb_build_object('deleted_clients', deleted_count, 'retention_years', years, 'cutoff', cutoff),
          'retention');
  return deleted_count;
end;
$$;
revoke all on function public.apply_retention() from public, anon, authenticated;
grant execute on function public.apply_retention() to service_role;
