// The live map of free places and the list beside it, and the facility panel, in the built app
// against the real local stack.
import { expectNoWcagViolations as expectNoViolations } from './support/axe';
import { expect, test, type Page } from '@playwright/test';
import { e2eEnvironment } from './environment';
import { expectLive, LOCALES, openMap, ownFacility, protectedSecrets, signIn, sql, text, useLocale } from './support/map';

const KAISLA = 'f0000000-0000-4000-8000-000000000003';
const PAJU = 'f0000000-0000-4000-8000-000000000006';

function row(page: Page, facilityId: string) {
  return page.locator(`[data-testid="facility-row"][data-facility-id="${facilityId}"]`);
}

test.describe('live figures', () => {
  test('a staff member changes capacity and two open maps show the new figure without a reload', async ({ browser }) => {
    test.slow();
    const facility = await ownFacility('live');
    const coordinatorContext = await browser.newContext();
    const staffContext = await browser.newContext();
    try {
      const coordinator = await coordinatorContext.newPage();
      const staff = await staffContext.newPage();
      await signIn(coordinator, 'coordinator@suoja.example');
      await signIn(staff, facility.staffEmail);
      // Selected, so the facility is in the list and in the summary whatever the page size.
      await openMap(coordinator, `?selected=${facility.id}`);
      await openMap(staff, `?selected=${facility.id}`);
      await expectLive(coordinator);
      await expectLive(staff);
      await expect(row(coordinator, facility.id).getByTestId('free-places')).toHaveText('10');

      // Reloading would reset this marker: it proves the page was patched in place.
      await coordinator.evaluate(() => ((window as unknown as { notReloaded: boolean }).notReloaded = true));
      await facility.setCapacity(7);

      for (const page of [coordinator, staff]) {
        await expect(row(page, facility.id).getByTestId('free-places')).toHaveText('7');
        await expect(page.getByTestId('selected-free-places')).toHaveText('7');
      }
      await expect(row(coordinator, facility.id)).toContainText(text('fi', 'map_changed_badge'));
      await expect(coordinator.getByTestId('live-announcement')).toContainText(facility.name);
      expect(await coordinator.evaluate(() => (window as unknown as { notReloaded?: boolean }).notReloaded)).toBe(true);

      // Offline and back: the page says so, and reloads the figures once it has reconnected.
      await coordinatorContext.setOffline(true);
      await expect(coordinator.getByTestId('connection-state')).toHaveAttribute('data-state', 'offline');
      await expect(coordinator.getByTestId('connection-state')).toContainText(text('fi', 'map_connection_offline'));
      await facility.setCapacity(4);
      await coordinatorContext.setOffline(false);
      await expectLive(coordinator);
      await expect(row(coordinator, facility.id).getByTestId('free-places')).toHaveText('4');
    } finally {
      await coordinatorContext.close();
      await staffContext.close();
      await facility.cleanUp();
    }
  });
});

test.describe('filters, sorting and selection', () => {
  test('filters round-trip through the URL and the list shows exactly the matching facilities', async ({ page }) => {
    test.slow();
    await signIn(page, 'coordinator@suoja.example');
    const query = '?kind=shelter&rating=3&children=1&boys=12&gender=women&sort=name';
    await openMap(page, query);

    const expected = await sql<{ id: string }>(
      `select f.id::text from public.facilities f
        where f.kind = 'shelter' and f.security_rating >= 3 and f.takes_children
          and (f.boys_max_age is null or f.boys_max_age >= 12) and f.gender_policy in ('women', 'any')
        order by f.name collate "C"`
    );
    const shown = await page.getByTestId('facility-row').evaluateAll((rows) => rows.map((row) => row.getAttribute('data-facility-id')));
    expect(shown.sort()).toEqual(expected.map((row) => row.id).sort());
    expect(shown.length).toBeGreaterThan(0);

    // The form shows the filters the URL holds.
    await expect(page.locator('input[name="kind"][value="shelter"]')).toBeChecked();
    await expect(page.locator('#map-filters-rating')).toHaveValue('3');
    await expect(page.locator('#map-filters-boys')).toHaveValue('12');
    await expect(page.locator('#map-filters-gender')).toHaveValue('women');
    await expect(page.locator('#map-sort')).toHaveValue('name');

    // A change in the form goes to the URL and survives a reload.
    await page.getByLabel(text('fi', 'map_filter_wheelchair')).check();
    await expect(page).toHaveURL((url) => url.searchParams.get('wheelchair') === '1' && url.searchParams.get('kind') === 'shelter');
    const afterWheelchair = await page.getByTestId('facility-row').count();
    await page.reload();
    await expect(page.getByLabel(text('fi', 'map_filter_wheelchair'))).toBeChecked();
    await expect(page.getByTestId('facility-row')).toHaveCount(afterWheelchair);

    // Sorting by free places from the list's own control.
    await page.locator('#map-sort').selectOption('free');
    await expect(page).toHaveURL((url) => url.searchParams.get('sort') === null && url.searchParams.get('wheelchair') === '1');
    const figures = await page.getByTestId('free-places').allInnerTexts();
    const numbers = figures.map((figure) => Number(figure.replace(/\s/g, '')));
    expect(numbers).toEqual([...numbers].sort((a, b) => b - a));
  });

  test('selecting in the list selects on the map, and a click on the map selects in the list', async ({ page }) => {
    test.slow();
    await signIn(page, 'coordinator@suoja.example');
    await openMap(page, '?municipality=564');
    const paju = row(page, PAJU);
    await paju.getByRole('button').click();
    await expect(page).toHaveURL((url) => url.searchParams.get('selected') === PAJU);
    await expect(paju.getByRole('button')).toHaveAttribute('aria-pressed', 'true');
    await expect(page.getByTestId('selected-facility')).toContainText('Turvakoti Paju');

    // The map brought Paju's marker to its centre; clear the selection and click it there.
    await expect(page.locator('[data-map-idle]')).toHaveAttribute('data-map-idle', 'true');
    await page.getByRole('link', { name: text('fi', 'map_clear_selection') }).click();
    await expect(page).toHaveURL((url) => url.searchParams.get('selected') === null);
    const canvas = page.locator('canvas.maplibregl-canvas');
    const box = await canvas.boundingBox();
    if (!box) throw new Error('the map canvas has no size');
    await page.mouse.click(box.x + box.width / 2, box.y + box.height / 2);
    await expect(page).toHaveURL((url) => url.searchParams.get('selected') === PAJU);
    await expect(paju.getByRole('button')).toHaveAttribute('aria-pressed', 'true');
  });
});

test.describe('exact locations', () => {
  for (const email of ['admin@suoja.example', 'staff@suoja.example']) {
    test(`${email.split('@')[0]} never receives the exact position of a protected facility it may not reveal`, async ({ page }) => {
      test.slow();
      const secrets = await protectedSecrets();
      // staff@ may reveal their own shelter, but only by asking; without asking it is as secret as the rest.
      const facility = await ownFacility('leak');
      const received: string[] = [];
      page.on('response', async (response) => {
        // Files built into the app (scripts, styles, the Natural Earth basemap) hold no data.
        const { pathname } = new URL(response.url());
        if (pathname.startsWith('/_app/immutable/') || pathname.startsWith('/basemap/')) return;
        try {
          received.push(`${response.url()}\n${await response.text()}`);
        } catch {
          // Redirects and aborted requests have no body.
        }
      });
      page.on('websocket', (socket) => {
        socket.on('framereceived', (frame) => received.push(typeof frame.payload === 'string' ? frame.payload : frame.payload.toString('utf8')));
        socket.on('framesent', (frame) => received.push(typeof frame.payload === 'string' ? frame.payload : frame.payload.toString('utf8')));
      });
      try {
        await signIn(page, email);
        await openMap(page, `?selected=${KAISLA}`);
        await expectLive(page);
        // Something live must pass through the socket while we listen.
        await facility.setCapacity(9);
        await expect(row(page, facility.id).getByTestId('free-places')).toHaveText('9');
        for (const id of [KAISLA, PAJU, 'f0000000-0000-4000-8000-000000000005', 'f0000000-0000-4000-8000-000000000031']) {
          await page.goto(`/facilities/${id}`);
          await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
        }
        const leaks = secrets.filter((secret) => received.some((body) => body.includes(secret)));
        expect(received.length).toBeGreaterThan(10);
        expect(leaks, 'exact addresses or coordinates that reached the browser').toEqual([]);
      } finally {
        await facility.cleanUp();
      }
    });
  }

  test('a coordinator sees the exact location only after giving a reason, and the reveal is logged', async ({ page }) => {
    const facility = 'f0000000-0000-4000-8000-000000000009';
    const [location] = await sql<{ street_address: string }>('select street_address from public.facility_locations where facility_id = $1', [facility]);
    const [before] = await sql<{ count: string }>(
      `select count(*)::text from public.audit_log where action = 'reveal_location' and facility_id = $1`,
      [facility]
    );
    await signIn(page, 'coordinator@suoja.example');
    await page.goto(`/facilities/${facility}`);
    await expect(page.locator('main')).not.toContainText(location!.street_address);

    await page.getByRole('button', { name: text('fi', 'map_reveal_submit') }).click();
    await expect(page.getByText(text('fi', 'map_error_reason_required'))).toBeVisible();
    await expect(page.getByLabel(text('fi', 'map_reveal_reason_label'))).toHaveAttribute('aria-invalid', 'true');

    await page.getByLabel(text('fi', 'map_reveal_reason_label')).fill('Kuljetuksen järjestäminen (e2e)');
    await page.getByRole('button', { name: text('fi', 'map_reveal_submit') }).click();
    await expect(page.getByTestId('revealed-location')).toContainText(location!.street_address);
    const [after] = await sql<{ count: string; reason: string }>(
      `select count(*)::text, max(reason) filter (where reason like '%(e2e)') as reason
         from public.audit_log where action = 'reveal_location' and facility_id = $1`,
      [facility]
    );
    expect(Number(after!.count)).toBe(Number(before!.count) + 1);
    expect(after!.reason).toBe('Kuljetuksen järjestäminen (e2e)');
  });
});

test('the offline basemap renders, with labels, while every request off this machine is blocked', async ({ page }) => {
  test.slow();
  const attempted: string[] = [];
  await page.context().route('**/*', (route) => {
    const { hostname } = new URL(route.request().url());
    if (hostname === '127.0.0.1' || hostname === 'localhost') return route.continue();
    attempted.push(route.request().url());
    return route.abort('blockedbyclient');
  });
  const basemap = page.waitForResponse((response) => response.url().includes('/basemap/') && response.ok());
  await signIn(page, 'coordinator@suoja.example');
  await openMap(page);
  await basemap;
  const labels = Number(await page.locator('[data-map-state]').getAttribute('data-drawn-labels'));
  expect(labels, 'marker and cluster labels drawn without any glyph server').toBeGreaterThan(0);
  expect(attempted, 'requests to other hosts').toEqual([]);
  expect(new URL(e2eEnvironment().baseURL).hostname).toBe('127.0.0.1');
});

test.describe('accessibility', () => {
  for (const locale of LOCALES) {
    test(`map, list, selection and facility panel have no WCAG 2.1 A/AA violations in ${locale}`, async ({ page }) => {
      test.slow();
      await useLocale(page, locale);
      await signIn(page, 'coordinator@suoja.example');
      await useLocale(page, locale);
      await openMap(page, `?selected=${KAISLA}`);
      await expect(page.locator('html')).toHaveAttribute('lang', locale);
      await page.locator('#map-filters summary').click();
      await expectNoViolations(page, `the map and list (${locale})`);

      await page.goto(`/facilities/${KAISLA}`);
      await expect(page.getByTestId('forecast')).toBeVisible();
      await page.getByRole('button', { name: text(locale, 'map_reveal_submit') }).click();
      await expect(page.getByText(text(locale, 'map_error_reason_required'))).toBeVisible();
      await expectNoViolations(page, `the facility panel (${locale})`);
    });
  }
});

