// Shared by the statistics, administration, audit, feed and public-page tests (issue 8).
import { readFileSync } from 'node:fs';
import { createClient, type SupabaseClient } from '@supabase/supabase-js';
import type { BrowserContext, Page } from '@playwright/test';
import pg from 'pg';
import WebSocket from 'ws';
import { e2eEnvironment } from '../environment';
export { expectNoWcagViolations } from './axe';

export const DEMO_PASSWORD = 'suoja-demo';
export const LOCALES = ['fi', 'sv', 'en'] as const;
export type Locale = (typeof LOCALES)[number];

type Messages = Record<string, string>;
const read = (path: string): Messages => JSON.parse(readFileSync(new URL(path, import.meta.url), 'utf8')) as Messages;
const messages: Record<Locale, Messages> = {
  fi: { ...read('../../../messages/fi.json'), ...read('../../../messages/admin/fi.json') },
  sv: { ...read('../../../messages/sv.json'), ...read('../../../messages/admin/sv.json') },
  en: { ...read('../../../messages/en.json'), ...read('../../../messages/admin/en.json') }
};

/** A message as the app renders it, with `{param}` placeholders filled in. */
export function text(locale: Locale, key: string, params: Record<string, string | number> = {}): string {
  const template = messages[locale][key];
  if (template === undefined) throw new Error(`no message "${key}" in ${locale}`);
  return template.replace(/\{(\w+)\}/g, (_match, name: string) => String(params[name] ?? `{${name}}`));
}

export async function useLocale(context: BrowserContext, locale: Locale): Promise<void> {
  await context.addCookies([{ name: 'PARAGLIDE_LOCALE', value: locale, url: e2eEnvironment().baseURL }]);
}

/** Signs in through the form; then switches the browser to `locale` (the profile's language wins at sign-in). */
export async function signIn(page: Page, email: string, locale: Locale = 'fi', password = DEMO_PASSWORD): Promise<void> {
  await page.goto('/login');
  await page.locator('#email').fill(email);
  await page.locator('#password').fill(password);
  await page.locator('main button[type="submit"]').click();
  await page.waitForURL((url) => url.pathname === '/');
  await useLocale(page.context(), locale);
}


export async function sql<Row extends Record<string, unknown>>(query: string, params: unknown[] = []): Promise<Row[]> {
  const client = new pg.Client({ connectionString: e2eEnvironment().databaseUrl });
  await client.connect();
  try {
    return (await client.query<Row>(query, params)).rows;
  } finally {
    await client.end();
  }
}

/** A supabase-js client signed in as a demo user, for arranging what a test then looks at. */
export async function signedInClient(email: string, password = DEMO_PASSWORD): Promise<SupabaseClient> {
  const { supabaseUrl, publishableKey } = e2eEnvironment();
  const supabase = createClient(supabaseUrl, publishableKey, {
    auth: { persistSession: false, autoRefreshToken: false },
    realtime: { transport: WebSocket as never }
  });
  const { error } = await supabase.auth.signInWithPassword({ email, password });
  if (error) throw error;
  return supabase;
}

/** Something unique per test run, for names and emails that other tests never touch. */
export function unique(prefix: string): string {
  return `${prefix}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 7)}`;
}
