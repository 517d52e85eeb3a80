// WCAG 2.1 A/AA checks with axe on the sign-in and home pages, in each of the three languages.
import { expect, test, type BrowserContext } from '@playwright/test';
import { expectNoWcagViolations } from './support/axe';
import { e2eEnvironment } from './environment';

const LOCALES = ['fi', 'sv', 'en'] as const;
type Locale = (typeof LOCALES)[number];

// Paraglide's cookie strategy: setting it directly changes only this browser, not a profile.
const LOCALE_COOKIE = 'PARAGLIDE_LOCALE';

async function useLocale(context: BrowserContext, locale: Locale): Promise<void> {
  await context.addCookies([{ name: LOCALE_COOKIE, value: locale, url: e2eEnvironment().baseURL }]);
}


for (const locale of LOCALES) {
  test.describe(`in ${locale}`, () => {
    test('the sign-in page, empty and with errors, has no WCAG 2.1 A/AA violations', async ({ page, context }) => {
      await useLocale(context, locale);
      await page.goto('/login');
      await expect(page.locator('html')).toHaveAttribute('lang', locale);
      await expectNoWcagViolations(page, `the sign-in page (${locale})`);

      await page.locator('#email').fill('not-an-address');
      await page.locator('main button[type="submit"]').click();
      await expect(page.locator('#email')).toHaveAttribute('aria-invalid', 'true');
      await expectNoWcagViolations(page, `the sign-in page with field errors (${locale})`);

      await page.locator('#email').fill('coordinator@suoja.example');
      await page.locator('#password').fill('not-the-password');
      await page.locator('main button[type="submit"]').click();
      await expect(page.getByTestId('login-error')).toBeVisible();
      await expectNoWcagViolations(page, `the sign-in page after a refused sign-in (${locale})`);
    });

    test('the home page has no WCAG 2.1 A/AA violations', async ({ page, context }) => {
      await page.goto('/login');
      await page.locator('#email').fill('coordinator@suoja.example');
      await page.locator('#password').fill('suoja-demo');
      await page.locator('main button[type="submit"]').click();
      await page.waitForURL((url) => url.pathname === '/');

      // After sign-in, so that the profile's language (set at sign-in) does not override it.
      await useLocale(context, locale);
      await page.reload();
      await expect(page.locator('html')).toHaveAttribute('lang', locale);
      await expect(page.getByTestId('greeting')).toBeVisible();
      await expectNoWcagViolations(page, `the home page (${locale})`);
    });
  });
}

test('the skip link is the first thing the keyboard reaches and moves focus to the main content', async ({ page }) => {
  await page.goto('/login');
  await page.keyboard.press('Tab');
  const skipLink = page.locator('.skip-link');
  await expect(skipLink).toBeFocused();
  await expect(skipLink).toBeInViewport();
  await page.keyboard.press('Enter');
  await expect(page.locator('main#main')).toBeFocused();
});
