-- Regions (maakunnat) and municipalities: reference data for approximate positions, exclusion
-- zones by municipality, and statistics by region.
--
-- Shipped as data because these machines have no network. Codes and names follow Statistics
-- Finland's classification. This first cut covers every regional centre and the municipalities
-- the demo data uses (about 65 of 308); the rest are to be added with verified centre points
-- (see the report). centre_lon/centre_lat are approximate town-centre points (WGS84); they are
-- the only position anyone without a logged reveal ever sees for a facility.

create table public.regions (
  code text primary key check (code ~ '^[0-9]{2}$'),
  name_fi text not null,
  name_sv text not null
);

create table public.municipalities (
  code text primary key check (code ~ '^[0-9]{3}$'),
  name_fi text not null,
  name_sv text not null,
  region_code text not null references public.regions (code),
  centre_lon double precision not null check (centre_lon between 19 and 32),
  centre_lat double precision not null check (centre_lat between 59.5 and 70.2)
);

create index municipalities_region_idx on public.municipalities (region_code);

insert into public.regions (code, name_fi, name_sv) values
  ('01', 'Uusimaa', 'Nyland'),
  ('02', 'Varsinais-Suomi', 'Egentliga Finland'),
  ('04', 'Satakunta', 'Satakunta'),
  ('05', 'Kanta-Häme', 'Egentliga Tavastland'),
  ('06', 'Pirkanmaa', 'Birkaland'),
  ('07', 'Päijät-Häme', 'Päijänne-Tavastland'),
  ('08', 'Kymenlaakso', 'Kymmenedalen'),
  ('09', 'Etelä-Karjala', 'Södra Karelen'),
  ('10', 'Etelä-Savo', 'Södra Savolax'),
  ('11', 'Pohjois-Savo', 'Norra Savolax'),
  ('12', 'Pohjois-Karjala', 'Norra Karelen'),
  ('13', 'Keski-Suomi', 'Mellersta Finland'),
  ('14', 'Etelä-Pohjanmaa', 'Södra Österbotten'),
  ('15', 'Pohjanmaa', 'Österbotten'),
  ('16', 'Keski-Pohjanmaa', 'Mellersta Österbotten'),
  ('17', 'Pohjois-Pohjanmaa', 'Norra Österbotten'),
  ('18', 'Kainuu', 'Kajanaland'),
  ('19', 'Lappi', 'Lappland'),
  ('21', 'Ahvenanmaa', 'Åland');

insert into public.municipalities (code, name_fi, name_sv, region_code, centre_lon, centre_lat) values
  -- Uusimaa
  ('091', 'Helsinki', 'Helsingfors', '01', 24.9384, 60.1699),
  ('049', 'Espoo', 'Esbo', '01', 24.6559, 60.2055),
  ('092', 'Vantaa', 'Vanda', '01', 25.0378, 60.2934),
  ('235', 'Kauniainen', 'Grankulla', '01', 24.7290, 60.2110),
  ('245', 'Kerava', 'Kervo', '01', 25.1036, 60.4035),
  ('186', 'Järvenpää', 'Träskända', '01', 25.0899, 60.4737),
  ('858', 'Tuusula', 'Tusby', '01', 25.0290, 60.4030),
  ('543', 'Nurmijärvi', 'Nurmijärvi', '01', 24.8070, 60.4640),
  ('106', 'Hyvinkää', 'Hyvinge', '01', 24.8600, 60.6305),
  ('753', 'Sipoo', 'Sibbo', '01', 25.2670, 60.3770),
  ('638', 'Porvoo', 'Borgå', '01', 25.6650, 60.3932),
  ('257', 'Kirkkonummi', 'Kyrkslätt', '01', 24.4385, 60.1234),
  ('927', 'Vihti', 'Vichtis', '01', 24.3200, 60.4170),
  ('444', 'Lohja', 'Lojo', '01', 24.0650, 60.2486),
  -- Varsinais-Suomi
  ('853', 'Turku', 'Åbo', '02', 22.2666, 60.4518),
  ('202', 'Kaarina', 'S:t Karins', '02', 22.3700, 60.4070),
  ('680', 'Raisio', 'Reso', '02', 22.1711, 60.4861),
  ('529', 'Naantali', 'Nådendal', '02', 22.0262, 60.4675),
  ('895', 'Uusikaupunki', 'Nystad', '02', 21.4085, 60.7999),
  ('734', 'Salo', 'Salo', '02', 23.1289, 60.3845),
  -- Satakunta
  ('609', 'Pori', 'Björneborg', '04', 21.7974, 61.4851),
  ('684', 'Rauma', 'Raumo', '04', 21.5119, 61.1272),
  -- Kanta-Häme
  ('109', 'Hämeenlinna', 'Tavastehus', '05', 24.4643, 60.9959),
  ('694', 'Riihimäki', 'Riihimäki', '05', 24.7729, 60.7393),
  ('061', 'Forssa', 'Forssa', '05', 23.6211, 60.8142),
  -- Pirkanmaa
  ('837', 'Tampere', 'Tammerfors', '06', 23.7610, 61.4978),
  ('536', 'Nokia', 'Nokia', '06', 23.5064, 61.4781),
  ('211', 'Kangasala', 'Kangasala', '06', 24.0700, 61.4640),
  ('980', 'Ylöjärvi', 'Ylöjärvi', '06', 23.6000, 61.5500),
  ('604', 'Pirkkala', 'Birkala', '06', 23.6470, 61.4650),
  ('418', 'Lempäälä', 'Lempäälä', '06', 23.7530, 61.3140),
  ('908', 'Valkeakoski', 'Valkeakoski', '06', 24.0310, 61.2640),
  -- Päijät-Häme
  ('398', 'Lahti', 'Lahtis', '07', 25.6612, 60.9827),
  ('111', 'Heinola', 'Heinola', '07', 26.0366, 61.2028),
  -- Kymenlaakso
  ('286', 'Kouvola', 'Kouvola', '08', 26.7042, 60.8681),
  ('285', 'Kotka', 'Kotka', '08', 26.9458, 60.4664),
  ('075', 'Hamina', 'Fredrikshamn', '08', 27.1979, 60.5697),
  -- Etelä-Karjala
  ('405', 'Lappeenranta', 'Villmanstrand', '09', 28.1897, 61.0587),
  ('153', 'Imatra', 'Imatra', '09', 28.7805, 61.1719),
  -- Etelä-Savo
  ('491', 'Mikkeli', 'S:t Michel', '10', 27.2728, 61.6886),
  ('740', 'Savonlinna', 'Nyslott', '10', 28.8823, 61.8687),
  ('593', 'Pieksämäki', 'Pieksämäki', '10', 27.1570, 62.3000),
  -- Pohjois-Savo
  ('297', 'Kuopio', 'Kuopio', '11', 27.6782, 62.8924),
  ('140', 'Iisalmi', 'Idensalmi', '11', 27.1897, 63.5592),
  ('915', 'Varkaus', 'Varkaus', '11', 27.8667, 62.3167),
  -- Pohjois-Karjala
  ('167', 'Joensuu', 'Joensuu', '12', 29.7636, 62.6010),
  ('422', 'Lieksa', 'Lieksa', '12', 30.0240, 63.3170),
  -- Keski-Suomi
  ('179', 'Jyväskylä', 'Jyväskylä', '13', 25.7473, 62.2426),
  ('182', 'Jämsä', 'Jämsä', '13', 25.1900, 61.8640),
  ('992', 'Äänekoski', 'Äänekoski', '13', 25.7250, 62.6040),
  -- Etelä-Pohjanmaa
  ('743', 'Seinäjoki', 'Seinäjoki', '14', 22.8403, 62.7903),
  -- Pohjanmaa
  ('905', 'Vaasa', 'Vasa', '15', 21.6165, 63.0951),
  ('598', 'Pietarsaari', 'Jakobstad', '15', 22.7009, 63.6736),
  -- Keski-Pohjanmaa
  ('272', 'Kokkola', 'Karleby', '16', 23.1250, 63.8385),
  -- Pohjois-Pohjanmaa
  ('564', 'Oulu', 'Uleåborg', '17', 25.4651, 65.0121),
  ('244', 'Kempele', 'Kempele', '17', 25.5030, 64.9130),
  ('678', 'Raahe', 'Brahestad', '17', 24.4786, 64.6846),
  ('977', 'Ylivieska', 'Ylivieska', '17', 24.5436, 64.0728),
  ('305', 'Kuusamo', 'Kuusamo', '17', 29.1883, 65.9646),
  -- Kainuu
  ('205', 'Kajaani', 'Kajana', '18', 27.7285, 64.2222),
  ('765', 'Sotkamo', 'Sotkamo', '18', 28.3900, 64.1300),
  ('290', 'Kuhmo', 'Kuhmo', '18', 29.5200, 64.1260),
  -- Lappi
  ('698', 'Rovaniemi', 'Rovaniemi', '19', 25.7294, 66.5039),
  ('240', 'Kemi', 'Kemi', '19', 24.5636, 65.7364),
  ('851', 'Tornio', 'Torneå', '19', 24.1467, 65.8481),
  ('320', 'Kemijärvi', 'Kemijärvi', '19', 27.4150, 66.7130),
  ('758', 'Sodankylä', 'Sodankylä', '19', 26.5900, 67.4170),
  ('148', 'Inari', 'Enare', '19', 27.5900, 68.6580),
  -- Ahvenanmaa
  ('478', 'Maarianhamina', 'Mariehamn', '21', 19.9348, 60.0973);

alter table public.regions enable row level security;
alter table public.municipalities enable row level security;

grant select on public.regions, public.municipalities to authenticated;
grant select on public.regions, public.municipalities to service_role;

-- Reference data, but still only for people with a role: anon gets nothing anywhere.
create policy regions_select_staff on public.regions
  for select to authenticated
  using ((select private.current_app_role()) is not null);

create policy municipalities_select_staff on public.municipalities
  for select to authenticated
  using ((select private.current_app_role()) is not null);
