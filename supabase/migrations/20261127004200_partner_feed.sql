-- The capacity feed for partners: per-partner keys (stored as SHA-256 hashes; the key itself is
-- shown once, when issued), a rate limit per key, and a log of every request.
--
-- The feed gives free places, usable capacity and the time of the last confirmation per active
-- facility, with the municipality centre as its only position: no client data, no exact places.
-- The app's endpoint (/api/feed/capacity) calls partner_capacity_feed() with the secret key;
-- no signed-in role may call it.

create table public.partner_keys (
  id uuid primary key default gen_random_uuid(),
  partner_name text not null check (length(btrim(partner_name)) between 1 and 200),
  -- the first characters of the key, so an admin can tell keys apart without the key itself
  key_prefix text not null,
  -- sha256 of the whole key, hex: keys are 256 random bits, so a fast hash is enough
  key_hash text not null unique check (key_hash ~ '^[0-9a-f]{64}$'),
  requests_per_minute integer not null default 60 check (requests_per_minute between 1 and 6000),
  created_by uuid references public.staff (id) on delete set null,
  created_at timestamptz not null default now(),
  revoked_at timestamptz,
  revoked_by uuid references public.staff (id) on delete set null
  -- last use is read from partner_feed_requests: a column here would put every request in the
  -- audit trail
);

create table public.partner_feed_requests (
  id bigint generated always as identity primary key,
  -- null when the key presented matched no key at all
  partner_key_id uuid references public.partner_keys (id) on delete cascade,
  requested_at timestamptz not null default now(),
  outcome text not null check (outcome in ('ok', 'rate_limited', 'revoked', 'unknown_key')),
  facilities integer
);

create index partner_feed_requests_key_time_idx on public.partner_feed_requests (partner_key_id, requested_at desc);
create index partner_feed_requests_time_idx on public.partner_feed_requests (requested_at);

alter table public.partner_keys enable row level security;
alter table public.partner_feed_requests enable row level security;

-- Admins list keys and requests; every write goes through the functions below. The hash is
-- not readable through the API at all.
grant select (id, partner_name, key_prefix, requests_per_minute, created_by, created_at, revoked_at, revoked_by)
  on public.partner_keys to authenticated;
grant select on public.partner_feed_requests to authenticated;
grant select, insert, update, delete on public.partner_keys, public.partner_feed_requests to service_role;

create policy partner_keys_select_admin on public.partner_keys
  for select to authenticated
  using ((select private.current_app_role()) = 'admin');

create policy partner_feed_requests_select_admin on public.partner_feed_requests
  for select to authenticated
  using ((select private.current_app_role()) = 'admin');

create trigger audit_partner_keys after insert or update or delete on public.partner_keys
for each row execute function private.audit_row_change();

-- ---------------------------------------------------------------------------------------------
-- Issue and revoke (admins)
-- ---------------------------------------------------------------------------------------------

-- Returns the key once; only its hash is kept.
create function public.issue_partner_key(partner_name text, requests_per_minute integer default 60)
returns table (id uuid, api_key text)
language plpgsql
volatile
security definer
set search_path = ''
as $$
declare
  new_key text := 'suoja_feed_' || encode(extensions.gen_random_bytes(32), 'hex');
  name_text text := btrim(coalesce(partner_name, ''));
  created uuid;
begin
  if private.current_app_role() is distinct from 'admin' then
    perform private.raise_error('not_allowed');
  end if;
  if length(name_text) = 0 or length(name_text) > 200 then
    perform private.raise_error('invalid_partner_name', jsonb_build_object('max', 200));
  end if;
  if requests_per_minute is null or requests_per_minute < 1 or requests_per_minute > 6000 then
    perform private.raise_error('invalid_rate_limit', jsonb_build_object('min', 1, 'max', 6000));
  end if;
  insert into public.partner_keys (partner_name, key_prefix, key_hash, requests_per_minute, created_by)
  values (name_text, left(new_key, 15), encode(sha256(convert_to(new_key, 'UTF8')), 'hex'),
          issue_partner_key.requests_per_minute, (select auth.uid()))
  returning partner_keys.id into created;
  return query select created, new_key;
end;
$$;
revoke all on function public.issue_partner_key(text, integer) from public, anon;
grant execute on function public.issue_partner_key(text, integer) to authenticated;

create function public.revoke_partner_key(key_id uuid)
returns void
language plpgsql
security definer
set search_path = ''
as $$
begin
  if private.current_app_role() is distinct from 'admin' then
    perform private.raise_error('not_allowed');
  end if;
  update public.partner_keys k
     set revoked_at = now(), revoked_by = (select auth.uid())
   where k.id = key_id and k.revoked_at is null;
  if not found then
    perform private.raise_error('partner_key_not_found');
  end if;
end;
$$;
revoke all on function public.revoke_partner_key(uuid) from public, anon;
grant execute on function public.revoke_partner_key(uuid) to authenticated;

-- ---------------------------------------------------------------------------------------------
-- The feed
-- ---------------------------------------------------------------------------------------------

-- {"status": "ok", "generated_at", "services": [...]}, or {"status": "unknown_key" | "revoked"},
-- or {"status": "rate_limited", "retry_after": seconds}. Returned, not raised, so that the
-- request log survives a refusal. A key's row is locked while its requests are counted, so
-- concurrent requests cannot slip past the limit together.
create function public.partner_capacity_feed(api_key text)
returns jsonb
language plpgsql
volatile
security definer
set search_path = ''
as $$
declare
  presented_hash text := encode(sha256(convert_to(coalesce(api_key, ''), 'UTF8')), 'hex');
  partner public.partner_keys;
  recent integer;
  window_opened timestamptz;
  services jsonb;
  service_count integer;
begin
  select * into partner from public.partner_keys k where k.key_hash = presented_hash for update;
  if partner.id is null then
    insert into public.partner_feed_requests (partner_key_id, outcome) values (null, 'unknown_key');
    return jsonb_build_object('status', 'unknown_key');
  end if;
  if partner.revoked_at is not null then
    insert into public.partner_feed_requests (partner_key_id, outcome) values (partner.id, 'revoked');
    return jsonb_build_object('status', 'revoked');
  end if;

  -- clock_timestamp(): now() is the transaction's start, which a queued request may have
  -- waited behind for a while
  select count(*), min(r.requested_at) into recent, window_opened
  from public.partner_feed_requests r
  where r.partner_key_id = partner.id and r.outcome = 'ok' and r.requested_at > clock_timestamp() - interval '1 minute';
  if recent >= partner.requests_per_minute then
    insert into public.partner_feed_requests (partner_key_id, requested_at, outcome) values (partner.id, clock_timestamp(), 'rate_limited');
    return jsonb_build_object('status', 'rate_limited',
      'retry_after', greatest(1, ceil(extract(epoch from window_opened + interval '1 minute' - clock_timestamp())))::integer);
  end if;

  select coalesce(jsonb_agg(jsonb_build_object(
           'id', f.id,
           'name', f.name,
           'kind', f.kind,
           'location', jsonb_build_object(
             'municipality_code', mu.code,
             'municipality_name_fi', mu.name_fi,
             'municipality_name_sv', mu.name_sv,
             'region_code', mu.region_code,
             'latitude', mu.centre_lat,
             'longitude', mu.centre_lon,
             'precision', 'municipality'),
           'service_capacity', jsonb_build_array(jsonb_build_object(
             'id', f.id::text || ':places',
             'service_id', f.id,
             'unit', jsonb_build_object('id', 'place', 'name', 'place', 'scheme', 'suoja', 'identifier', 'place'),
             'available', greatest(fig.free_raw, 0),
             'maximum', greatest(coalesce(fig.capacity, 0) - coalesce(fig.out_of_service, 0), 0),
             'description', 'Free places for one person each (a bed); maximum excludes places out of service.',
             'updated', fig.last_confirmed_at,
             'stale', fig.last_confirmed_at is null or fig.last_confirmed_at < now() - interval '24 hours'))
         ) order by f.name, f.id), '[]'::jsonb),
         count(*)
    into services, service_count
  from private.facility_figures(null, null) fig
  join public.facilities f on f.id = fig.facility_id
  join public.municipalities mu on mu.code = f.municipality_code
  where f.active;

  insert into public.partner_feed_requests (partner_key_id, requested_at, outcome, facilities)
  values (partner.id, clock_timestamp(), 'ok', service_count);

  return jsonb_build_object('status', 'ok', 'generated_at', clock_timestamp(), 'services', services);
end;
$$;
revoke all on function public.partner_capacity_feed(text) from public, anon, authenticated;
grant execute on function public.partner_capacity_feed(text) to service_role;
