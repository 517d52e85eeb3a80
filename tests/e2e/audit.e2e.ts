// The audit trail for auditors: filters, location reveals with their reasons, CSV export,
// read-only, and closed to other roles.
import { expect, test } from '@playwright/test';
import { expectNoWcagViolations, LOCALES, signedInClient, signIn, sql, text, unique } from './support/admin';

test('an auditor finds a coordinator’s location reveal with its reason, and exports it', async ({ page }) => {
  const reason = unique('Kuljetuksen järjestäminen');
  const coordinator = await signedInClient('coordinator@suoja.example');
  const [kaisla] = await sql<{ id: string }>("select id from public.facilities where name = 'Turvakoti Kaisla'");
  const { error } = await coordinator.rpc('reveal_facility_location', { facility_id: kaisla!.id, reason });
  expect(error).toBeNull();

  await signIn(page, 'auditor@suoja.example');
  await page.goto('/');
  await page.getByRole('navigation', { name: text('fi', 'nav_main_label') }).getByRole('link', { name: text('fi', 'audit_nav') }).click();
  await page.getByTestId('audit-reveals').click();
  await expect(page).toHaveURL(/action=reveal_location/);
  const row = page.getByTestId('audit-table').locator('tbody tr', { hasText: reason });
  await expect(row).toContainText('Turvakoti Kaisla');
  await expect(row).toContainText(text('fi', 'audit_action_reveal_location'));

  await page.locator('#facility').selectOption(kaisla!.id);
  await page.getByRole('button', { name: text('fi', 'audit_filter_submit') }).click();
  await expect(page).toHaveURL(new RegExp(`facility=${kaisla!.id}`));
  await expect(page.getByTestId('audit-table').locator('tbody tr', { hasText: reason })).toHaveCount(1);

  const csv = await page.request.get(`/audit/export?action=reveal_location&facility=${kaisla!.id}`);
  expect(csv.headers()['content-disposition']).toMatch(/^attachment; filename="suoja-audit-\d{4}-\d{2}-\d{2}\.csv"$/);
  const body = await csv.text();
  expect(body).toContain(reason);
  expect(body).toContain('reveal_location');
});

test('the client-code filter finds a client’s rows; a malformed code is explained', async ({ page }) => {
  const [client] = await sql<{ code: string }>("insert into public.clients (gender, birth_year, safety_level) values ('male', 1990, 1) returning code");
  await signIn(page, 'auditor@suoja.example');
  await page.goto(`/audit?client=${client!.code}`);
  await expect(page.getByTestId('audit-table').locator('tbody tr')).toHaveCount(1);
  await expect(page.getByTestId('audit-table')).toContainText(text('fi', 'audit_action_insert'));
  await page.goto('/audit?client=nonsense');
  await expect(page.getByText(text('fi', 'audit_error_client_code'))).toBeVisible();
});

test('nobody else opens the audit trail', async ({ page }) => {
  await signIn(page, 'admin@suoja.example');
  expect((await page.goto('/audit'))?.status()).toBe(403);
  expect((await page.request.get('/audit/export')).status()).toBe(403);
});

for (const locale of LOCALES) {
  test(`the audit trail has no WCAG 2.1 A/AA violations (${locale})`, async ({ page }) => {
    await signIn(page, 'auditor@suoja.example', locale);
    await page.goto('/audit');
    await expect(page.locator('html')).toHaveAttribute('lang', locale);
    await expectNoWcagViolations(page, `audit trail (${locale})`);
  });
}
