// The accessibility statement and the privacy notice: reachable before sign-in and from every
// page's footer, in all three languages, without WCAG violations.
import { expect, test } from '@playwright/test';
import { expectNoWcagViolations, LOCALES, signIn, text, useLocale } from './support/admin';

for (const locale of LOCALES) {
  test(`the accessibility statement and privacy notice open from the sign-in page’s footer (${locale})`, async ({ page, context }) => {
    await useLocale(context, locale);
    await page.goto('/login');
    await page.getByRole('contentinfo').getByRole('link', { name: text(locale, 'public_footer_accessibility') }).click();
    await expect(page).toHaveURL(/\/accessibility$/);
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(text(locale, 'public_a11y_title'));
    await expect(page.getByTestId('a11y-status')).toHaveText(text(locale, 'public_a11y_status_text'));
    await expect(page.getByText(text(locale, 'public_a11y_enforcement_contact'))).toBeVisible();
    await expectNoWcagViolations(page, `the accessibility statement (${locale})`);

    await page.getByRole('contentinfo').getByRole('link', { name: text(locale, 'public_footer_privacy') }).click();
    await expect(page).toHaveURL(/\/privacy$/);
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(text(locale, 'public_privacy_title'));
    await expect(page.getByTestId('privacy-controller')).toHaveText(text(locale, 'public_privacy_controller_text'));
    await expectNoWcagViolations(page, `the privacy notice (${locale})`);
  });
}

test('both pages answer without a session and are linked from a signed-in page too', async ({ page, request }) => {
  for (const path of ['/accessibility', '/privacy']) {
    const response = await request.get(path, { maxRedirects: 0 });
    expect(response.status(), `GET ${path} signed out`).toBe(200);
  }
  await signIn(page, 'auditor@suoja.example');
  await page.goto('/');
  await expect(page.getByRole('contentinfo').getByRole('link', { name: text('fi', 'public_footer_privacy') })).toHaveAttribute('href', '/privacy');
  await expect(page.getByRole('contentinfo').getByRole('link', { name: text('fi', 'public_footer_accessibility') })).toHaveAttribute('href', '/accessibility');
});

test('the statement reads well on a phone', async ({ page }) => {
  await page.setViewportSize({ width: 375, height: 800 });
  await page.goto('/accessibility');
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  expect(overflow, 'no sideways scrolling on a phone').toBeLessThanOrEqual(0);
});
