-- Realtime's objects in the database, shaped as hosted Supabase Realtime creates them in every
-- project: realtime.messages (Broadcast from the database, and the table whose RLS policies
-- authorise private channels), realtime.topic(), realtime.send(), realtime.broadcast_changes().
-- Runs as supabase_admin during bootstrap; safe to run again.

do $$
begin
  if not exists (select from pg_catalog.pg_roles where rolname = 'supabase_realtime_admin') then
    create role supabase_realtime_admin with noinherit nologin noreplication;
  end if;
  if exists (select from pg_catalog.pg_roles where rolname = 'postgres') then
    grant supabase_realtime_admin to postgres;
  end if;
end
$$;

create schema if not exists realtime;

-- Hosted partitions this table by day and drops old partitions; locally one table is enough and
-- the Realtime service deletes rows older than three days (see local-stack/src/realtime/changes.ts).
create table if not exists realtime.messages (
  topic text not null,
  extension text not null,
  payload jsonb,
  event text,
  private boolean default false,
  updated_at timestamp without time zone not null default now(),
  inserted_at timestamp without time zone not null default now(),
  id uuid not null default gen_random_uuid(),
  constraint messages_pkey primary key (id, inserted_at)
);

create index if not exists messages_inserted_at_topic_index
  on realtime.messages (inserted_at desc, topic)
  where extension = 'broadcast' and private is true;

alter table realtime.messages enable row level security;
alter table realtime.messages owner to supabase_realtime_admin;

-- Local stack only: hosted Realtime streams this table's WAL as it is written, while the local
-- stack can only ask for decoded changes. Notifying at commit (NOTIFY is delivered only after
-- the commit, and never for a rolled-back insert) lets the stack drain its slot at once instead
-- of at its next poll. Postgres folds a transaction's identical notifications into one, so a
-- transaction that sends many messages wakes it once.
create or replace function realtime.local_stack_wake_capture() returns trigger
  language plpgsql
  set search_path = ''
as $$
begin
  perform pg_notify('realtime_local_capture', '');
  return null;
end;
$$;
alter function realtime.local_stack_wake_capture() owner to supabase_realtime_admin;
revoke all on function realtime.local_stack_wake_capture() from public;

create or replace trigger local_stack_wake_capture
  after insert on realtime.messages
  for each statement execute function realtime.local_stack_wake_capture();

create or replace function realtime.topic() returns text
  language sql stable
as $$
  select nullif(current_setting('realtime.topic', true), '')::text;
$$;
alter function realtime.topic() owner to supabase_realtime_admin;

-- Converts a value as logical decoding prints it into the jsonb that to_jsonb() gives for its
-- column type, so change payloads carry numbers, booleans, arrays and json as hosted sends them.
-- It never raises: the WAL has already been consumed when it runs, and one odd value must not
-- lose the rest of the batch.
create or replace function realtime.cast(val text, type_ regtype) returns jsonb
  language plpgsql immutable
as $$
declare
  converted jsonb;
begin
  if val is null then
    return null;
  end if;
  if type_::text = 'bytea' then
    return to_jsonb(val);
  end if;
  execute format('select to_jsonb(%L::%s)', val, type_::text) into converted;
  return converted;
exception when others then
  return to_jsonb(val);
end;
$$;

create or replace function realtime.send(payload jsonb, event text, topic text, private boolean default true)
  returns void
  language plpgsql
as $$
declare
  message_id uuid := gen_random_uuid();
  delivered_payload jsonb;
begin
  begin
    -- Subscribers see the message id inside the payload as well as in meta, as on hosted.
    if payload ? 'id' then
      delivered_payload := payload;
    else
      delivered_payload := jsonb_set(payload, '{id}', to_jsonb(message_id));
    end if;
    -- INSERT policies on realtime.messages read the topic through realtime.topic().
    perform set_config('realtime.topic', topic, true);
    insert into realtime.messages (id, payload, event, topic, private, extension)
    values (message_id, delivered_payload, event, topic, private, 'broadcast');
  exception when others then
    -- A failed broadcast must never abort the caller's transaction (hosted behaviour).
    raise warning 'ErrorSendingBroadcastMessage: %', sqlerrm;
  end;
end;
$$;

create or replace function realtime.broadcast_changes(
  topic_name text,
  event_name text,
  operation text,
  table_name text,
  table_schema text,
  new record,
  old record,
  level text default 'ROW'
) returns void
  language plpgsql
as $$
declare
  change jsonb;
begin
  if level = 'STATEMENT' then
    raise exception 'function can only be triggered for each row, not for each statement';
  end if;
  if operation not in ('INSERT', 'UPDATE', 'DELETE') then
    raise exception 'Unexpected operation type: %', operation;
  end if;
  change := jsonb_build_object(
    'old_record', old,
    'record', new,
    'operation', operation,
    'table', table_name,
    'schema', table_schema
  );
  perform realtime.send(change, event_name, topic_name);
end;
$$;

grant usage on schema realtime to postgres, anon, authenticated, service_role, supabase_realtime_admin;
grant create on schema realtime to supabase_realtime_admin;
grant all on realtime.messages to supabase_realtime_admin;
grant select, insert, update on realtime.messages to postgres, anon, authenticated, service_role;
grant delete, truncate, references, trigger on realtime.messages to postgres;
grant execute on function realtime.topic() to postgres, anon, authenticated, service_role;
grant execute on function realtime.send(jsonb, text, text, boolean) to postgres, anon, authenticated, service_role;
grant execute on function realtime.broadcast_changes(text, text, text, text, text, record, record, text)
  to postgres, anon, authenticated, service_role;
