-- The benchmark's national-plus dataset, generated inside Postgres with generate_series (one
-- statement per table, no row-by-row round trips). Runs after supabase/seed.sql in the same
-- transaction, as `postgres`, and tops the seed's rows up to the target totals:
--
--   at scale s: 5,000 s facilities, 100,000 s clients, 500,000 s placements (20,000 s active,
--   2,000 s open holds), 50,000 s capacity reports.
--
-- The runner puts `select set_config('bench.scale', '<s>', false);` in front of this file.
-- Deterministic: every "random" choice is a hash of the row number and a salt (hashint8), never
-- random(), so every run at a scale loads identical rows and results stay comparable.
--
-- Bulk rows are inserted with session_replication_role = replica (we are a superuser on the
-- bench's own throwaway stack): ordinary triggers do not fire, so the load writes no audit rows,
-- no realtime broadcasts and runs no per-row foreign-key checks. Hosted Supabase's `postgres`
-- role could not do this; it is a load-time shortcut only. Every row below is consistent by
-- construction (ids are derived from the same numbers that reference them), and check
-- constraints and unique indexes still apply. Later writes (the benchmarks' own holds and
-- capacity updates) run with every trigger on, as in production.

set session_replication_role = replica;
-- Hash-based choices are deterministic anyway; a serial plan keeps the load predictable on 2 cores.
set max_parallel_workers_per_gather = 0;

create schema bench_gen;

-- A uniform number in [0, 1) from a row number and a salt.
create function bench_gen.r(n bigint, salt integer)
returns double precision
language sql
immutable
as $$
  select (hashint8(n * 7919 + salt) & 2147483647)::double precision / 2147483648.0;
$$;

-- Children that come with generated client j: 6 % two, 14 % one.
create function bench_gen.kids(j bigint)
returns integer
language sql
immutable
as $$
  select case when bench_gen.r(j, 20) < 0.06 then 2 when bench_gen.r(j, 20) < 0.20 then 1 else 0 end;
$$;

-- Six characters of the client-code alphabet from j: j * 7919 mod 31^6 is a bijection (7919 is
-- prime and not 31), so codes never repeat; the seed's codes have four characters, so these
-- never meet them either.
create function bench_gen.code(j bigint)
returns text
language sql
immutable
as $$
  select 'AS-' || string_agg(substr('23456789ABCDEFGHJKMNPQRSTUVWXYZ', 1 + ((j * 7919 % 887503681) / (31::bigint ^ k)::bigint % 31)::integer, 1), '' order by k desc)
  from generate_series(0, 5) k;
$$;

create table bench_gen.target as
select
  s,
  5000 * s - (select count(*) from public.facilities) as facilities,
  -- minus one: the search benchmark's client is added at the end
  100000 * s - (select count(*) from public.clients) - 1 as clients,
  500000 * s - (select count(*) from public.placements) as placements,
  20000 * s - (select count(*) from public.placements where status = 'active') as active,
  2000 * s - (select count(*) from public.placements where status in ('hold', 'accepted')) as holds,
  50000 * s - (select count(*) from public.capacity_reports) as reports
from (select current_setting('bench.scale')::integer as s) scale;

create table bench_gen.muni as
select row_number() over (order by code) as rn, code, centre_lon, centre_lat from public.municipalities;

-- ---------------------------------------------------------------------------------------------
-- Facilities: 2 % reception centres, 30 % shelters, 38 % supported housing, 30 % private homes.
-- ---------------------------------------------------------------------------------------------
create table bench_gen.fac as
select
  g.idx,
  md5('bench-facility-' || g.idx)::uuid as id,
  k.kind,
  m.code as municipality_code,
  m.centre_lon,
  m.centre_lat,
  case k.kind
    when 'reception_centre' then 100 + floor(bench_gen.r(g.idx, 2) * 150)::integer
    when 'shelter' then 6 + floor(bench_gen.r(g.idx, 2) * 11)::integer
    when 'supported_housing' then 6 + floor(bench_gen.r(g.idx, 2) * 15)::integer
    else 2 + floor(bench_gen.r(g.idx, 2) * 3)::integer
  end as capacity
from generate_series(1, (select facilities from bench_gen.target)) g(idx)
cross join lateral (
  select case
    when bench_gen.r(g.idx, 1) < 0.02 then 'reception_centre'::public.facility_kind
    when bench_gen.r(g.idx, 1) < 0.32 then 'shelter'
    when bench_gen.r(g.idx, 1) < 0.70 then 'supported_housing'
    else 'private_housing'
  end as kind
) k
join bench_gen.muni m on m.rn = 1 + floor(bench_gen.r(g.idx, 3) * (select count(*) from bench_gen.muni))::integer;

insert into public.facilities (id, name, kind, operator, municipality_code, security_rating, gender_policy, takes_children,
                               boys_max_age, wheelchair_access, pets_allowed, staff_languages, staffed_24h, turnaround_hours,
                               active, contact_line, created_at, updated_at)
select
  f.id,
  case f.kind
    when 'reception_centre' then 'Vastaanottokeskus '
    when 'shelter' then 'Turvakoti '
    when 'supported_housing' then 'Tuettu asuminen '
    else 'Yksityisasunto '
  end || (array['Aalto', 'Harju', 'Kallio', 'Lähde', 'Niitty', 'Polku', 'Ranta', 'Saari', 'Silta', 'Virta'])[1 + f.idx % 10]
    || ' B-' || f.idx,
  f.kind,
  (array['Demo Asumispalvelut Oy', 'Kuvitteellinen Turva ry', 'Esimerkkisäätiö', 'Ihmiskaupan uhrien auttamisjärjestelmä'])[1 + f.idx % 4],
  f.municipality_code,
  case f.kind
    when 'reception_centre' then 1
    when 'shelter' then 2 + floor(bench_gen.r(f.idx, 4) * 3)::integer
    when 'supported_housing' then 1 + floor(bench_gen.r(f.idx, 4) * 2)::integer
    else 2 + floor(bench_gen.r(f.idx, 4) * 2)::integer
  end::smallint,
  case when f.kind = 'shelter' and bench_gen.r(f.idx, 5) < 0.6 then 'women'::public.gender_policy
       when f.kind = 'shelter' and bench_gen.r(f.idx, 5) < 0.7 then 'men'
       else 'any' end,
  f.kind = 'reception_centre' or (bench_gen.r(f.idx, 6) < 0.75 and not (f.kind = 'shelter' and bench_gen.r(f.idx, 5) between 0.6 and 0.7)),
  case when f.kind = 'shelter' and bench_gen.r(f.idx, 7) < 0.5 then 12 end,
  bench_gen.r(f.idx, 8) < 0.3,
  bench_gen.r(f.idx, 9) < 0.15,
  (array['{fi}', '{fi,en}', '{fi,sv,en}', '{fi,en,ru}', '{fi,en,ar}', '{sv,fi}'])[1 + floor(bench_gen.r(f.idx, 10) * 6)::integer]::text[],
  f.kind in ('reception_centre', 'shelter'),
  case f.kind when 'reception_centre' then 0 when 'private_housing' then 72 else 24 end,
  bench_gen.r(f.idx, 11) >= 0.03,
  'Päivystys demo-B' || f.idx,
  now() - interval '900 days',
  now() - interval '900 days'
from bench_gen.fac f;

insert into public.facility_locations (facility_id, street_address, postal_code, lon, lat, updated_at)
select f.id,
       'Esimerkkitie ' || (1 + f.idx % 97),
       lpad((10000 + f.idx * 37 % 89999)::text, 5, '0'),
       f.centre_lon + (bench_gen.r(f.idx, 12) - 0.5) * 0.1,
       f.centre_lat + (bench_gen.r(f.idx, 13) - 0.5) * 0.05,
       now() - interval '900 days'
from bench_gen.fac f;

-- Ten reports per facility, one every ~6 days; the latest is fresh for 92 % and stale (older than
-- 24 h) for the rest. Trimmed from the oldest end to hit the exact total.
insert into public.capacity_reports (facility_id, kind, capacity, out_of_service, out_of_service_reason, occupied_by_others,
                                     reported_by, reported_role, reported_at)
select f.id,
       case when k % 3 = 0 then 'confirm'::public.capacity_report_kind else 'update' end,
       f.capacity,
       case when bench_gen.r(f.idx, 14) < 0.1 then 1 else 0 end,
       case when bench_gen.r(f.idx, 14) < 0.1 then 'Remontti' end,
       case when f.kind = 'shelter' then floor(bench_gen.r(f.idx, 15) * 3)::integer else 0 end,
       'a0000000-0000-4000-8000-000000000001', 'facility_staff',
       case when k = 0 and bench_gen.r(f.idx, 16) < 0.92 then now() - make_interval(mins => floor(bench_gen.r(f.idx, 17) * 1200)::integer)
            when k = 0 then now() - make_interval(hours => 26 + floor(bench_gen.r(f.idx, 17) * 48)::integer)
            else now() - make_interval(days => k * 6, hours => floor(bench_gen.r(f.idx * 10 + k, 18) * 24)::integer)
       end
from bench_gen.fac f
cross join generate_series(0, 9) k
where k * (select facilities from bench_gen.target) + f.idx <= (select reports from bench_gen.target);

-- ---------------------------------------------------------------------------------------------
-- Clients, their children and exclusion zones
-- ---------------------------------------------------------------------------------------------
insert into public.clients (id, code, gender, birth_year, languages, needs_accessibility, needs_pets, needs_other, safety_level,
                            responsible_party, asylum_seeker, created_by, created_at, updated_at)
select md5('bench-client-' || j)::uuid,
       bench_gen.code(j),
       case when bench_gen.r(j, 21) < 0.75 then 'female'::public.client_gender when bench_gen.r(j, 21) < 0.95 then 'male' else 'other' end,
       (1960 + floor(bench_gen.r(j, 22) * 46))::smallint,
       (array['{en}', '{ru}', '{ar,en}', '{fi}', '{so,en}', '{th}', '{ro,en}', '{vi}', '{uk,ru}', '{es}'])[1 + floor(bench_gen.r(j, 23) * 10)::integer]::text[],
       bench_gen.r(j, 24) < 0.07,
       bench_gen.r(j, 24) > 0.95,
       '',
       (case when bench_gen.r(j, 25) < 0.35 then 1 when bench_gen.r(j, 25) < 0.7 then 2 when bench_gen.r(j, 25) < 0.92 then 3 else 4 end)::smallint,
       (array['assistance_system', 'assistance_system', 'wellbeing_services_county', 'city_of_helsinki', 'reception_centre']::public.responsible_party[])[1 + floor(bench_gen.r(j, 26) * 5)::integer],
       bench_gen.r(j, 27) < 0.4,
       'a0000000-0000-4000-8000-000000000001',
       now() - make_interval(days => 30 + floor(bench_gen.r(j, 28) * 1500)::integer),
       now() - make_interval(days => 30)
from generate_series(1, (select clients from bench_gen.target)) j;

insert into public.client_children (id, client_id, birth_year, gender, created_at)
select md5('bench-child-' || j || '-' || c)::uuid,
       md5('bench-client-' || j)::uuid,
       (2008 + floor(bench_gen.r(j * 2 + c, 29) * 17))::smallint,
       case when bench_gen.r(j * 2 + c, 30) < 0.5 then 'female'::public.client_gender else 'male' end,
       now() - interval '30 days'
from generate_series(1, (select clients from bench_gen.target)) j
cross join generate_series(1, 2) c
where c <= bench_gen.kids(j);

insert into public.exclusion_zones (id, client_id, kind, lon, lat, radius_km, municipality_code, created_by, created_at)
select md5('bench-zone-' || j)::uuid,
       md5('bench-client-' || j)::uuid,
       case when bench_gen.r(j, 31) < 0.5 then 'point'::public.exclusion_zone_kind else 'municipality' end,
       case when bench_gen.r(j, 31) < 0.5 then m.centre_lon end,
       case when bench_gen.r(j, 31) < 0.5 then m.centre_lat end,
       case when bench_gen.r(j, 31) < 0.5 then 5 + floor(bench_gen.r(j, 32) * 45) end,
       case when bench_gen.r(j, 31) >= 0.5 then m.code end,
       'a0000000-0000-4000-8000-000000000001',
       now() - interval '30 days'
from generate_series(1, (select clients from bench_gen.target)) j
join bench_gen.muni m on m.rn = 1 + floor(bench_gen.r(j, 33) * (select count(*) from bench_gen.muni))::integer
where bench_gen.r(j, 34) < 0.15;

-- The seed's zones all have a reason already; every zone without one is ours.
insert into public.exclusion_zone_reasons (zone_id, reason)
select z.id, 'Riskihenkilön asuinalue'
from public.exclusion_zones z
where not exists (select 1 from public.exclusion_zone_reasons r where r.zone_id = z.id);

-- ---------------------------------------------------------------------------------------------
-- Placements. Current ones (active, then open holds) go to shuffled free beds, one bed per
-- placement, so facilities fill up unevenly but rarely beyond capacity (a household brings its
-- children along, which now and then over-occupies a small place, as happens in real life).
-- Clients 1..active are living somewhere; the next `holds` clients wait on a hold; past
-- placements are spread over every client and facility across three years.
-- ---------------------------------------------------------------------------------------------
create table bench_gen.bed as
select row_number() over (order by bench_gen.r(f.idx * 300 + b, 35), f.idx, b) as bed, f.idx
from bench_gen.fac f
cross join lateral generate_series(1, f.capacity) b;
create index on bench_gen.bed (bed);

create table bench_gen.plan as
select
  k,
  case when k <= t.active then 'active'::public.placement_status
       when k <= t.active + t.holds then (case when bench_gen.r(k, 36) < 0.7 then 'hold' else 'accepted' end)::public.placement_status
       when bench_gen.r(k, 36) < 0.85 then 'ended'
       when bench_gen.r(k, 36) < 0.90 then 'cancelled'
       when bench_gen.r(k, 36) < 0.95 then 'declined'
       else 'expired'
  end as status,
  case when k <= t.active + t.holds then k else 1 + (k * 104729) % t.clients end as client_j,
  case when k <= t.active + t.holds then (select b.idx from bench_gen.bed b where b.bed = 1 + (k - 1) % (select count(*) from bench_gen.bed))
       else 1 + floor(bench_gen.r(k, 37) * t.facilities)::bigint end as facility_idx,
  -- when a past stay began; ended ones last 10-200 days
  now() - make_interval(days => 10 + floor(bench_gen.r(k, 38) * 1100)::integer) as started
from bench_gen.target t
cross join generate_series(1, t.placements) k;

insert into public.placements (id, client_id, facility_id, status, persons, safety_level, planned_arrival, planned_end,
                               hold_expires_at, held_by, held_at, responded_by, responded_at, decline_reason,
                               arrived_at, arrival_recorded_by, ended_at, ended_by, end_reason,
                               cancelled_at, cancelled_by, cancel_reason, expired_at, created_at, updated_at)
select
  md5('bench-placement-' || p.k)::uuid,
  md5('bench-client-' || p.client_j)::uuid,
  md5('bench-facility-' || p.facility_idx)::uuid,
  p.status,
  (1 + bench_gen.kids(p.client_j))::smallint,
  (1 + floor(bench_gen.r(p.k, 39) * 3))::smallint,
  case when p.status in ('hold', 'accepted') then current_date + floor(bench_gen.r(p.k, 40) * 7)::integer
       when p.status = 'active' then (now() - make_interval(days => floor(bench_gen.r(p.k, 41) * 300)::integer))::date
       else p.started::date end,
  case when p.status = 'active' and bench_gen.r(p.k, 42) < 0.4 then current_date + 1 + floor(bench_gen.r(p.k, 43) * 180)::integer end,
  case when p.status in ('hold', 'accepted') then now() + make_interval(hours => 1 + floor(bench_gen.r(p.k, 44) * 72)::integer)
       when p.status in ('declined', 'expired', 'cancelled') then p.started - interval '1 day' + interval '24 hours' end,
  'a0000000-0000-4000-8000-000000000001',
  case when p.status in ('hold', 'accepted') then now() - interval '2 hours' else p.started - interval '1 day' end,
  case when p.status in ('accepted', 'declined', 'active', 'ended') then 'a0000000-0000-4000-8000-000000000001'::uuid end,
  case when p.status in ('accepted') then now() - interval '1 hour'
       when p.status in ('declined', 'active', 'ended') then p.started - interval '20 hours' end,
  case when p.status = 'declined' then 'Ei sopivaa paikkaa' end,
  case when p.status = 'active' then now() - make_interval(days => floor(bench_gen.r(p.k, 41) * 300)::integer)
       when p.status = 'ended' then p.started end,
  case when p.status in ('active', 'ended') then 'a0000000-0000-4000-8000-000000000001'::uuid end,
  -- ended stays finished before now; a few within the last days, still in turnaround
  case when p.status = 'ended' then least(p.started + make_interval(days => 10 + floor(bench_gen.r(p.k, 45) * 190)::integer),
                                          now() - make_interval(hours => 1 + floor(bench_gen.r(p.k, 46) * 70)::integer)) end,
  case when p.status = 'ended' then 'a0000000-0000-4000-8000-000000000001'::uuid end,
  case when p.status = 'ended' then 'Muutti omaan asuntoon' end,
  case when p.status = 'cancelled' then p.started end,
  case when p.status = 'cancelled' then 'a0000000-0000-4000-8000-000000000001'::uuid end,
  case when p.status = 'cancelled' then 'Suunnitelma muuttui' end,
  case when p.status = 'expired' then p.started + interval '1 day' end,
  case when p.status in ('hold', 'accepted') then now() - interval '2 hours' else p.started - interval '1 day' end,
  now() - interval '1 hour'
from bench_gen.plan p;

insert into public.placement_persons (id, placement_id, child_id)
select md5('bench-person-' || p.k || '-' || c)::uuid,
       md5('bench-placement-' || p.k)::uuid,
       case when c > 0 then md5('bench-child-' || p.client_j || '-' || c)::uuid end
from bench_gen.plan p
cross join lateral generate_series(0, bench_gen.kids(p.client_j)) c;

-- ---------------------------------------------------------------------------------------------
-- The client the safe-place search benchmark searches for: a woman at safety level 2 with a
-- daughter and an 8-year-old son, speaking Finnish and English, kept away from a 40 km circle
-- around central Helsinki and from the whole of Tampere.
-- ---------------------------------------------------------------------------------------------
insert into public.clients (id, code, gender, birth_year, languages, safety_level, created_by)
values ('b0000000-0000-4000-8000-000000000001', 'AS-BENCH', 'female', 1990, '{fi,en}', 2, 'a0000000-0000-4000-8000-000000000001');
insert into public.client_children (id, client_id, birth_year, gender) values
  ('b0000000-0000-4000-8000-000000000002', 'b0000000-0000-4000-8000-000000000001', extract(year from now())::smallint - 5, 'female'),
  ('b0000000-0000-4000-8000-000000000003', 'b0000000-0000-4000-8000-000000000001', extract(year from now())::smallint - 8, 'male');
insert into public.exclusion_zones (id, client_id, kind, lon, lat, radius_km, municipality_code, created_by) values
  ('b0000000-0000-4000-8000-000000000004', 'b0000000-0000-4000-8000-000000000001', 'point', 24.9384, 60.1699, 40, null, 'a0000000-0000-4000-8000-000000000001'),
  ('b0000000-0000-4000-8000-000000000005', 'b0000000-0000-4000-8000-000000000001', 'municipality', null, null, null, '837', 'a0000000-0000-4000-8000-000000000001');
insert into public.exclusion_zone_reasons (zone_id, reason) values
  ('b0000000-0000-4000-8000-000000000004', 'Hyväksikäyttöpaikka'),
  ('b0000000-0000-4000-8000-000000000005', 'Riskihenkilön asuinalue');

-- The load bypassed the triggers that keep private.facility_base_figures (the figures that change
-- only on writes) up to date; count them once from the loaded rows.
select private.rebuild_facility_base_figures();

drop schema bench_gen cascade;
reset max_parallel_workers_per_gather;
reset session_replication_role;
