// The facility staff's screens in the built app against the real local stack: figures, the
// capacity form, "still accurate", live holds, arrival and departure, and accessibility.
// Writes go to a facility and clients of this file's own; the demo figures stay untouched.
import { expectNoWcagViolations } from './support/axe';
import { expect, test, type Page } from '@playwright/test';
import {
  expectLive,
  KAISLA,
  LOCALES,
  placeHold,
  placementStatus,
  removeScratchMembership,
  scratchClient,
  scratchFacilityForStaff,
  signedInClient,
  signIn,
  sql,
  text,
  textPattern,
  useLocale
} from './support/staff';

test.describe.configure({ mode: 'serial', timeout: 120_000 });

const FACILITY_NAME = `Testikoti Staff E2E ${Date.now().toString(36)}`;
let facilityId: string;

test.beforeAll(async () => {
  facilityId = await scratchFacilityForStaff(FACILITY_NAME);
});

test.afterAll(async () => {
  await removeScratchMembership(facilityId);
});

async function openFacility(page: Page): Promise<void> {
  await page.goto(`/my-facility/${facilityId}`);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(FACILITY_NAME);
}

async function reportCount(): Promise<number> {
  const [row] = await sql<{ count: string }>('select count(*)::text as count from public.capacity_reports where facility_id = $1', [facilityId]);
  return Number(row?.count);
}


test('a staff member of two facilities picks one from the list', async ({ page }) => {
  await signIn(page, 'staff@suoja.example');
  await page.getByRole('navigation', { name: text('fi', 'nav_main_label') }).getByRole('link', { name: text('fi', 'staff_nav') }).click();
  await expect(page).toHaveURL((url) => url.pathname === '/my-facility');
  const list = page.getByTestId('staff-facility-list');
  await expect(list.getByRole('link', { name: /Turvakoti Kaisla/ })).toBeVisible();
  await list.getByRole('link', { name: new RegExp(FACILITY_NAME) }).click();
  await expect(page).toHaveURL((url) => url.pathname === `/my-facility/${facilityId}`);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(FACILITY_NAME);
});

test('a bad figure is refused beside its field, in the user’s language, and nothing is saved', async ({ page }) => {
  await signIn(page, 'staff@suoja.example');
  await openFacility(page);
  const before = await reportCount();

  await page.getByLabel(text('fi', 'staff_field_out_of_service'), { exact: true }).fill('25');
  await page.getByLabel(text('fi', 'staff_field_out_of_service_reason')).fill('Vesivahinko');
  await page.getByRole('button', { name: text('fi', 'staff_capacity_submit') }).click();

  const fieldError = page.getByTestId('capacity-error-out_of_service');
  await expect(fieldError).toContainText(text('fi', 'staff_problem_invalid_out_of_service'));
  await expect(page.getByLabel(text('fi', 'staff_field_out_of_service'), { exact: true })).toHaveAttribute('aria-invalid', 'true');
  await expect(page.getByLabel(text('fi', 'staff_field_out_of_service'), { exact: true })).toHaveValue('25');
  await expect(page.getByTestId('capacity-error-summary')).toContainText(text('fi', 'staff_form_error_heading'));
  expect(await reportCount(), 'a refused update writes no capacity report').toBe(before);

  // Not a number at all, and a missing reason, in English.
  await useLocale(page.context(), 'en');
  await openFacility(page);
  await page.getByLabel(text('en', 'staff_field_capacity')).fill('twelve');
  await page.getByLabel(text('en', 'staff_field_out_of_service'), { exact: true }).fill('2');
  await page.getByRole('button', { name: text('en', 'staff_capacity_submit') }).click();
  await expect(page.getByTestId('capacity-error-capacity')).toContainText(text('en', 'staff_problem_not_whole_number'));
  await expect(page.getByTestId('capacity-error-out_of_service_reason')).toContainText(
    text('en', 'staff_problem_out_of_service_reason_required')
  );
  expect(await reportCount()).toBe(before);
  await expect(page.getByTestId('figure-capacity')).toHaveText('10');
});

test('“still accurate” renews stale figures, and a valid update changes them', async ({ page }) => {
  await signIn(page, 'staff@suoja.example');
  await openFacility(page);
  await expect(page.getByTestId('staff-stale-warning')).toContainText(text('fi', 'staff_stale_warning'));

  await page.getByRole('button', { name: text('fi', 'staff_confirm_button') }).click();
  await expect(page.getByTestId('confirm-done')).toHaveText(text('fi', 'staff_done_confirmed'));
  await expect(page.getByTestId('staff-stale-warning')).toHaveCount(0);
  await expect(page.getByTestId('figure-last-confirmed')).toContainText(`(${text('fi', 'staff_confirmed_by_you')})`);
  const [confirmed] = await sql<{ kind: string; capacity: number; reported_by: string }>(
    'select kind, capacity, reported_by from public.capacity_reports where facility_id = $1 order by reported_at desc, id desc limit 1',
    [facilityId]
  );
  expect(confirmed).toEqual({ kind: 'confirm', capacity: 10, reported_by: 'a0000000-0000-4000-8000-000000000002' });

  await page.getByLabel(text('fi', 'staff_field_capacity')).fill('14');
  await page.getByLabel(text('fi', 'staff_field_out_of_service'), { exact: true }).fill('2');
  await page.getByLabel(text('fi', 'staff_field_out_of_service_reason')).fill('Remontti');
  await page.getByLabel(text('fi', 'staff_field_occupied_by_others')).fill('1');
  await page.getByRole('button', { name: text('fi', 'staff_capacity_submit') }).click();
  await expect(page.getByTestId('capacity-done')).toHaveText(text('fi', 'staff_done_capacity_saved'));
  await expect(page.getByTestId('figure-capacity')).toHaveText('14');
  await expect(page.getByTestId('figure-out-of-service')).toHaveText('2');
  await expect(page.getByTestId('figure-occupied-by-others')).toHaveText('1');
  await expect(page.getByTestId('figure-free')).toHaveText('11');
  await expect(page.getByTestId('figure-out-of-service-reason')).toContainText('Remontti');
  const [latest] = await sql(
    `select kind, capacity, out_of_service, out_of_service_reason, occupied_by_others
     from public.capacity_reports where facility_id = $1 order by reported_at desc, id desc limit 1`,
    [facilityId]
  );
  expect(latest).toEqual({ kind: 'update', capacity: 14, out_of_service: 2, out_of_service_reason: 'Remontti', occupied_by_others: 1 });
});

test('a coordinator’s hold appears live, is accepted, and another facility’s staff never see it; then arrival and departure', async ({
  page,
  browser
}) => {
  const client = await scratchClient([{ birthYear: new Date().getFullYear() - 7, gender: 'female' }]);
  const otherContext = await browser.newContext();
  const coordinator = await signedInClient('coordinator@suoja.example');
  const staff2 = await signedInClient('staff2@suoja.example');
  try {
    await signIn(page, 'staff@suoja.example');
    await openFacility(page);
    await expectLive(page);
    await expect(page.getByTestId('staff-announcements')).toHaveAttribute('aria-live', 'polite');
    // Survives only as long as the page is not reloaded.
    await page.evaluate(() => ((window as unknown as { staffNoReload: boolean }).staffNoReload = true));

    const otherPage = await otherContext.newPage();
    await signIn(otherPage, 'staff2@suoja.example');
    await otherPage.goto('/my-facility');
    await expect(otherPage.getByRole('heading', { level: 1 })).toHaveText('Turvakoti Paju');
    await expectLive(otherPage);

    const holdId = await placeHold(coordinator, client, facilityId);

    const announcement = page.getByTestId('staff-hold-announcement');
    await expect(announcement).toContainText(client.code);
    await expect(announcement).toContainText(textPattern('fi', 'staff_hold_announcement', { code: client.code, persons: '2' }));
    const card = page.locator(`[data-testid="staff-hold"][data-placement-id="${holdId}"]`);
    await expect(card).toContainText(client.code);
    await expect(card.getByTestId('staff-hold-new')).toHaveText(text('fi', 'staff_hold_new_badge'));
    await expect(card.getByTestId('placement-persons')).toHaveText('2');
    await expect(card).toContainText(text('fi', 'staff_child_female', { age: '7' }));
    await expect(card).toContainText(text('fi', 'staff_level_2'));
    await expect(card.getByTestId('hold-deadline')).toContainText(/\d+ t \d+ min/);
    expect(await page.evaluate(() => (window as unknown as { staffNoReload?: boolean }).staffNoReload)).toBe(true);

    await card.getByRole('button', { name: text('fi', 'staff_accept') }).click();
    await expect(page.getByTestId('placement-action-done')).toHaveText(text('fi', 'staff_done_accepted'));
    expect((await placementStatus(holdId)).status).toBe('accepted');
    const arrival = page.locator(`[data-testid="staff-arrival"][data-placement-id="${holdId}"]`);
    await expect(arrival).toContainText(client.code);

    // staff2@ (Paju) saw nothing of it, live or after a reload, and cannot read it or open the facility.
    await expect(otherPage.locator('main')).not.toContainText(client.code);
    await otherPage.reload();
    await expect(otherPage.getByRole('heading', { level: 1 })).toHaveText('Turvakoti Paju');
    await expect(otherPage.locator('main')).not.toContainText(client.code);
    const { data: visible } = await staff2.from('placements').select('id').eq('id', holdId);
    expect(visible).toEqual([]);
    const foreign = await otherPage.goto(`/my-facility/${facilityId}`);
    expect(foreign?.status()).toBe(404);
    await expect(otherPage.locator('main')).not.toContainText(FACILITY_NAME);

    // Arrival
    await arrival.getByRole('button', { name: text('fi', 'staff_record_arrival') }).click();
    await expect(page.getByTestId('placement-action-done')).toHaveText(text('fi', 'staff_done_arrived'));
    expect((await placementStatus(holdId)).status).toBe('active');
    const resident = page.locator(`[data-testid="staff-resident"][data-placement-id="${holdId}"]`);
    await expect(resident).toContainText(client.code);
    await expect(page.getByTestId('figure-occupied')).toHaveText('2');

    // Departure: a reason is required, and nothing changes without one.
    await resident.getByText(text('fi', 'staff_end_open')).click();
    await resident.getByRole('button', { name: text('fi', 'staff_end_submit') }).click();
    await expect(resident.getByTestId('reason-error')).toContainText(text('fi', 'staff_problem_reason_required'));
    expect((await placementStatus(holdId)).status).toBe('active');
    await resident.getByLabel(text('fi', 'staff_end_reason')).fill('Muutti omaan asuntoon');
    await resident.getByRole('button', { name: text('fi', 'staff_end_submit') }).click();
    await expect(page.getByTestId('placement-action-done')).toHaveText(text('fi', 'staff_done_ended'));
    await expect(resident).toHaveCount(0);
    expect(await placementStatus(holdId)).toMatchObject({ status: 'ended', end_reason: 'Muutti omaan asuntoon' });
  } finally {
    await otherContext.close();
    await coordinator.removeAllChannels();
    await staff2.removeAllChannels();
  }
});

test('a hold is declined only with a reason, which the coordinator then has', async ({ page }) => {
  const client = await scratchClient();
  const coordinator = await signedInClient('coordinator@suoja.example');
  const holdId = await placeHold(coordinator, client, facilityId);
  await signIn(page, 'staff@suoja.example');
  await openFacility(page);
  const card = page.locator(`[data-testid="staff-hold"][data-placement-id="${holdId}"]`);
  await card.getByText(text('fi', 'staff_decline_open')).click();
  await card.getByRole('button', { name: text('fi', 'staff_decline_submit') }).click();
  await expect(card.getByTestId('reason-error')).toContainText(text('fi', 'staff_problem_reason_required'));
  expect((await placementStatus(holdId)).status).toBe('hold');

  await card.getByLabel(text('fi', 'staff_decline_reason')).fill('Ei sopivaa huonetta');
  await card.getByRole('button', { name: text('fi', 'staff_decline_submit') }).click();
  await expect(page.getByTestId('placement-action-done')).toHaveText(text('fi', 'staff_done_declined'));
  await expect(card).toHaveCount(0);
  expect(await placementStatus(holdId)).toMatchObject({ status: 'declined', decline_reason: 'Ei sopivaa huonetta' });
  const { data } = await coordinator.from('placements').select('decline_reason').eq('id', holdId).single();
  expect(data?.decline_reason).toBe('Ei sopivaa huonetta');
});

test('other roles are turned away from the staff screens', async ({ page }) => {
  await signIn(page, 'coordinator@suoja.example');
  const response = await page.goto(`/my-facility/${KAISLA}`);
  expect(response?.status()).toBe(403);
  await expect(page.locator('main')).toContainText(text('fi', 'staff_error_not_staff'));
});

for (const locale of LOCALES) {
  test(`the staff screens have no WCAG 2.1 A/AA violations (${locale})`, async ({ page, context }) => {
    const client = await scratchClient([{ birthYear: 2016, gender: 'male' }]);
    const coordinator = await signedInClient('coordinator@suoja.example');
    await placeHold(coordinator, client, facilityId);

    await signIn(page, 'staff@suoja.example');
    await useLocale(context, locale);
    await page.goto('/my-facility');
    await expect(page.locator('html')).toHaveAttribute('lang', locale);
    await expect(page.getByTestId('staff-facility-list')).toBeVisible();
    await expectNoWcagViolations(page, `the facility picker (${locale})`);

    await openFacility(page);
    await expect(page.locator(`[data-testid="staff-hold"]`).filter({ hasText: client.code })).toBeVisible();
    await expectLive(page);
    await expectNoWcagViolations(page, `the facility screen (${locale})`);

    await page.getByLabel(text(locale, 'staff_field_capacity')).fill('-3');
    await page.getByRole('button', { name: text(locale, 'staff_capacity_submit') }).click();
    await expect(page.getByTestId('capacity-error-capacity')).toContainText(text(locale, 'staff_problem_invalid_capacity'));
    const hold = page.locator(`[data-testid="staff-hold"]`).filter({ hasText: client.code });
    await hold.getByText(text(locale, 'staff_decline_open')).click();
    await hold.getByRole('button', { name: text(locale, 'staff_decline_submit') }).click();
    await expect(hold.getByTestId('reason-error')).toBeVisible();
    await expectNoWcagViolations(page, `the facility screen with errors (${locale})`);
    await page.setViewportSize({ width: 768, height: 1024 });
    await expectNoWcagViolations(page, `the facility screen on a tablet (${locale})`);
  });
}
