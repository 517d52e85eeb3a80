// Failure drill in the browser: the network goes away while the app is open. The page says so
// at once, an action tried meanwhile is not queued to happen later behind the user's back, and
// when the network returns the notice goes and the page works again.
// (Postgres and gateway restarts are drilled in the browser in restart-drills.e2e.ts, against a
// stack of their own so the shared one stays up for the other worker.)
import { expect, test } from '@playwright/test';
import { adminClient, freshStaff, submitSignIn, text } from './support/security';

test('offline and back: the page says so, nothing is queued, it works again afterwards', async ({ page, context }) => {
  const user = await freshStaff('facility_staff');
  await submitSignIn(page, user.email);
  await page.waitForURL((url) => url.pathname === '/');
  await page.goto('/mfa?setup=1&next=%2Faccount');
  const banner = page.getByTestId('connection-banner');

  await context.setOffline(true);
  await expect(banner).toHaveText(text('fi', 'security_offline_banner'));
  await expect(banner).toHaveAttribute('role', 'status');
  // Starting the set-up needs the server: it fails now and must not happen later by itself.
  await page.getByRole('button', { name: text('fi', 'security_mfa_enrol_start') }).click();
  await expect(page.getByTestId('mfa-qr')).toHaveCount(0);

  await context.setOffline(false);
  await expect(banner).toBeHidden();
  const { data } = await adminClient().auth.admin.mfa.listFactors({ userId: user.id });
  expect(data?.factors ?? []).toEqual([]);

  await page.goto('/mfa?setup=1&next=%2Faccount');
  await page.getByRole('button', { name: text('fi', 'security_mfa_enrol_start') }).click();
  await expect(page.getByTestId('mfa-qr')).toBeVisible();
});
