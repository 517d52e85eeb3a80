-- Demo data for Suoja: fictional, in real municipalities. Deterministic (fixed ids, setseed) so
-- tests and screenshots can rely on it. Runs as `postgres`, as on hosted Supabase.
--
-- Demo sign-ins (local only), password `suoja-demo`:
--   coordinator@  staff@ (Turvakoti Kaisla, Helsinki)  staff2@ (Turvakoti Paju, Oulu)
--   caseworker@ (clients 1-12)  caseworker2@ (clients 13-24)  admin@  auditor@   (@suoja.example)
-- The two public reception centres (Joutseno, Oulu) appear by name; every shelter, flat and
-- address is invented.

-- One realtime message per seeded row would be noise; the live figures start after the seed.
set suoja.skip_broadcast = 'on';
select setseed(0.2026);

-- ---------------------------------------------------------------------------------------------
-- Staff: through auth.users + auth.identities, the path real users take (the signup trigger
-- creates the staff rows).
-- ---------------------------------------------------------------------------------------------
with demo (id, email, role, display_name, lang) as (
  values
    ('a0000000-0000-4000-8000-000000000001'::uuid, 'coordinator@suoja.example', 'coordinator', 'Kaisa Koordinaattori', 'fi'),
    ('a0000000-0000-4000-8000-000000000002'::uuid, 'staff@suoja.example', 'facility_staff', 'Sanna Turvakoti', 'fi'),
    ('a0000000-0000-4000-8000-000000000003'::uuid, 'staff2@suoja.example', 'facility_staff', 'Stina Skyddshem', 'sv'),
    ('a0000000-0000-4000-8000-000000000004'::uuid, 'caseworker@suoja.example', 'caseworker', 'Aino Asiakasohjaaja', 'fi'),
    ('a0000000-0000-4000-8000-000000000005'::uuid, 'caseworker2@suoja.example', 'caseworker', 'Chris Caseworker', 'en'),
    ('a0000000-0000-4000-8000-000000000006'::uuid, 'admin@suoja.example', 'admin', 'Antti Ylläpitäjä', 'fi'),
    ('a0000000-0000-4000-8000-000000000007'::uuid, 'auditor@suoja.example', 'auditor', 'Tuula Tarkastaja', 'fi')
)
insert into auth.users (instance_id, id, aud, role, email, encrypted_password, email_confirmed_at,
                        raw_app_meta_data, raw_user_meta_data, created_at, updated_at,
                        confirmation_token, recovery_token, email_change_token_new, email_change)
select '00000000-0000-0000-0000-000000000000', d.id, 'authenticated', 'authenticated', d.email,
       extensions.crypt('suoja-demo', extensions.gen_salt('bf')), now(),
       jsonb_build_object('provider', 'email', 'providers', jsonb_build_array('email'), 'role', d.role),
       jsonb_build_object('display_name', d.display_name, 'preferred_language', d.lang),
       now(), now(), '', '', '', ''
from demo d;

insert into auth.identities (id, provider_id, user_id, identity_data, provider, last_sign_in_at, created_at, updated_at)
select u.id, u.id::text, u.id,
       jsonb_build_object('sub', u.id::text, 'email', u.email, 'email_verified', true, 'phone_verified', false),
       'email', now(), now(), now()
from auth.users u
where u.email like '%@suoja.example';

-- ---------------------------------------------------------------------------------------------
-- Facilities (ids f0000000-0000-4000-8000-0000000000NN)
-- ---------------------------------------------------------------------------------------------
create temporary table seed_facility (
  n int, name text, kind public.facility_kind, operator text, municipality text, rating smallint,
  gender public.gender_policy, children boolean, boys_max smallint, wheelchair boolean, pets boolean,
  langs text[], staffed boolean, turnaround smallint, active boolean, capacity int
);

insert into seed_facility values
  (1, 'Joutsenon vastaanottokeskus', 'reception_centre', 'Maahanmuuttovirasto', '405', 1, 'any', true, null, true, false, '{fi,en,ru,ar}', true, 0, true, 150),
  (2, 'Oulun vastaanottokeskus', 'reception_centre', 'Maahanmuuttovirasto', '564', 1, 'any', true, null, true, false, '{fi,en,ar,so}', true, 0, true, 200),
  (3, 'Turvakoti Kaisla', 'shelter', 'Kuvitteellinen Turva ry', '091', 3, 'women', true, 12, true, false, '{fi,en,ru}', true, 24, true, 12),
  (4, 'Turvakoti Tyrni', 'shelter', 'Esimerkkisäätiö', '837', 3, 'women', true, 10, false, false, '{fi,en}', true, 24, true, 10),
  (5, 'Turvakoti Kanerva', 'shelter', 'Kuvitteellinen Turva ry', '853', 4, 'women', true, null, false, false, '{fi,sv,en}', true, 48, true, 8),
  (6, 'Turvakoti Paju', 'shelter', 'Pohjoisen Demopalvelut Oy', '564', 3, 'any', true, 14, true, true, '{fi,sv,en}', true, 24, true, 16),
  (7, 'Turvakoti Vuokko', 'shelter', 'Esimerkkisäätiö', '179', 2, 'women', true, 12, false, false, '{fi,en}', true, 12, true, 8),
  (8, 'Turvakoti Kielo', 'shelter', 'Savon Demokoti ry', '297', 3, 'any', true, null, true, false, '{fi,en,ru}', true, 24, true, 8),
  (9, 'Turvakoti Leppä', 'shelter', 'Kuvitteellinen Turva ry', '398', 4, 'any', true, 12, false, false, '{fi,en}', true, 48, true, 6),
  (10, 'Turvakoti Sorsa', 'shelter', 'Karjalan Esimerkkikoti ry', '167', 2, 'women', true, 12, false, true, '{fi,ru}', true, 12, true, 6),
  (11, 'Turvakoti Kataja', 'shelter', 'Lapin Demoturva ry', '698', 3, 'any', true, null, false, false, '{fi,en,se}', true, 24, true, 6),
  (12, 'Turvakoti Tammi', 'shelter', 'Österbottens Exempelhem rf', '905', 2, 'any', true, 12, true, false, '{sv,fi,en}', true, 12, true, 8),
  (13, 'Turvakoti Haapa', 'shelter', 'Esimerkkisäätiö', '609', 3, 'women', true, 10, false, false, '{fi,en}', true, 24, true, 6),
  (14, 'Turvakoti Vaahtera', 'shelter', 'Kuvitteellinen Turva ry', '049', 4, 'women', true, null, true, false, '{fi,sv,en,ru}', true, 48, true, 6),
  (15, 'Turvakoti Lumme', 'shelter', 'Pohjanmaan Demokoti ry', '743', 2, 'women', true, 12, false, false, '{fi}', true, 12, true, 6),
  (16, 'Miesten turvakoti Kivi', 'shelter', 'Esimerkkisäätiö', '092', 3, 'men', false, null, true, false, '{fi,en,ar}', true, 24, true, 6),
  (17, 'Tuettu asuminen Aalto', 'supported_housing', 'Demo Asumispalvelut Oy', '091', 2, 'any', true, null, true, true, '{fi,en}', false, 48, true, 20),
  (18, 'Tuettu asuminen Lähde', 'supported_housing', 'Demo Asumispalvelut Oy', '837', 2, 'any', true, null, false, true, '{fi,en}', false, 48, true, 14),
  (19, 'Tuettu asuminen Silta', 'supported_housing', 'Åbo Exempelboende Ab', '853', 1, 'any', true, null, true, false, '{fi,sv}', false, 24, true, 12),
  (20, 'Tuettu asuminen Polku', 'supported_housing', 'Pohjoisen Demopalvelut Oy', '564', 2, 'any', true, null, false, true, '{fi,en}', false, 24, true, 10),
  (21, 'Tuettu asuminen Ranta', 'supported_housing', 'Kymen Esimerkkiasunnot', '285', 1, 'any', true, null, false, false, '{fi}', false, 24, true, 8),
  (22, 'Tuettu asuminen Kumpu', 'supported_housing', 'Kymen Esimerkkiasunnot', '286', 1, 'any', true, null, true, false, '{fi,ru}', false, 24, true, 8),
  (23, 'Tuettu asuminen Harju', 'supported_housing', 'Demo Asumispalvelut Oy', '109', 2, 'any', true, null, false, false, '{fi,en}', false, 24, true, 8),
  (24, 'Tuettu asuminen Niitty', 'supported_housing', 'Savon Demokoti ry', '491', 1, 'any', false, null, false, true, '{fi}', false, 24, true, 6),
  (25, 'Tuettu asuminen Saari', 'supported_housing', 'Savon Demokoti ry', '740', 2, 'any', true, null, false, false, '{fi,en}', false, 24, true, 6),
  (26, 'Tuettu asuminen Koivu', 'supported_housing', 'Karjalan Esimerkkikoti ry', '405', 1, 'any', true, null, true, false, '{fi,en,ru}', false, 24, true, 10),
  (27, 'Tuettu asuminen Kallio', 'supported_housing', 'Österbottens Exempelhem rf', '272', 1, 'any', true, null, false, false, '{fi,sv}', false, 24, true, 6),
  (28, 'Tuettu asuminen Virta', 'supported_housing', 'Kainuun Demoasunnot', '205', 2, 'any', true, null, false, true, '{fi}', false, 24, true, 6),
  (29, 'Tuettu asuminen Laakso', 'supported_housing', 'Demo Asumispalvelut Oy', '638', 2, 'any', true, null, true, false, '{fi,sv,en}', false, 24, true, 6),
  (30, 'Tuettu asuminen Kaari', 'supported_housing', 'Demo Asumispalvelut Oy', '092', 1, 'any', true, null, true, false, '{fi,en,ar,so}', false, 24, true, 12),
  (31, 'Yksityisasunto H-1', 'private_housing', 'Ihmiskaupan uhrien auttamisjärjestelmä', '091', 3, 'any', true, null, false, false, '{fi}', false, 72, true, 3),
  (32, 'Yksityisasunto E-2', 'private_housing', 'Ihmiskaupan uhrien auttamisjärjestelmä', '049', 2, 'any', true, null, true, false, '{fi}', false, 72, true, 4),
  (33, 'Yksityisasunto T-3', 'private_housing', 'Ihmiskaupan uhrien auttamisjärjestelmä', '837', 3, 'any', false, null, false, false, '{fi}', false, 72, true, 2),
  (34, 'Yksityisasunto J-4', 'private_housing', 'Ihmiskaupan uhrien auttamisjärjestelmä', '179', 2, 'any', true, null, false, true, '{fi}', false, 72, true, 3),
  (35, 'Yksityisasunto K-5', 'private_housing', 'Ihmiskaupan uhrien auttamisjärjestelmä', '297', 2, 'any', false, null, false, false, '{fi}', false, 72, true, 2),
  (36, 'Yksityisasunto R-6', 'private_housing', 'Ihmiskaupan uhrien auttamisjärjestelmä', '684', 2, 'any', true, null, false, false, '{fi}', false, 72, true, 3),
  (37, 'Yksityisasunto S-7', 'private_housing', 'Ihmiskaupan uhrien auttamisjärjestelmä', '734', 2, 'any', false, null, false, false, '{fi}', false, 72, true, 2),
  (38, 'Yksityisasunto L-8', 'private_housing', 'Ihmiskaupan uhrien auttamisjärjestelmä', '444', 3, 'any', true, null, true, false, '{fi}', false, 72, true, 3),
  (39, 'Yksityisasunto I-9', 'private_housing', 'Ihmiskaupan uhrien auttamisjärjestelmä', '140', 2, 'any', false, null, false, false, '{fi}', false, 72, true, 2),
  (40, 'Turvakoti Routa', 'shelter', 'Lapin Demoturva ry', '240', 3, 'any', true, null, false, false, '{fi,se}', true, 24, false, 6);

insert into public.facilities (id, name, kind, operator, municipality_code, security_rating, gender_policy, takes_children,
                               boys_max_age, wheelchair_access, pets_allowed, staff_languages, staffed_24h, turnaround_hours,
                               active, contact_line, created_at)
select ('f0000000-0000-4000-8000-' || lpad(s.n::text, 12, '0'))::uuid, s.name, s.kind, s.operator, s.municipality, s.rating,
       s.gender, s.children, s.boys_max, s.wheelchair, s.pets, s.langs, s.staffed, s.turnaround, s.active,
       case when s.kind = 'reception_centre' then 'Vaihde 0295 000 000 (demo)' else 'Päivystys demo-' || s.n end,
       now() - interval '800 days'
from seed_facility s order by s.n;

-- Invented addresses near the municipality centre (Joutseno is its own village in Lappeenranta).
insert into public.facility_locations (facility_id, street_address, postal_code, lon, lat)
select ('f0000000-0000-4000-8000-' || lpad(s.n::text, 12, '0'))::uuid,
       (array['Esimerkkitie', 'Harjoituskatu', 'Demokuja', 'Kuvitelmantie', 'Testipolku'])[1 + s.n % 5] || ' ' || (3 + s.n * 7 % 41),
       lpad((10000 + s.n * 1373 % 89999)::text, 5, '0'),
       case when s.n = 1 then 28.4990 else m.centre_lon + ((s.n % 7) - 3) * 0.012 end,
       case when s.n = 1 then 61.1210 else m.centre_lat + ((s.n % 5) - 2) * 0.009 end
from seed_facility s join public.municipalities m on m.code = s.municipality;

insert into public.facility_memberships (staff_id, facility_id) values
  ('a0000000-0000-4000-8000-000000000002', 'f0000000-0000-4000-8000-000000000003'),
  ('a0000000-0000-4000-8000-000000000003', 'f0000000-0000-4000-8000-000000000006');

-- Capacity history: a report every ~6 days for 60 days, then today's; five facilities stale.
insert into public.capacity_reports (facility_id, kind, capacity, out_of_service, out_of_service_reason, occupied_by_others,
                                     reported_by, reported_role, reported_at)
select ('f0000000-0000-4000-8000-' || lpad(s.n::text, 12, '0'))::uuid,
       case when k % 3 = 0 then 'confirm'::public.capacity_report_kind else 'update' end,
       s.capacity,
       case when s.n % 6 = 0 and k = 0 then 1 else 0 end,
       case when s.n % 6 = 0 and k = 0 then 'Vesivahinko, korjaus kesken' end,
       case when s.kind = 'shelter' and s.capacity >= 8 then (s.n + k) % 2 else 0 end,
       'a0000000-0000-4000-8000-000000000001', 'coordinator',
       now() - make_interval(days => k * 6)
         - case when s.n in (12, 21, 27, 36, 39) then make_interval(days => 2 + s.n % 3) else make_interval(hours => 1 + s.n % 18) end
from seed_facility s cross join generate_series(0, 10) k;

-- ---------------------------------------------------------------------------------------------
-- Clients (ids c0000000-0000-4000-8000-000000000NNN), children, caseworkers, zones
-- ---------------------------------------------------------------------------------------------
insert into public.clients (id, gender, birth_year, languages, needs_accessibility, needs_pets, needs_other, safety_level,
                            responsible_party, asylum_seeker, created_by, created_at)
select ('c0000000-0000-4000-8000-' || lpad(n::text, 12, '0'))::uuid,
       case when r1 < 0.75 then 'female'::public.client_gender when r1 < 0.95 then 'male' else 'other' end,
       1965 + floor(r2 * 41)::int,
       string_to_array((array['en', 'ru', 'ar,en', 'fi', 'so,en', 'th', 'ro,en', 'vi', 'uk,ru', 'es'])[1 + floor(r3 * 10)::int], ','),
       r4 < 0.07, r4 > 0.95, case when r5 < 0.1 then 'Tarvitsee tulkin' else '' end,
       -- client 2 is the caseworker's level-4 client (contact the coordinator)
       case when n = 2 then 4 when n = 1 then 2 when r6 < 0.35 then 1 when r6 < 0.7 then 2 when r6 < 0.92 then 3 else 4 end,
       (array['assistance_system', 'assistance_system', 'wellbeing_services_county', 'city_of_helsinki', 'reception_centre']::public.responsible_party[])[1 + floor(r7 * 5)::int],
       r8 < 0.4,
       'a0000000-0000-4000-8000-000000000001',
       now() - interval '740 days'
from (
  select n, random() r1, random() r2, random() r3, random() r4, random() r5, random() r6, random() r7, random() r8
  from generate_series(1, 150) n
) g;

-- Clients 1 and 2 are women so the women-only shelters in the fixed scenarios fit them.
update public.clients set gender = 'female' where id in ('c0000000-0000-4000-8000-000000000001', 'c0000000-0000-4000-8000-000000000002');

insert into public.client_children (id, client_id, birth_year, gender, created_at)
select ('d0000000-0000-4000-8000-' || lpad((n * 10 + k)::text, 12, '0'))::uuid,
       ('c0000000-0000-4000-8000-' || lpad(n::text, 12, '0'))::uuid,
       2009 + (n * 7 + k * 5) % 17,
       case when (n + k) % 2 = 0 then 'female'::public.client_gender else 'male' end,
       now() - interval '740 days'
from generate_series(1, 150) n
cross join generate_series(1, 2) k
where n % 4 = 3 and (k = 1 or n % 8 = 3);

insert into public.caseworker_assignments (client_id, caseworker_id)
select ('c0000000-0000-4000-8000-' || lpad(n::text, 12, '0'))::uuid,
       case when n <= 12 then 'a0000000-0000-4000-8000-000000000004'::uuid else 'a0000000-0000-4000-8000-000000000005' end
from generate_series(1, 24) n;

insert into public.exclusion_zones (id, client_id, kind, lon, lat, radius_km, municipality_code, created_by)
select ('e0000000-0000-4000-8000-' || lpad(n::text, 12, '0'))::uuid,
       ('c0000000-0000-4000-8000-' || lpad(n::text, 12, '0'))::uuid,
       case when n % 2 = 0 then 'municipality'::public.exclusion_zone_kind else 'point' end,
       case when n % 2 = 1 then m.centre_lon + 0.05 end,
       case when n % 2 = 1 then m.centre_lat - 0.03 end,
       case when n % 2 = 1 then 15 + n % 4 * 10 end,
       case when n % 2 = 0 then m.code end,
       'a0000000-0000-4000-8000-000000000001'
from generate_series(5, 150, 6) n
join public.municipalities m on m.code = (array['091', '837', '853', '564', '179', '398', '297'])[1 + n % 7];

insert into public.exclusion_zone_reasons (zone_id, reason)
select z.id, (array['Hyväksikäyttöpaikka', 'Riskihenkilön asuinalue', 'Tekijöiden toiminta-alue'])[1 + (row_number() over (order by z.id))::int % 3]
from public.exclusion_zones z;

-- ---------------------------------------------------------------------------------------------
-- Two years of placements. Each client moves through a chain of stays at facilities that fit
-- them; most chains end in an active placement today (where places are free), a few in an open
-- hold. Histories respect every fit rule; current occupancy respects capacity.
-- ---------------------------------------------------------------------------------------------
do $$
declare
  cl record;
  kids uuid[];
  needed int;
  stay_start timestamptz;
  stay_end timestamptz;
  chosen uuid;
  new_id uuid;
  coordinator constant uuid := 'a0000000-0000-4000-8000-000000000001';
  end_reasons constant text[] := array['Muutti omaan asuntoon', 'Siirto toiseen paikkaan', 'Palasi kotimaahan', 'Tuki päättyi', 'Siirto turvallisuussyistä'];
begin
  for cl in select c.*, row_number() over (order by c.id) as n from public.clients c order by c.id loop
    select coalesce(array_agg(ch.id order by ch.id), '{}') into kids from public.client_children ch where ch.client_id = cl.id;
    needed := 1 + cardinality(kids);
    stay_start := now() - make_interval(days => 730 - floor(random() * 400)::int);

    -- finished stays
    while stay_start < now() - interval '60 days' loop
      stay_end := least(stay_start + make_interval(days => 20 + floor(random() * 160)::int), now() - interval '10 days');
      select f.id into chosen from public.facilities f
       where f.active and jsonb_array_length(private.fit_refusals(cl.id, f.id, kids, stay_start::date)) = 0
       order by random() limit 1;
      exit when chosen is null;
      insert into public.placements (client_id, facility_id, status, persons, safety_level, planned_arrival, planned_end,
                                     held_by, held_at, responded_by, responded_at, arrived_at, arrival_recorded_by,
                                     ended_at, ended_by, end_reason, created_at)
      values (cl.id, chosen, 'ended', needed, cl.safety_level, stay_start::date, null,
              coordinator, stay_start - interval '1 day', coordinator, stay_start - interval '20 hours',
              stay_start, coordinator, stay_end, coordinator, end_reasons[1 + floor(random() * 5)::int], stay_start - interval '1 day')
      returning id into new_id;
      perform private.insert_persons(new_id, kids);
      stay_start := stay_end + make_interval(days => floor(random() * 12)::int);
    end loop;

    -- today: active for ~60 %, an open hold for ~8 %, otherwise no current housing
    if cl.n <= 2 or random() < 0.6 then
      select f.id into chosen from public.facilities f
       where f.active and jsonb_array_length(private.fit_refusals(cl.id, f.id, kids, current_date)) = 0
         and private.free_places_now(f.id) >= needed
         and (cl.n > 2 or f.id = case cl.n when 1 then 'f0000000-0000-4000-8000-000000000003'::uuid
                                          else 'f0000000-0000-4000-8000-000000000005'::uuid end)
       order by random() limit 1;
      if chosen is not null then
        stay_start := now() - make_interval(days => 3 + floor(random() * 50)::int);
        insert into public.placements (client_id, facility_id, status, persons, safety_level, planned_arrival, planned_end,
                                       held_by, held_at, responded_by, responded_at, arrived_at, arrival_recorded_by, created_at)
        values (cl.id, chosen, 'active', needed, cl.safety_level, stay_start::date,
                case when random() < 0.6 then (now() + make_interval(days => 1 + floor(random() * 120)::int))::date end,
                coordinator, stay_start - interval '1 day', coordinator, stay_start - interval '20 hours',
                stay_start, coordinator, stay_start - interval '1 day')
        returning id into new_id;
        perform private.insert_persons(new_id, kids);
      end if;
    elsif random() < 0.2 then
      select f.id into chosen from public.facilities f
       where f.active and jsonb_array_length(private.fit_refusals(cl.id, f.id, kids, current_date)) = 0
         and private.free_places_now(f.id) >= needed
       order by random() limit 1;
      if chosen is not null then
        insert into public.placements (client_id, facility_id, status, persons, safety_level, planned_arrival,
                                       hold_expires_at, held_by, held_at, responded_by, responded_at, created_at)
        values (cl.id, chosen, case when random() < 0.5 then 'hold'::public.placement_status else 'accepted' end, needed,
                cl.safety_level, current_date + 1, now() + make_interval(hours => 6 + floor(random() * 30)::int),
                coordinator, now() - interval '2 hours', null, null, now() - interval '2 hours')
        returning id into new_id;
        update public.placements set responded_by = coordinator, responded_at = now() - interval '1 hour'
         where id = new_id and status = 'accepted';
        perform private.insert_persons(new_id, kids);
      end if;
    end if;
  end loop;
end;
$$;

-- A hold waiting for each demo facility's answer, so the staff screens have something to do:
-- the first client without housing who fits, for Kaisla (staff@) and Paju (staff2@).
do $$
declare
  target_facility uuid;
  chosen record;
  new_id uuid;
begin
  foreach target_facility in array array['f0000000-0000-4000-8000-000000000003', 'f0000000-0000-4000-8000-000000000006']::uuid[] loop
    select c.id, c.safety_level into chosen
    from public.clients c
    where c.id::text > 'c0000000-0000-4000-8000-000000000024'
      and not exists (select 1 from public.placements p where p.client_id = c.id and p.status in ('active', 'hold', 'accepted'))
      and not exists (select 1 from public.client_children ch where ch.client_id = c.id)
      and jsonb_array_length(private.fit_refusals(c.id, target_facility, '{}', current_date)) = 0
    order by c.id
    limit 1;
    continue when chosen.id is null or private.free_places_now(target_facility) < 1;
    insert into public.placements (client_id, facility_id, status, persons, safety_level, planned_arrival, hold_expires_at,
                                   held_by, held_at)
    values (chosen.id, target_facility, 'hold', 1, chosen.safety_level, current_date + 1, now() + interval '20 hours',
            'a0000000-0000-4000-8000-000000000001', now() - interval '30 minutes')
    returning id into new_id;
    perform private.insert_persons(new_id, '{}');
  end loop;
end;
$$;

insert into public.client_unsuitable_facilities (client_id, facility_id, reason, marked_by, marked_at)
select p.client_id, p.facility_id, 'Sijainti paljastunut', 'a0000000-0000-4000-8000-000000000001', p.ended_at
from public.placements p
where p.status = 'ended' and p.end_reason = 'Siirto turvallisuussyistä'
order by p.id
limit 5;

insert into public.unmet_needs (needed_on, persons, safety_level, municipality_code, reason, recorded_by, recorded_at)
select (now() - make_interval(days => n * 23))::date, 1 + n % 3, 1 + n % 4,
       (array['091', '837', '853', '564', '179'])[1 + n % 5],
       (array['Ei vapaita paikkoja', 'Ei riittävää turvallisuustasoa', 'Ei perhepaikkoja'])[1 + n % 3],
       'a0000000-0000-4000-8000-000000000001', now() - make_interval(days => n * 23)
from generate_series(1, 18) n;

drop table seed_facility;
reset suoja.skip_broadcast;
