// Sign-in, roles, the live figure, language and sign-out, in the built app against the real
// local stack (started by global-setup.ts with the seeded demo users).
import { readFileSync } from 'node:fs';
import { createClient } from '@supabase/supabase-js';
import { expect, test, type Page } from '@playwright/test';
import pg from 'pg';
import WebSocket from 'ws';
import { e2eEnvironment } from './environment';

const DEMO_PASSWORD = 'suoja-demo';

type Locale = 'fi' | 'sv' | 'en';
type Messages = Record<string, string>;

const messages: Record<Locale, Messages> = {
  fi: JSON.parse(readFileSync(new URL('../../messages/fi.json', import.meta.url), 'utf8')) as Messages,
  sv: JSON.parse(readFileSync(new URL('../../messages/sv.json', import.meta.url), 'utf8')) as Messages,
  en: JSON.parse(readFileSync(new URL('../../messages/en.json', import.meta.url), 'utf8')) as Messages
};

/** A message as the app renders it, with `{param}` placeholders filled in. */
function text(locale: Locale, key: string, params: Record<string, string> = {}): string {
  const template = messages[locale][key];
  if (template === undefined) throw new Error(`messages/${locale}.json has no "${key}"`);
  return template.replace(/\{(\w+)\}/g, (_match, name: string) => params[name] ?? `{${name}}`);
}

const DEMO_USERS = [
  { email: 'coordinator@suoja.example', role: 'coordinator' },
  { email: 'staff@suoja.example', role: 'facility_staff' },
  { email: 'caseworker@suoja.example', role: 'caseworker' },
  { email: 'admin@suoja.example', role: 'admin' },
  { email: 'auditor@suoja.example', role: 'auditor' }
] as const;

/** The user whose language the language tests change (and put back). */
const LANGUAGE_TEST_USER = 'auditor@suoja.example';

async function sql<Row extends Record<string, unknown>>(query: string, params: unknown[] = []): Promise<Row[]> {
  const client = new pg.Client({ connectionString: e2eEnvironment().databaseUrl });
  await client.connect();
  try {
    return (await client.query<Row>(query, params)).rows;
  } finally {
    await client.end();
  }
}

async function displayNameOf(email: string): Promise<string> {
  const [row] = await sql<{ display_name: string }>('select display_name from public.staff where email = $1', [email]);
  if (!row) throw new Error(`the seed has no staff row for ${email}`);
  return row.display_name;
}

async function setPreferredLanguage(email: string, locale: Locale): Promise<void> {
  await sql('update public.staff set preferred_language = $2 where email = $1', [email, locale]);
}

/** The number of active facilities this user may see, asked through the Data API as that user. */
async function activeFacilitiesVisibleTo(email: string): Promise<number> {
  const { supabaseUrl, publishableKey } = e2eEnvironment();
  const supabase = createClient(supabaseUrl, publishableKey, {
    auth: { persistSession: false, autoRefreshToken: false },
    realtime: { transport: WebSocket as never }
  });
  const { error: signInError } = await supabase.auth.signInWithPassword({ email, password: DEMO_PASSWORD });
  if (signInError) throw signInError;
  const { count, error } = await supabase.from('facilities').select('id', { count: 'exact', head: true }).eq('active', true);
  if (error) throw error;
  await supabase.auth.signOut({ scope: 'local' });
  return count ?? 0;
}

async function signIn(page: Page, email: string, password: string, locale: Locale = 'fi'): Promise<void> {
  await page.getByLabel(text(locale, 'login_email_label')).fill(email);
  await page.getByLabel(text(locale, 'login_password_label')).fill(password);
  await page.getByRole('button', { name: text(locale, 'login_submit') }).click();
}

async function signOut(page: Page, locale: Locale): Promise<void> {
  await page.getByRole('button', { name: text(locale, 'sign_out') }).click();
  await page.waitForURL((url) => url.pathname === '/login');
}

/** Asserts `value` lies between two readings taken before and after it (in either order). */
function expectWithin(value: number, reading1: number, reading2: number, what: string): void {
  expect(value, what).toBeGreaterThanOrEqual(Math.min(reading1, reading2));
  expect(value, what).toBeLessThanOrEqual(Math.max(reading1, reading2));
}

function figureValue(raw: string): number {
  return Number(raw.replace(/[\s,]/g, ''));
}

test.beforeAll(async () => {
  // A run that was interrupted midway may have left the language test user in Swedish.
  await setPreferredLanguage(LANGUAGE_TEST_USER, 'fi');
});

for (const { email, role } of DEMO_USERS) {
  test(`${role} signs in and is greeted by name and role, with the active-facility count they may see`, async ({ page }) => {
    const displayName = await displayNameOf(email);
    const countBefore = await activeFacilitiesVisibleTo(email);

    await page.goto('/login');
    await signIn(page, email, DEMO_PASSWORD);
    await page.waitForURL((url) => url.pathname === '/');

    await expect(page.getByRole('heading', { level: 1 })).toHaveText(text('fi', 'home_greeting', { name: displayName }));
    await expect(page.getByTestId('role')).toHaveText(
      text('fi', 'home_role', { role: text('fi', `role_${role}`) })
    );
    await expect(page.getByTestId('header-user')).toContainText(displayName);
    await expect(page).toHaveTitle(text('fi', 'page_title', { page: text('fi', 'home_title') }));

    const figure = page.getByTestId('active-facilities-count');
    await expect(figure).toHaveText(/^\d[\d\s,]*$/);
    // Other e2e files may add facilities while this runs: the page's figure must lie between what
    // RLS let this user count just before and just after the page was rendered.
    const countAfter = await activeFacilitiesVisibleTo(email);
    expectWithin(figureValue(await figure.innerText()), countBefore, countAfter, 'the home page figure equals what RLS lets this user count');
  });
}

test('the coordinator’s figure counts every active facility in the database', async ({ page }) => {
  const activeInDatabase = async () =>
    Number((await sql<{ active: string }>('select count(*)::text as active from public.facilities where active'))[0]?.active);
  const countBefore = await activeInDatabase();
  expect(countBefore, 'the seed has active facilities, so the figure proves a real read').toBeGreaterThan(0);

  await page.goto('/login');
  await signIn(page, 'coordinator@suoja.example', DEMO_PASSWORD);
  await page.waitForURL((url) => url.pathname === '/');
  const shown = figureValue(await page.getByTestId('active-facilities-count').innerText());
  expectWithin(shown, countBefore, await activeInDatabase(), 'the coordinator sees every active facility');
});

test('a wrong password and an unknown address get the same translated error', async ({ page }) => {
  await page.goto('/login');
  await signIn(page, 'coordinator@suoja.example', 'not-the-password');
  await expect(page.getByTestId('login-error')).toContainText(text('fi', 'login_error_invalid_credentials'));
  await expect(page).toHaveURL(/\/login/);
  const wrongPasswordMessage = await page.getByTestId('login-error').innerText();

  await signIn(page, 'nobody@suoja.example', 'not-the-password');
  await expect(page.getByTestId('login-error')).toHaveText(wrongPasswordMessage);

  // The same in English, after switching on the sign-in page itself.
  await page.getByRole('button', { name: 'English' }).click();
  await expect(page.locator('html')).toHaveAttribute('lang', 'en');
  await signIn(page, 'coordinator@suoja.example', 'not-the-password', 'en');
  await expect(page.getByTestId('login-error')).toContainText(text('en', 'login_error_invalid_credentials'));
});

test('missing and malformed fields are reported beside the field', async ({ page }) => {
  await page.goto('/login');
  await signIn(page, 'not-an-address', '');
  await expect(page.getByText(text('fi', 'login_error_email_invalid'))).toBeVisible();
  await expect(page.getByText(text('fi', 'login_error_password_required'))).toBeVisible();
  await expect(page.getByLabel(text('fi', 'login_email_label'))).toHaveAttribute('aria-invalid', 'true');
  await expect(page.getByLabel(text('fi', 'login_email_label'))).toHaveValue('not-an-address');
});

test('a signed-out visit to an app page lands on the sign-in page and returns there afterwards', async ({ page }) => {
  await page.goto('/?view=list');
  await expect(page).toHaveURL((url) => url.pathname === '/login' && url.searchParams.get('redirectTo') === '/?view=list');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(text('fi', 'login_title'));
  await expect(page.getByTestId('login-notice')).toHaveText(text('fi', 'login_continue_notice'));

  await signIn(page, 'caseworker@suoja.example', DEMO_PASSWORD);
  await page.waitForURL((url) => url.pathname === '/' && url.search === '?view=list');
  await expect(page.getByTestId('greeting')).toBeVisible();
});

test('sign-in never redirects to another site', async ({ page }) => {
  await page.goto(`/login?redirectTo=${encodeURIComponent('https://evil.example/phish')}`);
  await signIn(page, 'staff@suoja.example', DEMO_PASSWORD);
  await page.waitForURL((url) => url.pathname === '/');
  expect(new URL(page.url()).host).toBe(new URL(e2eEnvironment().baseURL).host);
});

test('signing out ends the session: app pages lead to sign-in again', async ({ page }) => {
  await page.goto('/login');
  await signIn(page, 'admin@suoja.example', DEMO_PASSWORD);
  await page.waitForURL((url) => url.pathname === '/');

  await signOut(page, 'fi');
  await expect(page.getByTestId('login-notice')).toHaveText(text('fi', 'login_signed_out_notice'));
  const authCookies = (await page.context().cookies()).filter((cookie) => cookie.name.startsWith('sb-'));
  expect(authCookies, 'no auth cookie is left after signing out').toEqual([]);

  await page.goto('/');
  await expect(page).toHaveURL(/\/login/);
});

test('the language follows the user: page text and <html lang> change, and survive a reload and a new sign-in', async ({
  page,
  browser
}) => {
  const displayName = await displayNameOf(LANGUAGE_TEST_USER);
  try {
    await page.goto('/login');
    await signIn(page, LANGUAGE_TEST_USER, DEMO_PASSWORD);
    await page.waitForURL((url) => url.pathname === '/');
    await expect(page.locator('html')).toHaveAttribute('lang', 'fi');

    await page.getByRole('button', { name: 'Svenska' }).click();
    await expect(page.locator('html')).toHaveAttribute('lang', 'sv');
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(text('sv', 'home_greeting', { name: displayName }));
    await expect(page.getByTestId('role')).toHaveText(text('sv', 'home_role', { role: text('sv', 'role_auditor') }));
    await expect(page).toHaveTitle(text('sv', 'page_title', { page: text('sv', 'home_title') }));
    await expect(page.getByRole('button', { name: 'Svenska' })).toHaveAttribute('aria-current', 'true');

    await page.reload();
    await expect(page.locator('html')).toHaveAttribute('lang', 'sv');
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(text('sv', 'home_greeting', { name: displayName }));

    const [row] = await sql<{ preferred_language: string }>(
      'select preferred_language from public.staff where email = $1',
      [LANGUAGE_TEST_USER]
    );
    expect(row?.preferred_language, 'the choice is saved in the staff profile').toBe('sv');

    await signOut(page, 'sv');
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(text('sv', 'login_title'));

    // A browser that has never seen this user: the language comes from the profile at sign-in.
    const freshContext = await browser.newContext();
    try {
      const freshPage = await freshContext.newPage();
      await freshPage.goto('/login');
      await expect(freshPage.locator('html')).toHaveAttribute('lang', 'fi');
      await signIn(freshPage, LANGUAGE_TEST_USER, DEMO_PASSWORD, 'fi');
      await freshPage.waitForURL((url) => url.pathname === '/');
      await expect(freshPage.locator('html')).toHaveAttribute('lang', 'sv');
      await expect(freshPage.getByRole('heading', { level: 1 })).toHaveText(
        text('sv', 'home_greeting', { name: displayName })
      );
    } finally {
      await freshContext.close();
    }
  } finally {
    await setPreferredLanguage(LANGUAGE_TEST_USER, 'fi');
  }
});
