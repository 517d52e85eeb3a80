// Shared by the security end-to-end tests (issue 9): fresh staff users (so the demo accounts
// other tests sign in with never get a second factor), sign-in through the form, messages.
import { readFileSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import { createClient } from '@supabase/supabase-js';
import type { BrowserContext, Page } from '@playwright/test';
import WebSocket from 'ws';
import { e2eEnvironment } from '../environment';
export { expectNoWcagViolations } from './axe';

export const LOCALES = ['fi', 'sv', 'en'] as const;
export type Locale = (typeof LOCALES)[number];
export const PASSWORD = 'security-e2e-password';

type Messages = Record<string, string>;
const read = (path: string): Messages => JSON.parse(readFileSync(new URL(path, import.meta.url), 'utf8')) as Messages;
const messages: Record<Locale, Messages> = {
  fi: { ...read('../../../messages/fi.json'), ...read('../../../messages/security/fi.json') },
  sv: { ...read('../../../messages/sv.json'), ...read('../../../messages/security/sv.json') },
  en: { ...read('../../../messages/en.json'), ...read('../../../messages/security/en.json') }
};

export function text(locale: Locale, key: string, params: Record<string, string | number> = {}): string {
  const template = messages[locale][key];
  if (template === undefined) throw new Error(`no message "${key}" in ${locale}`);
  return template.replace(/\{(\w+)\}/g, (_match, name: string) => String(params[name] ?? `{${name}}`));
}

export function adminClient() {
  const env = e2eEnvironment();
  return createClient(env.supabaseUrl, env.secretKey, {
    auth: { persistSession: false, autoRefreshToken: false },
    realtime: { transport: WebSocket as unknown as typeof globalThis.WebSocket }
  });
}

/** A staff member of their own for one test, with a role and a language. */
export async function freshStaff(role: 'coordinator' | 'facility_staff' | 'caseworker' | 'admin' | 'auditor', locale: Locale = 'fi') {
  const email = `security-${role}-${randomUUID().slice(0, 8)}@suoja.example`;
  const { data, error } = await adminClient().auth.admin.createUser({
    email,
    password: PASSWORD,
    email_confirm: true,
    app_metadata: { role },
    user_metadata: { display_name: `Testi ${role}`, preferred_language: locale }
  });
  if (error) throw error;
  return { id: data.user.id, email };
}

export async function useLocale(context: BrowserContext, locale: Locale): Promise<void> {
  await context.addCookies([{ name: 'PARAGLIDE_LOCALE', value: locale, url: e2eEnvironment().baseURL }]);
}

/** Fills in and submits the sign-in form; where the browser lands is up to the test. */
export async function submitSignIn(page: Page, email: string, password = PASSWORD): Promise<void> {
  await page.goto('/login');
  await page.locator('#email').fill(email);
  await page.locator('#password').fill(password);
  await page.locator('main button[type="submit"]').click();
}

