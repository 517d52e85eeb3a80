-- Live updates through Broadcast from the database, on private channels authorised by RLS on
-- realtime.messages:
--   topic `availability`     counts only (free places, capacity, status) for every signed-in
--                            coordinator, facility staff member or admin;
--   topic `facility:<uuid>`  placement ids and statuses for that facility's members and
--                            coordinators, who then read details through RLS.
-- No client data and no positions go into any payload.

create function private.availability_payload(target_facility uuid)
returns jsonb
language sql
stable
security definer
set search_path = ''
as $$
  select jsonb_build_object(
    'facility_id', f.id,
    'capacity', fig.capacity,
    'free_places', greatest(fig.free_raw, 0),
    'over_occupied', fig.free_raw < 0,
    'status', private.availability_status(f.active, fig.capacity, fig.free_raw, fig.last_confirmed_at),
    'last_confirmed_at', fig.last_confirmed_at,
    'last_confirmed_role', fig.last_confirmed_role
  )
  from public.facilities f
  cross join lateral private.facility_figures(array[f.id], null) fig
  where f.id = target_facility;
$$;
revoke all on function private.availability_payload(uuid) from public, anon, authenticated;

-- Bulk loads (the seed, benchmarks) set suoja.skip_broadcast = 'on' to avoid one message per row.
create function private.broadcast_facility_change()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
declare
  changed_facility uuid;
begin
  if coalesce(current_setting('suoja.skip_broadcast', true), '') = 'on' then
    return null;
  end if;
  -- capacity_reports.id is a bigint, so the two branches cannot share one CASE
  if tg_table_name = 'facilities' then
    changed_facility := new.id;
  else
    changed_facility := new.facility_id;
  end if;
  perform realtime.send(private.availability_payload(changed_facility), 'availability_changed', 'availability', true);

  if tg_table_name = 'placements' then
    perform realtime.send(
      jsonb_build_object('placement_id', new.id, 'facility_id', new.facility_id, 'status', new.status,
                         'previous_status', case when tg_op = 'UPDATE' then old.status end, 'persons', new.persons),
      'placement_changed', 'facility:' || new.facility_id::text, true);
  end if;
  return null;
end;
$$;
revoke all on function private.broadcast_facility_change() from public, anon, authenticated;

create trigger placements_broadcast
after insert or update of status, persons, hold_expires_at on public.placements
for each row execute function private.broadcast_facility_change();

create trigger capacity_reports_broadcast
after insert on public.capacity_reports
for each row execute function private.broadcast_facility_change();

create trigger facilities_broadcast
after update of active, turnaround_hours on public.facilities
for each row execute function private.broadcast_facility_change();

-- Topic names are user input at join time: parse them without ever raising.
create function private.can_read_topic(topic text)
returns boolean
language plpgsql
stable
security definer
set search_path = ''
as $$
declare
  caller_role public.app_role := private.current_app_role();
begin
  if topic is null or caller_role is null then
    return false;
  end if;
  if topic = 'availability' then
    return caller_role in ('coordinator', 'facility_staff', 'admin');
  end if;
  if topic ~ '^facility:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$' then
    return caller_role = 'coordinator'
      or (caller_role = 'facility_staff' and private.is_facility_member(substr(topic, 10)::uuid));
  end if;
  return false;
end;
$$;
revoke all on function private.can_read_topic(text) from public, anon;
grant execute on function private.can_read_topic(text) to authenticated;

create policy suoja_staff_read_broadcasts on realtime.messages
  for select to authenticated
  using (realtime.messages.extension = 'broadcast' and private.can_read_topic((select realtime.topic())));
