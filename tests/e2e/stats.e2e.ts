// Statistics for coordinators: charts with tables, the period picker, CSV downloads, and no
// access for other roles.
import { expect, test } from '@playwright/test';
import { expectNoWcagViolations, LOCALES, signIn, text } from './support/admin';

test('a coordinator reads every statistic as a chart and a table, and changes the period', async ({ page }) => {
  await signIn(page, 'coordinator@suoja.example');
  await page.goto('/');
  await page.getByRole('navigation', { name: text('fi', 'nav_main_label') }).getByRole('link', { name: text('fi', 'stats_nav') }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(text('fi', 'stats_title'));

  for (const id of ['occupancy', 'placements', 'stay', 'unmet', 'stale']) {
    const section = page.getByTestId(`stats-section-${id}`);
    await expect(section.getByRole('img'), `the ${id} chart`).toHaveCount(1);
    await expect(section.getByTestId(`stats-table-${id}`).locator('tbody tr').first()).toBeVisible();
  }
  await expect(page.getByTestId('stats-section-holds')).toBeVisible();
  // The seed has two years of stays: the table names "all kinds" with a median.
  await expect(page.getByTestId('stats-table-stay')).toContainText(text('fi', 'stats_all_kinds'));

  await page.getByRole('link', { name: text('fi', 'stats_preset_last_3_months') }).click();
  await expect(page).toHaveURL(/from=\d{4}-\d{2}-01&to=\d{4}-\d{2}-\d{2}/);
  await expect(page.getByTestId('stats-table-placements').locator('tbody tr')).toHaveCount(3);
});

test('a reversed period is explained beside the field and no figures are shown', async ({ page }) => {
  await signIn(page, 'coordinator@suoja.example');
  await page.goto('/stats?from=2026-05-01&to=2026-01-01');
  await expect(page.getByText(text('fi', 'stats_error_end_before_start'))).toBeVisible();
  await expect(page.locator('#to')).toHaveAttribute('aria-invalid', 'true');
  await expect(page.getByTestId('stats-section-occupancy')).toHaveCount(0);
});

test('each table downloads as a CSV file with the same figures', async ({ page }) => {
  await signIn(page, 'coordinator@suoja.example');
  await page.goto('/stats?from=2025-06-01&to=2025-11-30');
  const download = page.waitForEvent('download');
  await page.getByTestId('stats-csv-placements').click();
  const file = await download;
  expect(file.suggestedFilename()).toBe('suoja-placements-2025-06-01-2025-11-30.csv');

  const response = await page.request.get('/stats/export/placements?from=2025-06-01&to=2025-11-30');
  expect(response.headers()['content-disposition']).toBe('attachment; filename="suoja-placements-2025-06-01-2025-11-30.csv"');
  expect(response.headers()['content-type']).toBe('text/csv; charset=utf-8');
  const lines = (await response.text()).replace(/^\uFEFF/, '').trim().split('\r\n');
  expect(lines[0]).toBe([text('fi', 'stats_col_month'), text('fi', 'stats_col_started'), text('fi', 'stats_col_persons_started'), text('fi', 'stats_col_ended'), text('fi', 'stats_col_persons_ended')].join(','));
  expect(lines).toHaveLength(7);
  expect(lines[1]).toMatch(/^2025-06-01,\d+,\d+,\d+,\d+$/);
  const tableRows = page.getByTestId('stats-table-placements').locator('tbody tr');
  await expect(tableRows).toHaveCount(6);
  const started = (await tableRows.first().locator('td').first().innerText()).replace(/\s/g, '');
  expect(lines[1]?.split(',')[1]).toBe(started);
});

test('other roles cannot open the statistics or download them', async ({ page }) => {
  await signIn(page, 'staff@suoja.example');
  const response = await page.goto('/stats');
  expect(response?.status()).toBe(403);
  expect((await page.request.get('/stats/export/occupancy')).status()).toBe(403);
  await expect(page.getByRole('navigation', { name: text('fi', 'nav_main_label') }).getByRole('link', { name: text('fi', 'stats_nav') })).toHaveCount(0);
});

for (const locale of LOCALES) {
  test(`the statistics page has no WCAG 2.1 A/AA violations (${locale})`, async ({ page }) => {
    // axe over every table of the page takes several seconds, many more on a busy 2-core runner.
    test.slow();
    await signIn(page, 'coordinator@suoja.example', locale);
    await page.goto('/stats');
    await expect(page.locator('html')).toHaveAttribute('lang', locale);
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(text(locale, 'stats_title'));
    await expectNoWcagViolations(page, `statistics (${locale})`);
  });
}

test('the statistics fit a tablet and a phone without sideways scrolling of the page', async ({ page }) => {
  await signIn(page, 'coordinator@suoja.example');
  for (const width of [768, 375]) {
    await page.setViewportSize({ width, height: 900 });
    await page.goto('/stats');
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(overflow, `page overflow at ${width}px`).toBeLessThanOrEqual(0);
  }
});
