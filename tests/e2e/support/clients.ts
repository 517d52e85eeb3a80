// Helpers for the client, search and caseworker end-to-end tests: messages as the app renders
// them, sign-in, SQL for arranging and checking data, and fresh facilities and staff of their own
// so the tests never depend on (or disturb) figures another test changes.
import { readFileSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import { createClient } from '@supabase/supabase-js';
import type { BrowserContext, Page } from '@playwright/test';
import pg from 'pg';
import WebSocket from 'ws';
import { e2eEnvironment } from '../environment';
export { expectNoWcagViolations } from './axe';

export const DEMO_PASSWORD = 'suoja-demo';
export const LOCALES = ['fi', 'sv', 'en'] as const;
export type Locale = (typeof LOCALES)[number];

export const CASEWORKER_ID = 'a0000000-0000-4000-8000-000000000004';
/** Seeded client 13 belongs to caseworker2@, never to caseworker@. */
export const OTHER_CASEWORKERS_CLIENT = 'c0000000-0000-4000-8000-000000000013';

type Messages = Record<string, string>;

function readMessages(locale: Locale): Messages {
  const read = (path: string): Messages => JSON.parse(readFileSync(new URL(path, import.meta.url), 'utf8')) as Messages;
  return {
    ...read(`../../../messages/${locale}.json`),
    ...read(`../../../messages/staff/${locale}.json`),
    ...read(`../../../messages/clients/${locale}.json`)
  };
}

const messages: Record<Locale, Messages> = { fi: readMessages('fi'), sv: readMessages('sv'), en: readMessages('en') };

/** A message as the app renders it, with `{param}` placeholders filled in. */
export function text(locale: Locale, key: string, params: Record<string, string | number> = {}): string {
  const template = messages[locale][key];
  if (template === undefined) throw new Error(`no message "${key}" in ${locale}`);
  return template.replace(/\{(\w+)\}/g, (_match, name: string) => String(params[name] ?? `{${name}}`));
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

export async function signIn(page: Page, email: string, password = DEMO_PASSWORD): Promise<void> {
  await page.goto('/login');
  await page.locator('#email').fill(email);
  await page.locator('#password').fill(password);
  await page.locator('main button[type="submit"]').click();
  await page.waitForURL((url) => url.pathname !== '/login');
}

export async function useLocale(context: BrowserContext, locale: Locale): Promise<void> {
  await context.addCookies([{ name: 'PARAGLIDE_LOCALE', value: locale, url: e2eEnvironment().baseURL }]);
}


export interface ScratchFacility {
  id: string;
  name: string;
  lon: number;
  lat: number;
}

/** A facility of the test's own, with figures confirmed now and an exact location. */
export async function scratchFacility(options: { prefix: string; municipality: string; lon: number; lat: number; rating?: number; capacity?: number }): Promise<ScratchFacility> {
  const id = randomUUID();
  const name = `${options.prefix} ${id.slice(0, 6)}`;
  await sql(
    `insert into public.facilities (id, name, kind, operator, municipality_code, security_rating, gender_policy, takes_children, active, staff_languages)
     values ($1, $2, 'shelter', 'E2E', $3, $4, 'any', true, true, '{fi,en}')`,
    [id, name, options.municipality, options.rating ?? 3]
  );
  await sql(`insert into public.capacity_reports (facility_id, kind, capacity, reported_role) values ($1, 'update', $2, 'facility_staff')`, [id, options.capacity ?? 8]);
  await sql(`insert into public.facility_locations (facility_id, street_address, postal_code, lon, lat) values ($1, 'Testitie 9', '00990', $2, $3)`, [id, options.lon, options.lat]);
  return { id, name, lon: options.lon, lat: options.lat };
}

/** A facility staff member of the test's own (through the Auth admin API), member of one facility. */
export async function freshFacilityStaff(facilityId: string): Promise<{ id: string; email: string; password: string }> {
  const env = e2eEnvironment();
  const admin = createClient(env.supabaseUrl, env.secretKey, {
    auth: { persistSession: false, autoRefreshToken: false },
    realtime: { transport: WebSocket as never }
  });
  const email = `clients-staff-${randomUUID().slice(0, 8)}@suoja.example`;
  const password = `clients-e2e-${randomUUID()}`;
  const { data, error } = await admin.auth.admin.createUser({
    email,
    password,
    email_confirm: true,
    app_metadata: { role: 'facility_staff' },
    user_metadata: { display_name: 'Testi Henkilökunta', preferred_language: 'fi' }
  });
  if (error) throw error;
  await sql('insert into public.facility_memberships (staff_id, facility_id) values ($1, $2)', [data.user.id, facilityId]);
  return { id: data.user.id, email, password };
}
