// Helpers for the map and facility-panel end-to-end tests: sign-in, SQL for arranging and
// checking data, translated texts, and a facility (with its own staff member) that only the
// calling test touches.
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createClient, type SupabaseClient } from '@supabase/supabase-js';
import { expect, type Page } from '@playwright/test';
import pg from 'pg';
import WebSocket from 'ws';
import { e2eEnvironment } from '../environment';

export const DEMO_PASSWORD = 'suoja-demo';
export const LOCALES = ['fi', 'sv', 'en'] as const;
export type Locale = (typeof LOCALES)[number];

type Messages = Record<string, string>;
const read = (path: string): Messages => JSON.parse(readFileSync(new URL(path, import.meta.url), 'utf8')) as Messages;
const messages: Record<Locale, Messages> = {
  fi: { ...read('../../../messages/fi.json'), ...read('../../../messages/map/fi.json') },
  sv: { ...read('../../../messages/sv.json'), ...read('../../../messages/map/sv.json') },
  en: { ...read('../../../messages/en.json'), ...read('../../../messages/map/en.json') }
};

/** A message as the app renders it, with `{param}` placeholders filled in. */
export function text(locale: Locale, key: string, params: Record<string, string> = {}): string {
  const template = messages[locale][key];
  if (template === undefined) throw new Error(`no message "${key}" in ${locale}`);
  return template.replace(/\{(\w+)\}/g, (_match, name: string) => params[name] ?? `{${name}}`);
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

/** Signs in through the sign-in page, in whatever language the browser has. */
export async function signIn(page: Page, email: string, password = DEMO_PASSWORD): Promise<void> {
  await page.goto('/login');
  await page.locator('#email').fill(email);
  await page.locator('#password').fill(password);
  await page.locator('main button[type="submit"]').click();
  await page.waitForURL((url) => url.pathname !== '/login');
}

export async function useLocale(page: Page, locale: Locale): Promise<void> {
  await page.context().addCookies([{ name: 'PARAGLIDE_LOCALE', value: locale, url: e2eEnvironment().baseURL }]);
}

/** Opens the map and waits until it has drawn its markers. */
export async function openMap(page: Page, query = ''): Promise<void> {
  await page.goto(`/map${query}`);
  await expect(page.locator('[data-map-state]')).toHaveAttribute('data-map-state', 'ready', { timeout: 30_000 });
}

export async function expectLive(page: Page): Promise<void> {
  await expect(page.getByTestId('connection-state')).toHaveAttribute('data-state', 'live', { timeout: 20_000 });
}

export function supabaseClient(): SupabaseClient {
  const { supabaseUrl, publishableKey } = e2eEnvironment();
  return createClient(supabaseUrl, publishableKey, {
    auth: { persistSession: false, autoRefreshToken: false },
    realtime: { transport: WebSocket as unknown as typeof globalThis.WebSocket }
  });
}

export interface OwnFacility {
  id: string;
  name: string;
  staffEmail: string;
  /** The facility's staff member, signed in through the Data API (as the my-facility screen would be). */
  staff: SupabaseClient;
  setCapacity(capacity: number): Promise<void>;
  cleanUp(): Promise<void>;
}

/**
 * A facility with a staff member of its own, so a test can change its figures without touching
 * anything another test reads. Deactivated (shown as closed) so the seed's counts of active
 * facilities, which other tests compare with the screen, stay as they are.
 */
export async function ownFacility(label: string): Promise<OwnFacility> {
  const { supabaseUrl, secretKey } = e2eEnvironment();
  const suffix = randomUUID().slice(0, 8);
  const id = randomUUID();
  const name = `E2E ${label} ${suffix}`;
  const staffEmail = `map-e2e-${suffix}@suoja.example`;

  const admin = createClient(supabaseUrl, secretKey, {
    auth: { persistSession: false, autoRefreshToken: false },
    realtime: { transport: WebSocket as unknown as typeof globalThis.WebSocket }
  });
  const created = await admin.auth.admin.createUser({
    email: staffEmail,
    password: DEMO_PASSWORD,
    email_confirm: true,
    app_metadata: { role: 'facility_staff' },
    user_metadata: { display_name: `Map E2E ${suffix}` }
  });
  if (created.error) throw created.error;
  const staffId = created.data.user.id;

  await sql(
    `insert into public.facilities (id, name, kind, operator, municipality_code, security_rating, gender_policy, takes_children, active)
     values ($1, $2, 'shelter', 'E2E', '398', 3, 'any', true, false)`,
    [id, name]
  );
  await sql(`insert into public.capacity_reports (facility_id, kind, capacity, reported_role) values ($1, 'update', 10, 'coordinator')`, [id]);
  await sql('insert into public.facility_memberships (staff_id, facility_id) values ($1, $2)', [staffId, id]);
  // A role change reaches the token at sign-in: make sure the trigger gave the role.
  await sql(`update public.staff set role = 'facility_staff' where id = $1 and role is distinct from 'facility_staff'`, [staffId]);

  const staff = supabaseClient();
  const signedIn = await staff.auth.signInWithPassword({ email: staffEmail, password: DEMO_PASSWORD });
  if (signedIn.error) throw signedIn.error;

  return {
    id,
    name,
    staffEmail,
    staff,
    async setCapacity(capacity: number) {
      const { error } = await staff.rpc('update_capacity', {
        facility_id: id,
        capacity,
        out_of_service: 0,
        out_of_service_reason: null,
        occupied_by_others: 0
      });
      if (error) throw new Error(`update_capacity failed: ${error.message}`);
    },
    async cleanUp() {
      await staff.auth.signOut({ scope: 'local' });
      await staff.realtime.disconnect();
      await admin.realtime.disconnect();
    }
  };
}

/**
 * What must never reach someone without a reveal: the street addresses of protected facilities
 * (anything but a public reception centre) and each coordinate of their exact points, except a
 * coordinate that is also some municipality's public centre (it proves nothing on its own).
 */
export async function protectedSecrets(): Promise<string[]> {
  const rows = await sql<{ street_address: string; lon: number; lat: number }>(
    `select l.street_address, l.lon, l.lat
       from public.facility_locations l
       join public.facilities f on f.id = l.facility_id
      where f.kind <> 'reception_centre'`
  );
  const centres = await sql<{ centre_lon: number; centre_lat: number }>('select centre_lon, centre_lat from public.municipalities');
  const publicValues = new Set(centres.flatMap((row) => [row.centre_lon, row.centre_lat]));
  const secrets = new Set<string>();
  for (const row of rows) {
    secrets.add(row.street_address);
    for (const value of [row.lon, row.lat]) {
      if (publicValues.has(value)) continue;
      // A coordinate written with few decimals ("60.2", typed into another test's scratch
      // facility) is a prefix of countless public numbers; only precise ones identify a place.
      const written = String(value);
      if ((written.split('.')[1] ?? '').length >= 3) secrets.add(written);
      secrets.add(value.toFixed(4));
    }
  }
  return [...secrets];
}
