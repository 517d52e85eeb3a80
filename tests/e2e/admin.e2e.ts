// Administration: staff accounts (create, sign in, deactivate), facilities (form and CSV import),
// retention setting, all through the built app as the seeded admin.
import { expect, test } from '@playwright/test';
import { expectNoWcagViolations, LOCALES, signedInClient, signIn, sql, text, unique } from './support/admin';

const CSV_HEADER =
  'name,kind,operator,municipality_code,security_rating,gender_policy,takes_children,boys_max_age,wheelchair_access,pets_allowed,staff_languages,staffed_24h,turnaround_hours,contact_line,street_address,postal_code,lat,lon,capacity';

test('an admin creates a staff account that can sign in, then deactivates it so it cannot', async ({ page, browser }) => {
  const email = `${unique('e2e-staff')}@suoja.example`;
  const password = 'alkusalasana-2026';
  await signIn(page, 'admin@suoja.example');
  await page.goto('/admin/staff');
  await page.locator('#email').fill(email);
  await page.locator('#displayName').fill('Testi Käyttäjä');
  await page.locator('#role').selectOption('caseworker');
  await page.locator('#password').fill('short');
  await page.getByRole('button', { name: text('fi', 'admin_staff_create_submit') }).click();
  await expect(page.getByText(text('fi', 'admin_error_password_too_short'))).toBeVisible();
  await expect(page.locator('#password')).toHaveAttribute('aria-invalid', 'true');

  await page.locator('#password').fill(password);
  await page.getByRole('button', { name: text('fi', 'admin_staff_create_submit') }).click();
  await expect(page.getByTestId('staff-created')).toContainText(email);
  const [row] = await sql<{ role: string; active: boolean }>('select role, active from public.staff where email = $1', [email]);
  expect(row).toEqual({ role: 'caseworker', active: true });

  const other = await browser.newContext();
  const otherPage = await other.newPage();
  await signIn(otherPage, email, 'fi', password);
  await expect(otherPage.getByTestId('role')).toHaveText(text('fi', 'home_role', { role: text('fi', 'role_caseworker') }));
  const openSession = await signedInClient(email, password);
  expect((await openSession.rpc('facility_availability')).error).toBeNull();

  await page.getByTestId('staff-created').getByRole('link').click();
  await page.getByTestId('staff-toggle-active').click();
  await expect(page.getByTestId('staff-status')).toHaveText(text('fi', 'admin_status_inactive'));
  // A session opened before loses access at once; signing in again is refused.
  expect((await openSession.rpc('facility_availability')).error?.message).toBe('not_allowed');
  await other.clearCookies();
  await otherPage.goto('/login');
  await otherPage.locator('#email').fill(email);
  await otherPage.locator('#password').fill(password);
  await otherPage.locator('main button[type="submit"]').click();
  await expect(otherPage.getByTestId('login-error')).toBeVisible();
  await other.close();
});

test('an admin assigns a caseworker a client by code and manages facility memberships', async ({ page }) => {
  const [client] = await sql<{ code: string }>("insert into public.clients (gender, birth_year, safety_level) values ('female', 1995, 1) returning code");
  const [caseworker] = await sql<{ id: string }>("select id from public.staff where email = 'caseworker2@suoja.example'");
  await signIn(page, 'admin@suoja.example');
  await page.goto(`/admin/staff/${caseworker!.id}`);
  await page.locator('#clientCode').fill('AS-ZZZZ9');
  await page.getByRole('button', { name: text('fi', 'admin_staff_assign_submit') }).click();
  await expect(page.getByText(text('fi', 'admin_error_client_not_found'))).toBeVisible();
  await page.locator('#clientCode').fill(client!.code);
  await page.getByRole('button', { name: text('fi', 'admin_staff_assign_submit') }).click();
  await expect(page.getByTestId('assigned-clients')).toContainText(client!.code);
  await page.getByRole('button', { name: text('fi', 'admin_remove_named', { name: client!.code }) }).click();
  await expect(page.getByTestId('staff-saved')).toBeVisible();
  await expect(page.getByText(client!.code)).toHaveCount(0);
});

test('an admin creates a facility with its exact location, and the form names each mistake', async ({ page }) => {
  const name = unique('Testikoti');
  await signIn(page, 'admin@suoja.example');
  await page.goto('/admin/facilities/new');
  await page.locator('#name').fill(name);
  await page.locator('#kind').selectOption('shelter');
  await page.locator('#municipality_code').selectOption('091');
  await page.locator('#security_rating').selectOption('3');
  await page.locator('#street_address').fill('Kuvitteellinen tie 5');
  await page.locator('#postal_code').fill('123');
  await page.locator('#lat').fill('48.2');
  await page.locator('#lon').fill('24.9');
  await page.getByRole('button', { name: text('fi', 'admin_facility_create_submit') }).click();
  await expect(page.getByText(text('fi', 'admin_error_invalid_postal_code'))).toBeVisible();
  await expect(page.getByText(text('fi', 'admin_error_outside_finland'))).toBeVisible();
  expect(await sql('select 1 from public.facilities where name = $1', [name])).toHaveLength(0);

  await page.locator('#postal_code').fill('00990');
  await page.locator('#lat').fill('60,2123');
  await page.getByRole('button', { name: text('fi', 'admin_facility_create_submit') }).click();
  await expect(page.getByTestId('facility-saved')).toHaveText(text('fi', 'admin_facility_created'));
  const [stored] = await sql<{ lat: number; postal_code: string; active: boolean }>(
    'select l.lat, l.postal_code, f.active from public.facilities f join public.facility_locations l on l.facility_id = f.id where f.name = $1', [name]);
  expect(stored).toEqual({ lat: 60.2123, postal_code: '00990', active: true });

  // Deactivate: the facility stays, marked inactive; the location is kept when left empty.
  await page.getByLabel(text('fi', 'admin_field_active')).uncheck();
  await page.getByRole('button', { name: text('fi', 'admin_save') }).click();
  await expect(page.getByTestId('facility-saved')).toHaveText(text('fi', 'admin_saved'));
  const [after] = await sql<{ active: boolean; lat: number }>(
    'select f.active, l.lat from public.facilities f join public.facility_locations l on l.facility_id = f.id where f.name = $1', [name]);
  expect(after).toEqual({ active: false, lat: 60.2123 });
});

test('a CSV import shows every error by line and column and imports nothing, then imports a clean file', async ({ page }) => {
  const first = unique('Tuontikoti A');
  const second = unique('Tuontikoti B');
  const good = (name: string) => `${name},shelter,Testi ry,091,3,women,kyllä,12,ei,ei,fi en,kyllä,24,,Testitie 1,00100,60.17,24.94,8`;
  const bad = `${CSV_HEADER}\n${good(first)}\n${second},hotel,Testi ry,091,9,women,ehkä,12,ei,ei,fi,kyllä,24,,Testitie 2,00100,60.17,24.94,8\n`;

  await signIn(page, 'admin@suoja.example');
  await page.goto('/admin/facilities/import');
  const template = await page.request.get('/admin/facilities/import/template');
  expect(template.headers()['content-disposition']).toContain('suoja-facilities-template.csv');
  expect((await template.text()).replace(/^\uFEFF/, '').split('\r\n')[0]).toBe(CSV_HEADER);

  await page.locator('#file').setInputFiles({ name: 'yksikot.csv', mimeType: 'text/csv', buffer: Buffer.from(bad) });
  await page.getByRole('button', { name: text('fi', 'admin_import_preview_submit') }).click();
  const issues = page.getByTestId('import-issues').locator('tbody tr');
  await expect(issues).toHaveCount(3);
  await expect(issues.nth(0)).toContainText('3');
  await expect(issues.nth(0)).toContainText(text('fi', 'admin_field_kind'));
  await expect(issues.nth(0)).toContainText(text('fi', 'admin_error_unknown_kind'));
  await expect(issues.nth(1)).toContainText(text('fi', 'admin_error_out_of_range'));
  await expect(issues.nth(2)).toContainText(text('fi', 'admin_error_not_yes_no'));
  expect(await sql('select 1 from public.facilities where name in ($1, $2)', [first, second])).toHaveLength(0);

  const clean = `${CSV_HEADER}\n${good(first)}\n${good(second)}\n`;
  await page.locator('#file').setInputFiles({ name: 'yksikot.csv', mimeType: 'text/csv', buffer: Buffer.from(clean) });
  await page.getByRole('button', { name: text('fi', 'admin_import_preview_submit') }).click();
  await expect(page.getByTestId('import-preview').locator('tbody tr')).toHaveCount(2);
  await page.getByRole('button', { name: text('fi', 'admin_import_confirm', { count: 2 }) }).click();
  await expect(page.getByTestId('import-done')).toHaveText(text('fi', 'admin_import_done', { count: 2 }));
  expect(await sql('select 1 from public.facilities where name in ($1, $2)', [first, second])).toHaveLength(2);
});

test('only admins reach the administration', async ({ page }) => {
  await signIn(page, 'coordinator@suoja.example');
  expect((await page.goto('/admin'))?.status()).toBe(403);
  expect((await page.goto('/admin/staff'))?.status()).toBe(403);
  expect((await page.request.get('/admin/facilities/import/template')).status()).toBe(403);
});

for (const locale of LOCALES) {
  test(`the administration screens have no WCAG 2.1 A/AA violations (${locale})`, async ({ page }) => {
    // Seven pages, two of them with every municipality (308) as options: axe takes 2 s a page on
    // a quiet machine and up to ~80 s for all of them on a busy 2-core runner.
    test.setTimeout(180_000);
    await signIn(page, 'admin@suoja.example', locale);
    for (const path of ['/admin', '/admin/staff', '/admin/facilities', '/admin/facilities/new', '/admin/facilities/import', '/admin/partners']) {
      await page.goto(path);
      await expect(page.locator('html')).toHaveAttribute('lang', locale);
      await expectNoWcagViolations(page, `${path} (${locale})`);
    }
    const [kaisla] = await sql<{ id: string }>("select id from public.facilities where name = 'Turvakoti Kaisla'");
    await page.goto(`/admin/facilities/${kaisla!.id}`);
    await expectNoWcagViolations(page, `a facility's edit form (${locale})`);
  });
}
