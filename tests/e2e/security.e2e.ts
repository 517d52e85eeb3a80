// Strong sign-in and session security in the built app: response headers and CSP, TOTP enrolment
// with the QR code and verification at sign-in, the idle timeout (server and browser halves),
// signing out everywhere, and the sign-in throttle's message.
import { expect, test, type Page } from '@playwright/test';
import { totpCode } from '../../local-stack/src/auth/mfa-totp';
import { e2eEnvironment } from './environment';
import { expectNoWcagViolations, freshStaff, LOCALES, submitSignIn, text, useLocale } from './support/security';

/** Collects Content-Security-Policy violations the browser reports on the console. */
function watchCsp(page: Page): string[] {
  const violations: string[] = [];
  page.on('console', (message) => {
    if (/Content Security Policy/i.test(message.text())) violations.push(message.text());
  });
  return violations;
}

async function enrolThroughAccountPage(page: Page): Promise<string> {
  await page.goto('/account');
  await page.getByRole('button', { name: text('fi', 'security_account_mfa_setup') }).click();
  await page.waitForURL((url) => url.pathname === '/mfa');
  await page.getByRole('button', { name: text('fi', 'security_mfa_enrol_start') }).click();
  const secret = (await page.getByTestId('mfa-secret').innerText()).replace(/\s+/g, '');
  expect(secret).toMatch(/^[A-Z2-7]{32}$/);
  await page.locator('#code').fill(totpCode(secret));
  await page.getByRole('button', { name: text('fi', 'security_mfa_verify_submit') }).click();
  await page.waitForURL((url) => url.pathname === '/account');
  await expect(page.getByTestId('account-notice')).toHaveText(text('fi', 'security_account_mfa_enabled'));
  return secret;
}

test.describe('response headers', () => {
  test('every page carries a strict CSP with nonces, no framing, no referrer, and no HSTS on plain-HTTP localhost', async ({ request }) => {
    const response = await request.get('/login');
    const headers = response.headers();
    const csp = headers['content-security-policy'] ?? '';
    expect(csp).toMatch(/script-src 'self' 'nonce-[^']+'/);
    expect(csp).not.toContain('unsafe-eval');
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).toContain("object-src 'none'");
    expect(csp).toContain('worker-src \'self\' blob:');
    const supabase = new URL(e2eEnvironment().supabaseUrl);
    expect(csp).toContain(`connect-src 'self' ${supabase.origin} ws://${supabase.host}`);
    expect(headers['x-frame-options']).toBe('DENY');
    expect(headers['x-content-type-options']).toBe('nosniff');
    expect(headers['referrer-policy']).toBe('no-referrer');
    expect(headers['strict-transport-security']).toBeUndefined();
    // Session cookies on http://127.0.0.1 cannot be Secure; elsewhere cookies.ts makes them so.
  });

  test('the app works under its policy: no violations while signing in and using the pages', async ({ page }) => {
    const violations = watchCsp(page);
    const user = await freshStaff('facility_staff');
    await submitSignIn(page, user.email);
    await page.waitForURL((url) => url.pathname === '/');
    await page.goto('/account');
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(text('fi', 'security_account_title'));
    expect(violations).toEqual([]);
  });
});

test.describe('two-step verification', () => {
  test('enrol with the QR code, then every sign-in asks for the code; a wrong code is refused in words', async ({ page }) => {
    const user = await freshStaff('caseworker');
    await submitSignIn(page, user.email);
    await page.waitForURL((url) => url.pathname === '/');
    const secret = await enrolThroughAccountPage(page);
    await expect(page.getByTestId('mfa-status')).toContainText(text('fi', 'security_account_mfa_on', { date: '' }).split(':')[0]!);

    await page.locator('header').getByRole('button', { name: text('fi', 'sign_out') }).click();
    await page.waitForURL((url) => url.pathname === '/login');

    await submitSignIn(page, user.email);
    await page.waitForURL((url) => url.pathname === '/mfa');
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(text('fi', 'security_mfa_title'));
    // The pages behind login stay closed until the code is given.
    await page.goto('/account');
    await page.waitForURL((url) => url.pathname === '/mfa');

    const right = totpCode(secret);
    const wrong = String((Number(right) + 500_000) % 1_000_000).padStart(6, '0');
    await page.locator('#code').fill(wrong);
    await page.getByRole('button', { name: text('fi', 'security_mfa_verify_submit') }).click();
    await expect(page.getByTestId('mfa-error')).toContainText(text('fi', 'security_mfa_error_wrong_code'));
    await expect(page.locator('#code')).toHaveAttribute('aria-invalid', 'true');

    await page.locator('#code').fill(totpCode(secret));
    await page.getByRole('button', { name: text('fi', 'security_mfa_verify_submit') }).click();
    await page.waitForURL((url) => url.pathname === '/account');
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(text('fi', 'security_account_title'));
  });

  test('the QR code decodes to the otpauth URI of the shown key (rendered as an image, not a broken link)', async ({ page }) => {
    const user = await freshStaff('facility_staff');
    await submitSignIn(page, user.email);
    await page.waitForURL((url) => url.pathname === '/');
    await page.goto('/mfa?setup=1&next=%2Faccount');
    await page.getByRole('button', { name: text('fi', 'security_mfa_enrol_start') }).click();
    const image = page.getByTestId('mfa-qr');
    await expect(image).toHaveAttribute('alt', text('fi', 'security_mfa_qr_alt'));
    // naturalWidth is 0 when the browser could not decode the SVG.
    await expect.poll(() => image.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth)).toBeGreaterThan(0);
  });

  for (const locale of LOCALES) {
    test(`the two-step verification and security pages pass axe in ${locale}`, async ({ page }) => {
      const user = await freshStaff('facility_staff', locale);
      await useLocale(page.context(), locale);
      await submitSignIn(page, user.email);
      await page.waitForURL((url) => url.pathname === '/');
      await useLocale(page.context(), locale);
      await page.goto('/account');
      await expect(page.getByRole('heading', { level: 1 })).toHaveText(text(locale, 'security_account_title'));
      await expectNoWcagViolations(page, `/account (${locale})`);
      await page.goto('/mfa?setup=1&next=%2Faccount');
      await page.getByRole('button', { name: text(locale, 'security_mfa_enrol_start') }).click();
      await expect(page.getByTestId('mfa-qr')).toBeVisible();
      await page.locator('#code').fill('12');
      await page.getByRole('button', { name: text(locale, 'security_mfa_verify_submit') }).click();
      await expect(page.getByTestId('mfa-error')).toContainText(text(locale, 'security_mfa_error_code_format'));
      await expectNoWcagViolations(page, `/mfa enrolment with an error (${locale})`);
    });
  }
});

test.describe('sessions', () => {
  test('a session idle longer than the timeout is signed out by the server on the next request', async ({ page, context }) => {
    const user = await freshStaff('facility_staff');
    await submitSignIn(page, user.email);
    await page.waitForURL((url) => url.pathname === '/');
    const thirtyOneMinutesAgo = Date.now() - 31 * 60_000;
    await context.addCookies([{ name: 'suoja-last-activity', value: String(thirtyOneMinutesAgo), url: e2eEnvironment().baseURL, httpOnly: true }]);
    await page.goto('/account');
    await page.waitForURL((url) => url.pathname === '/login');
    await page.goto('/account');
    await page.waitForURL((url) => url.pathname === '/login');
  });

  test('an open page with nobody at it is emptied and signed out after the timeout', async ({ page }) => {
    await page.clock.install();
    const user = await freshStaff('facility_staff');
    await submitSignIn(page, user.email);
    await page.waitForURL((url) => url.pathname === '/');
    await page.goto('/account');
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(text('fi', 'security_account_title'));
    await page.clock.fastForward('31:00');
    await page.waitForURL((url) => url.pathname === '/login');
    await expect(page.getByTestId('login-notice')).toHaveText(text('fi', 'login_signed_out_notice'));
    await page.goto('/account');
    await page.waitForURL((url) => url.pathname === '/login');
  });

  test('sign out everywhere ends the sessions in other browsers too', async ({ browser }) => {
    const user = await freshStaff('facility_staff');
    const laptop = await browser.newContext();
    const phone = await browser.newContext();
    try {
      const laptopPage = await laptop.newPage();
      const phonePage = await phone.newPage();
      for (const page of [laptopPage, phonePage]) {
        await submitSignIn(page, user.email);
        await page.waitForURL((url) => url.pathname === '/');
      }
      await laptopPage.goto('/account');
      await laptopPage.getByRole('button', { name: text('fi', 'security_account_sign_out_everywhere') }).click();
      await laptopPage.waitForURL((url) => url.pathname === '/login');

      // The phone's access token has not expired, but its session no longer exists.
      await phonePage.goto('/account');
      await phonePage.waitForURL((url) => url.pathname === '/login');
    } finally {
      await laptop.close();
      await phone.close();
    }
  });
});
