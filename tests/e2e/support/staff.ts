// Helpers for the facility staff's end-to-end tests: messages as the app renders them, sign-in,
// SQL for arranging and checking data, and supabase-js clients acting as demo users.
import { readFileSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import { createClient, type SupabaseClient } from '@supabase/supabase-js';
import { expect, type BrowserContext, type Page } from '@playwright/test';
import pg from 'pg';
import WebSocket from 'ws';
import { e2eEnvironment } from '../environment';

export const DEMO_PASSWORD = 'suoja-demo';
export const LOCALES = ['fi', 'sv', 'en'] as const;
export type Locale = (typeof LOCALES)[number];

export const STAFF_ID = 'a0000000-0000-4000-8000-000000000002';
export const KAISLA = 'f0000000-0000-4000-8000-000000000003';

type Messages = Record<string, string>;

function readMessages(locale: Locale): Messages {
  const read = (path: string): Messages => JSON.parse(readFileSync(new URL(path, import.meta.url), 'utf8')) as Messages;
  return { ...read(`../../../messages/${locale}.json`), ...read(`../../../messages/staff/${locale}.json`) };
}

const messages: Record<Locale, Messages> = { fi: readMessages('fi'), sv: readMessages('sv'), en: readMessages('en') };

/** A message as the app renders it, with `{param}` placeholders filled in. */
export function text(locale: Locale, key: string, params: Record<string, string> = {}): string {
  const template = messages[locale][key];
  if (template === undefined) throw new Error(`no message "${key}" in ${locale}`);
  return template.replace(/\{(\w+)\}/g, (_match, name: string) => params[name] ?? `{${name}}`);
}

/** A message as a pattern: the given params filled in, the others matching anything. */
export function textPattern(locale: Locale, key: string, params: Record<string, string> = {}): RegExp {
  const template = messages[locale][key];
  if (template === undefined) throw new Error(`no message "${key}" in ${locale}`);
  const parts = template.split(/(\{\w+\})/);
  const source = parts
    .map((part) => {
      const name = /^\{(\w+)\}$/.exec(part)?.[1];
      if (name === undefined) return part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      const value = params[name];
      return value === undefined ? '.+?' : value.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    })
    .join('');
  return new RegExp(source);
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

export async function signIn(page: Page, email: string): Promise<void> {
  await page.goto('/login');
  await page.locator('#email').fill(email);
  await page.locator('#password').fill(DEMO_PASSWORD);
  await page.locator('main button[type="submit"]').click();
  await page.waitForURL((url) => url.pathname === '/');
}

/** Paraglide's cookie: changes this browser's language only, not the user's profile. */
export async function useLocale(context: BrowserContext, locale: Locale): Promise<void> {
  await context.addCookies([{ name: 'PARAGLIDE_LOCALE', value: locale, url: e2eEnvironment().baseURL }]);
}

/** A supabase-js client signed in as a demo user, as the coordinator's own screens would act. */
export async function signedInClient(email: string): Promise<SupabaseClient> {
  const { supabaseUrl, publishableKey } = e2eEnvironment();
  const supabase = createClient(supabaseUrl, publishableKey, {
    auth: { persistSession: false, autoRefreshToken: false },
    realtime: { transport: WebSocket as never }
  });
  const { error } = await supabase.auth.signInWithPassword({ email, password: DEMO_PASSWORD });
  if (error) throw error;
  return supabase;
}

/**
 * A facility of this test file's own, with staff@ as a member, so the shared demo figures are
 * never changed. Its first report is 30 hours old: the figures start stale.
 */
export async function scratchFacilityForStaff(name: string): Promise<string> {
  const id = randomUUID();
  await sql(
    `insert into public.facilities (id, name, kind, operator, municipality_code, security_rating, gender_policy, takes_children, active)
     values ($1, $2, 'shelter', 'Testi', '091', 4, 'any', true, true)`,
    [id, name]
  );
  await sql(
    `insert into public.capacity_reports (facility_id, kind, capacity, out_of_service, occupied_by_others, reported_role, reported_at)
     values ($1, 'update', 10, 0, 0, 'coordinator', now() - interval '30 hours')`,
    [id]
  );
  await sql('insert into public.facility_memberships (staff_id, facility_id) values ($1, $2)', [STAFF_ID, id]);
  return id;
}

export async function removeScratchMembership(facilityId: string): Promise<void> {
  await sql('delete from public.facility_memberships where staff_id = $1 and facility_id = $2', [STAFF_ID, facilityId]);
}

export interface ScratchClient {
  id: string;
  code: string;
  childIds: string[];
}

/** A client of this test's own (level 2, Russian-speaking), with the given children's birth years. */
export async function scratchClient(children: { birthYear: number; gender: 'female' | 'male' }[] = []): Promise<ScratchClient> {
  const [client] = await sql<{ id: string; code: string }>(
    `insert into public.clients (gender, birth_year, safety_level, languages, needs_other) values ('female', 1992, 2, '{ru}', '')
     returning id, code`
  );
  if (!client) throw new Error('inserting a scratch client returned nothing');
  const childIds: string[] = [];
  for (const child of children) {
    const [row] = await sql<{ id: string }>(
      'insert into public.client_children (client_id, birth_year, gender) values ($1, $2, $3) returning id',
      [client.id, child.birthYear, child.gender]
    );
    if (row) childIds.push(row.id);
  }
  return { id: client.id, code: client.code, childIds };
}

/** The coordinator places a hold through the RPC their screens use. */
export async function placeHold(coordinator: SupabaseClient, client: ScratchClient, facilityId: string): Promise<string> {
  const tomorrow = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Helsinki' }).format(new Date(Date.now() + 86_400_000));
  const { data, error } = await coordinator.rpc('place_hold', {
    client_id: client.id,
    facility_id: facilityId,
    persons: [client.id, ...client.childIds],
    planned_arrival: tomorrow,
    planned_end: null,
    hold_expires_at: new Date(Date.now() + 6 * 3_600_000).toISOString(),
    idempotency_key: randomUUID()
  });
  if (error) throw new Error(`place_hold failed: ${error.message}`);
  return (data as { id: string }).id;
}

export async function placementStatus(placementId: string): Promise<Record<string, unknown>> {
  const [row] = await sql('select status, decline_reason, end_reason from public.placements where id = $1', [placementId]);
  if (!row) throw new Error(`placement ${placementId} not found`);
  return row;
}

/** The screen is live once both of its Realtime topics are joined. */
export async function expectLive(page: Page): Promise<void> {
  await expect(page.getByTestId('connection-state')).toHaveAttribute('data-state', 'live', { timeout: 15_000 });
}
