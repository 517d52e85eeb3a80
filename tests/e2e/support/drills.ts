// Helpers for the restart drills: a stack and built app of the drill's own (from the harness'
// control channel, scripts/lib/drill-control.ts), whose Postgres and gateway the test takes down
// and brings back, plus sign-in, SQL and messages for that stack.
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createClient } from '@supabase/supabase-js';
import { expect, type Browser, type BrowserContext, type Page } from '@playwright/test';
import pg from 'pg';
import WebSocket from 'ws';
import { e2eEnvironment } from '../environment';

export const DEMO_PASSWORD = 'suoja-demo';

type Messages = Record<string, string>;
const read = (path: string): Messages => JSON.parse(readFileSync(new URL(path, import.meta.url), 'utf8')) as Messages;
const messages: Messages = {
  ...read('../../../messages/fi.json'),
  ...read('../../../messages/map/fi.json'),
  ...read('../../../messages/staff/fi.json'),
  ...read('../../../messages/resilience/fi.json')
};

/** A Finnish message as the app renders it (the drills run in the base language). */
export function text(key: string): string {
  const message = messages[key];
  if (message === undefined) throw new Error(`no message "${key}"`);
  return message;
}

export type DrillService = 'postgres' | 'gateway';

interface DrillEnvironment {
  baseURL: string;
  supabaseUrl: string;
  publishableKey: string;
  secretKey: string;
  databaseUrl: string;
}

export interface Drill {
  environment: DrillEnvironment;
  /** Returns once the service is down; it stays down until `up`. */
  down(service: DrillService): Promise<void>;
  /** Returns once the service has started again. */
  up(service: DrillService): Promise<void>;
  /** Brings back whatever is down (a failed test must not leave the stack half-stopped), then stops it all. */
  stop(): Promise<void>;
  sql<Row extends Record<string, unknown>>(query: string, params?: unknown[]): Promise<Row[]>;
  /** A browser context whose relative URLs go to this drill's app. */
  newContext(browser: Browser): Promise<BrowserContext>;
}

async function control(method: 'POST' | 'DELETE', path: string): Promise<unknown> {
  const response = await fetch(`${e2eEnvironment().controlUrl}/${path}`, { method });
  const body = (await response.json()) as { error?: string };
  if (!response.ok) throw new Error(`drill control ${method} ${path}: ${response.status} ${body.error ?? ''}`);
  return body;
}

/** Starts a fresh stack (migrations + seed) and the built app for one drill; slow (tens of seconds). */
export async function startDrill(): Promise<Drill> {
  const { id, environment } = (await control('POST', 'drills')) as { id: string; environment: DrillEnvironment };
  const down = new Set<DrillService>();
  return {
    environment,
    async down(service) {
      await control('POST', `drills/${id}/${service}/down`);
      down.add(service);
    },
    async up(service) {
      await control('POST', `drills/${id}/${service}/up`);
      down.delete(service);
    },
    async stop() {
      // Stopping brings a stopped service back first anyway; this only keeps the order plain.
      for (const service of down) await control('POST', `drills/${id}/${service}/up`).catch(() => undefined);
      await control('DELETE', `drills/${id}`);
    },
    async sql<Row extends Record<string, unknown>>(query: string, params: unknown[] = []) {
      const client = new pg.Client({ connectionString: environment.databaseUrl });
      await client.connect();
      try {
        return (await client.query<Row>(query, params)).rows;
      } finally {
        await client.end();
      }
    },
    newContext: (browser) => browser.newContext({ baseURL: environment.baseURL })
  };
}

export async function signIn(page: Page, email: string, password = DEMO_PASSWORD): Promise<void> {
  await page.goto('/login');
  await page.locator('#email').fill(email);
  await page.locator('#password').fill(password);
  await page.locator('main button[type="submit"]').click();
  await page.waitForURL((url) => url.pathname !== '/login');
}

export interface DrillFacility {
  id: string;
  name: string;
  staffEmail: string;
}

/** An active facility with 10 places and a staff member of its own, in the drill's stack. */
export async function drillFacility(drill: Drill): Promise<DrillFacility> {
  const { supabaseUrl, secretKey } = drill.environment;
  const suffix = randomUUID().slice(0, 8);
  const id = randomUUID();
  const name = `Harjoituskoti ${suffix}`;
  const staffEmail = `drill-staff-${suffix}@suoja.example`;
  const admin = createClient(supabaseUrl, secretKey, {
    auth: { persistSession: false, autoRefreshToken: false },
    realtime: { transport: WebSocket as unknown as typeof globalThis.WebSocket }
  });
  const created = await admin.auth.admin.createUser({
    email: staffEmail,
    password: DEMO_PASSWORD,
    email_confirm: true,
    app_metadata: { role: 'facility_staff' },
    user_metadata: { display_name: `Harjoitus ${suffix}`, preferred_language: 'fi' }
  });
  if (created.error) throw created.error;
  await drill.sql(
    `insert into public.facilities (id, name, kind, operator, municipality_code, security_rating, gender_policy, takes_children, active)
     values ($1, $2, 'shelter', 'E2E', '091', 3, 'any', true, true)`,
    [id, name]
  );
  await drill.sql(`insert into public.capacity_reports (facility_id, kind, capacity, reported_role) values ($1, 'update', 10, 'coordinator')`, [id]);
  await drill.sql('insert into public.facility_memberships (staff_id, facility_id) values ($1, $2)', [created.data.user.id, id]);
  // A role change reaches the token at sign-in: make sure the trigger gave the role.
  await drill.sql(`update public.staff set role = 'facility_staff' where id = $1 and role is distinct from 'facility_staff'`, [created.data.user.id]);
  return { id, name, staffEmail };
}

/** The capacity reports of a facility, oldest first. */
export async function capacityReports(drill: Drill, facilityId: string): Promise<{ capacity: number }[]> {
  return drill.sql<{ capacity: number }>('select capacity from public.capacity_reports where facility_id = $1 order by reported_at, id', [facilityId]);
}

/** Opens the map with the facility selected and waits until it is drawn and live. */
export async function openLiveMap(page: Page, facilityId: string): Promise<void> {
  await page.goto(`/map?selected=${facilityId}`);
  await expect(page.locator('[data-map-state]')).toHaveAttribute('data-map-state', 'ready', { timeout: 30_000 });
  await expectLive(page);
}

export async function expectLive(page: Page): Promise<void> {
  await expect(page.getByTestId('connection-state')).toHaveAttribute('data-state', 'live', { timeout: 30_000 });
}

/** Marks the page; `expectNotReloaded` fails if the page was loaded again since. */
export async function markPage(page: Page): Promise<void> {
  await page.evaluate(() => ((window as unknown as { drillMark: boolean }).drillMark = true));
}

export async function expectNotReloaded(page: Page): Promise<void> {
  expect(await page.evaluate(() => (window as unknown as { drillMark?: boolean }).drillMark), 'the page was not reloaded').toBe(true);
}
