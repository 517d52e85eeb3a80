// The coordinator's way from a new client to a safe place and on, the facility's answer from a
// second browser, and what the assigned caseworker sees at each step; then axe on every client
// screen in fi, sv and en. Runs against the built app and a fresh local stack (global-setup.ts).
import { expect, test, type Browser, type Page } from '@playwright/test';
import {
  CASEWORKER_ID,
  DEMO_PASSWORD,
  LOCALES,
  OTHER_CASEWORKERS_CLIENT,
  expectNoWcagViolations,
  freshFacilityStaff,
  scratchFacility,
  signIn,
  sql,
  text,
  useLocale
} from './support/clients';

const THIS_YEAR = Number(new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Helsinki', year: 'numeric' }).format(new Date()));

async function newPage(browser: Browser, email: string, password = DEMO_PASSWORD): Promise<Page> {
  const context = await browser.newContext();
  const page = await context.newPage();
  await signIn(page, email, password);
  return page;
}

async function createClient(page: Page): Promise<string> {
  await page.goto('/clients/new');
  await page.getByLabel(text('fi', 'clients_gender_female'), { exact: true }).check();
  await page.locator('#field-birth_year').fill('1991');
  await page.locator('#field-languages').fill('en, ru');
  await page.getByTestId('add-child').click();
  const child = page.getByTestId('child-row').first();
  await child.locator('input[name="child_birth_year"]').fill(String(THIS_YEAR - 6));
  await child.locator('select[name="child_gender"]').selectOption('female');
  await page.locator('input[name="safety_level"][value="2"]').check();
  await page.getByLabel('Aino Asiakasohjaaja').check();
  await page.getByRole('button', { name: text('fi', 'clients_create_submit') }).click();
  await page.waitForURL(/\/clients\/AS-[2-9A-HJKMNP-Z]{4,6}\?created=1$/);
  const code = /\/clients\/(AS-[2-9A-HJKMNP-Z]{4,6})/.exec(page.url())?.[1];
  if (!code) throw new Error(`no client code in ${page.url()}`);
  await expect(page.getByTestId('client-notice')).toHaveText(text('fi', 'clients_notice_created', { code }));
  return code;
}

test.describe('placing a client, step by step', () => {
  test.describe.configure({ timeout: 240_000 });

  test('create, zone, search, hold, accept in a second browser, arrive, move, end; the caseworker sees each step and nothing else', async ({ browser }) => {
    // Facilities of this test's own: the hold, the move, and one inside the exclusion zone.
    const holdAt = await scratchFacility({ prefix: 'E2E-Turvakoti', municipality: '091', lon: 24.95, lat: 60.2 });
    const moveTo = await scratchFacility({ prefix: 'E2E-Siirtokoti', municipality: '049', lon: 24.66, lat: 60.21 });
    const insideZone = await scratchFacility({ prefix: 'E2E-Alueella', municipality: '179', lon: 25.75, lat: 62.24 });
    const facilityStaff = await freshFacilityStaff(holdAt.id);

    const coordinator = await newPage(browser, 'coordinator@suoja.example');
    const code = await createClient(coordinator);
    const [client] = await sql<{ id: string; safety_level: number }>('select id, safety_level from public.clients where code = $1', [code]);
    const children = await sql<{ id: string }>('select id from public.client_children where client_id = $1', [client!.id]);
    expect(children, 'the child was saved with the client').toHaveLength(1);
    expect(await sql('select 1 from public.caseworker_assignments where client_id = $1 and caseworker_id = $2', [client!.id, CASEWORKER_ID])).toHaveLength(1);

    // An exclusion zone: 3 km around the third facility.
    await coordinator.locator('#zone-lat').fill(String(insideZone.lat));
    await coordinator.locator('#zone-lon').fill(String(insideZone.lon));
    await coordinator.locator('#zone-radius').fill('3');
    await coordinator.locator('#zone-reason').fill('E2E: tekijöiden toiminta-alue');
    await coordinator.getByRole('button', { name: text('fi', 'clients_zone_add_submit') }).click();
    await expect(coordinator.getByTestId('zone')).toHaveCount(1);
    await expect(coordinator.getByTestId('zone')).toContainText('E2E: tekijöiden toiminta-alue');

    // The search: the facility inside the zone is left out for that reason; every offered one fits.
    await coordinator.getByTestId('start-search').click();
    await coordinator.waitForURL(`**/clients/${code}/search`);
    const suitable = coordinator.getByTestId('suitable-facility');
    await expect(suitable.first()).toBeVisible();
    await expect(coordinator.locator(`[data-testid="suitable-facility"][data-facility-id="${insideZone.id}"]`)).toHaveCount(0);
    // The left-out facilities are counted per reason; a reason's facilities are listed on request,
    // each with every reason, and any facility can be looked up by name.
    await coordinator.getByTestId('excluded').locator('summary').click();
    await coordinator.locator('[data-testid="excluded-reason"][data-code="inside_exclusion_zone"] a').click();
    const excludedRow = coordinator.locator(`[data-testid="excluded-facility"][data-facility-id="${insideZone.id}"]`);
    await expect(excludedRow).toContainText(text('fi', 'clients_refusal_inside_zone_point'));
    await coordinator.locator('#search-find').fill(insideZone.name);
    await coordinator.locator('#search-find').press('Enter');
    const foundRow = coordinator.locator(`[data-testid="found-facility"][data-facility-id="${insideZone.id}"]`);
    await expect(foundRow).toContainText(text('fi', 'clients_refusal_inside_zone_point'));

    const offeredIds = await suitable.evaluateAll((nodes) => nodes.map((node) => node.getAttribute('data-facility-id') ?? ''));
    expect(offeredIds).toContain(holdAt.id);
    expect(offeredIds).toContain(moveTo.id);
    const verdicts = await sql<{ id: string; refusals: unknown[]; rating: number; free: number }>(
      `select f.id, private.fit_refusals($1, f.id, $2::uuid[], private.helsinki_today()) as refusals, f.security_rating as rating,
              (select fig.free_raw from private.facility_figures(array[f.id], null) fig) as free
       from public.facilities f where f.id = any ($3::uuid[])`,
      [client!.id, children.map((child) => child.id), offeredIds]
    );
    expect(verdicts).toHaveLength(offeredIds.length);
    for (const verdict of verdicts) {
      expect(verdict.refusals, `offered facility ${verdict.id} breaks a rule`).toEqual([]);
      expect(verdict.rating).toBeGreaterThanOrEqual(client!.safety_level);
      expect(verdict.free, `offered facility ${verdict.id} has room for the mother and child`).toBeGreaterThanOrEqual(2);
    }

    // A facility that declined the last hold is marked: on its card when offered, else above the list with its reasons.
    await coordinator.goto(`/clients/${code}/search?declined=${holdAt.id}`);
    await expect(coordinator.locator(`[data-testid="suitable-facility"][data-facility-id="${holdAt.id}"]`)).toContainText(text('fi', 'clients_search_declined_tag'));
    await coordinator.goto(`/clients/${code}/search?declined=${insideZone.id}`);
    await expect(coordinator.getByTestId('declined-notice')).toContainText(text('fi', 'clients_search_declined_excluded', { facility: insideZone.name }));
    await expect(coordinator.getByTestId('declined-notice')).toContainText(text('fi', 'clients_refusal_inside_zone_point'));
    await coordinator.goto(`/clients/${code}/search`);

    // Hold in one step; a double click must not make two holds.
    const holdCard = coordinator.locator(`[data-testid="suitable-facility"][data-facility-id="${holdAt.id}"]`);
    await holdCard.getByTestId('open-action').click();
    await holdCard.getByTestId('submit-action').dblclick();
    await coordinator.waitForURL(`**/clients/${code}`);
    expect(await sql('select id from public.placements where client_id = $1', [client!.id]), 'one hold, however often the form was sent').toHaveLength(1);
    await expect(coordinator.getByTestId('hold-state')).toHaveText(text('fi', 'clients_hold_waiting_state'));
    await expect(coordinator.getByTestId('hold-watcher')).toHaveAttribute('data-state', 'live', { timeout: 15_000 });

    // The caseworker sees the hold.
    const caseworker = await newPage(browser, 'caseworker@suoja.example');
    await caseworker.goto('/my-clients');
    const myCard = caseworker.locator(`[data-testid="my-client"][data-code="${code}"]`);
    await expect(myCard).toContainText(text('fi', 'clients_hold_at', { facility: holdAt.name }));

    // The facility accepts in its own browser; the coordinator's page follows without a reload.
    const staffPage = await newPage(browser, facilityStaff.email, facilityStaff.password);
    await staffPage.goto('/my-facility');
    const holdOnStaffScreen = staffPage.getByTestId('staff-hold').filter({ hasText: code });
    await holdOnStaffScreen.getByRole('button', { name: text('fi', 'staff_accept') }).click();
    await expect(coordinator.getByTestId('hold-state')).toHaveText(text('fi', 'clients_hold_accepted_state'), { timeout: 15_000 });

    // Arrival.
    await coordinator.getByTestId('record-arrival').click();
    await expect(coordinator.getByTestId('active-placement')).toContainText(holdAt.name);
    await caseworker.reload();
    await expect(myCard.getByTestId('my-client-housing')).toContainText(holdAt.name);
    await caseworker.goto(`/my-clients/${code}`);
    await expect(caseworker.getByTestId('active-placement')).toContainText(holdAt.name);

    // The caseworker cannot open another caseworker's client, nor the coordinator's pages.
    const [other] = await sql<{ code: string }>('select code from public.clients where id = $1', [OTHER_CASEWORKERS_CLIENT]);
    for (const path of [`/my-clients/${other!.code}`, `/clients/${code}`, '/clients']) {
      const response = await caseworker.goto(path);
      expect(response?.status(), `${path} must not exist for the caseworker`).toBe(404);
      await expect(caseworker.getByTestId('error-message')).toHaveText(text('fi', 'error_not_found'));
    }

    // Move: the search opens for the move; end here and start there in one step.
    await coordinator.getByTestId('start-move').click();
    await expect(coordinator.getByTestId('move-notice')).toBeVisible();
    const moveCard = coordinator.locator(`[data-testid="suitable-facility"][data-facility-id="${moveTo.id}"]`);
    await moveCard.getByTestId('open-action').click();
    await moveCard.locator('textarea[name="reason"]').fill('E2E: lähempänä koulua');
    await moveCard.getByTestId('submit-action').click();
    await coordinator.waitForURL(`**/clients/${code}`);
    await expect(coordinator.getByTestId('active-placement')).toContainText(moveTo.name);
    const endedAtFirst = coordinator.locator('[data-testid="timeline-entry"][data-status="ended"]').filter({ hasText: holdAt.name });
    await expect(endedAtFirst).toContainText('E2E: lähempänä koulua');
    await caseworker.goto('/my-clients');
    await expect(myCard.getByTestId('my-client-housing')).toContainText(moveTo.name);

    // End with a reason.
    await coordinator.locator('summary', { hasText: text('fi', 'clients_end_button') }).click();
    await coordinator.locator('#end-reason').fill('E2E: muutti omaan asuntoon');
    await coordinator.getByRole('button', { name: text('fi', 'clients_end_submit') }).click();
    await expect(coordinator.getByTestId('no-housing')).toBeVisible();
    await expect(coordinator.locator('[data-testid="timeline-entry"][data-status="ended"]')).toHaveCount(2);
    await caseworker.reload();
    await expect(myCard.getByTestId('my-client-housing')).toHaveText(text('fi', 'clients_housing_not_placed'));
    await caseworker.goto(`/my-clients/${code}`);
    await expect(caseworker.getByTestId('no-housing')).toBeVisible();
    await expect(caseworker.locator('[data-testid="timeline-entry"][data-status="ended"]').filter({ hasText: 'E2E: muutti omaan asuntoon' })).toHaveCount(1);

    const statuses = await sql<{ status: string }>('select status from public.placements where client_id = $1 order by created_at', [client!.id]);
    expect(statuses.map((row) => row.status)).toEqual(['ended', 'ended']);
  });

  test('a refused hold names the rule with its numbers and saves nothing', async ({ browser }) => {
    const facility = await scratchFacility({ prefix: 'E2E-Taso', municipality: '091', lon: 24.93, lat: 60.18, rating: 3 });
    const coordinator = await newPage(browser, 'coordinator@suoja.example');
    const code = await createClient(coordinator);
    await coordinator.goto(`/clients/${code}/search`);
    const card = coordinator.locator(`[data-testid="suitable-facility"][data-facility-id="${facility.id}"]`);
    await card.getByTestId('open-action').click();
    // Between the search and the hold the client's level rises above the facility's rating.
    await sql('update public.clients set safety_level = 4 where code = $1', [code]);
    await card.getByTestId('submit-action').click();
    await expect(card.getByTestId('action-error')).toHaveText(text('fi', 'clients_refusal_rating_too_low', { rating: 3, level: 4 }));
    expect(await sql('select p.id from public.placements p join public.clients c on c.id = p.client_id where c.code = $1', [code])).toHaveLength(0);
  });
});

test.describe('placements ending soon', () => {
  test('the client list shows the ten nearest with how many there are, and links to a view of all of them', async ({ browser }) => {
    // Twelve of this test's own end today, the soonest any can: the panel's ten all end today,
    // whatever other tests add meanwhile.
    const facility = await scratchFacility({ prefix: 'E2E-Päättyvät', municipality: '091', lon: 24.94, lat: 60.17, capacity: 20 });
    const [today] = await sql<{ day: string }>(`select to_char((now() at time zone 'Europe/Helsinki')::date, 'YYYY-MM-DD') as day`);
    const codes: string[] = [];
    for (let i = 0; i < 12; i++) {
      const [client] = await sql<{ id: string; code: string }>(
        `insert into public.clients (gender, birth_year, safety_level, languages) values ('female', 1990, 1, '{en}') returning id, code`
      );
      await sql(
        `insert into public.placements (client_id, facility_id, status, persons, safety_level, planned_arrival, arrived_at, planned_end)
         values ($1, $2, 'active', 1, 1, $3::date - 30, now() - interval '30 days', $3::date)`,
        [client!.id, facility.id, today!.day]
      );
      codes.push(client!.code);
    }

    const page = await newPage(browser, 'coordinator@suoja.example');
    await page.goto('/clients');
    const panel = page.getByTestId('ending-soon').locator('li');
    await expect(panel).toHaveCount(10);
    for (const item of await panel.all()) await expect(item).toHaveAttribute('data-planned-end', today!.day);
    const more = await page.getByTestId('ending-soon-more').innerText();
    const shown = new RegExp(`^${text('fi', 'clients_ending_soon_shown', { shown: 10, total: '(\\d+)' }).replace(/\./g, '\\.')}`);
    const total = Number(shown.exec(more)?.[1]);
    expect(total, `the panel says how many placements end soon: "${more}"`).toBeGreaterThanOrEqual(12);

    await page.getByTestId('ending-soon-all').click();
    await page.waitForURL('**/clients/ending-soon');
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(text('fi', 'clients_ending_soon_heading'));
    await expect(page.getByTestId('ending-soon-total')).toHaveText(/^\d+ /);
    const listed = page.getByTestId('ending-soon').locator('li');
    const ends = await listed.evaluateAll((items) => items.map((item) => item.getAttribute('data-planned-end') ?? ''));
    expect(ends, 'soonest first').toEqual([...ends].sort());
    const listedCodes = await listed.locator('a').allInnerTexts();
    for (const code of codes) expect(listedCodes).toContain(code);
  });
});

test.describe('accessibility of the client screens', () => {
  test.describe.configure({ timeout: 180_000 });

  for (const locale of LOCALES) {
    test(`no WCAG 2.1 A/AA violations on the coordinator’s and the caseworker’s client screens (${locale})`, async ({ browser }) => {
      const coordinatorContext = await browser.newContext();
      const coordinator = await coordinatorContext.newPage();
      await signIn(coordinator, 'coordinator@suoja.example');
      await useLocale(coordinatorContext, locale);
      // Seeded client 1: a caseworker@ client with an active placement or a hold, and a zone-free history.
      const [seeded] = await sql<{ code: string }>(`select code from public.clients where id = 'c0000000-0000-4000-8000-000000000001'`);

      await coordinator.goto('/clients');
      await expect(coordinator.locator('html')).toHaveAttribute('lang', locale);
      await expect(coordinator.getByTestId('client-table')).toBeVisible();
      await expectNoWcagViolations(coordinator, `the client list (${locale})`);

      await coordinator.goto('/clients/ending-soon');
      await expect(coordinator.getByRole('heading', { level: 1 })).toHaveText(text(locale, 'clients_ending_soon_heading'));
      await expectNoWcagViolations(coordinator, `the placements ending soon (${locale})`);

      await coordinator.goto('/clients/new');
      await coordinator.getByRole('button', { name: text(locale, 'clients_create_submit') }).click();
      await expect(coordinator.getByTestId('client-form-error')).toBeVisible();
      await expectNoWcagViolations(coordinator, `the new-client form with errors (${locale})`);

      await coordinator.goto(`/clients/${seeded!.code}`);
      await expect(coordinator.getByTestId('current-housing')).toBeVisible();
      await expectNoWcagViolations(coordinator, `a client’s page (${locale})`);

      await coordinator.goto(`/clients/${seeded!.code}/search`);
      await expect(coordinator.getByTestId('search-summary')).toBeVisible();
      await coordinator.getByTestId('excluded').locator('summary').click();
      await coordinator.getByTestId('excluded-reason').first().locator('a').click();
      await expect(coordinator.getByTestId('excluded-list')).toBeVisible();
      await expectNoWcagViolations(coordinator, `the safe-place search (${locale})`);

      const caseworkerContext = await browser.newContext();
      const caseworker = await caseworkerContext.newPage();
      await signIn(caseworker, 'caseworker@suoja.example');
      await useLocale(caseworkerContext, locale);
      await caseworker.goto('/my-clients');
      await expect(caseworker.getByTestId('my-clients')).toBeVisible();
      await expectNoWcagViolations(caseworker, `my clients (${locale})`);
      await caseworker.goto(`/my-clients/${seeded!.code}`);
      await expect(caseworker.getByTestId('current-housing')).toBeVisible();
      await expectNoWcagViolations(caseworker, `a caseworker’s client page (${locale})`);

      await coordinatorContext.close();
      await caseworkerContext.close();
    });
  }
});
