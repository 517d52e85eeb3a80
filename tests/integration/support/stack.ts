// Shared by the integration tests: real supabase-js clients signed in as the demo roles
// through the local stack, and a `pg` pool (as postgres) for setup and inspection only.
import { createClient, type SupabaseClient } from '@supabase/supabase-js';
import pg from 'pg';
import { randomUUID } from 'node:crypto';
import { inject } from 'vitest';
import WebSocket from 'ws';

export const DEMO_PASSWORD = 'suoja-demo';

export const demoUsers = {
  coordinator: { email: 'coordinator@suoja.example', id: 'a0000000-0000-4000-8000-000000000001' },
  staff: { email: 'staff@suoja.example', id: 'a0000000-0000-4000-8000-000000000002' },
  staff2: { email: 'staff2@suoja.example', id: 'a0000000-0000-4000-8000-000000000003' },
  caseworker: { email: 'caseworker@suoja.example', id: 'a0000000-0000-4000-8000-000000000004' },
  caseworker2: { email: 'caseworker2@suoja.example', id: 'a0000000-0000-4000-8000-000000000005' },
  admin: { email: 'admin@suoja.example', id: 'a0000000-0000-4000-8000-000000000006' },
  auditor: { email: 'auditor@suoja.example', id: 'a0000000-0000-4000-8000-000000000007' },
} as const;

export type DemoUser = keyof typeof demoUsers;
export type Actor = DemoUser | 'anon';

/** Seeded facilities of the demo staff: staff@ works at Kaisla (Helsinki), staff2@ at Paju (Oulu). */
export const KAISLA = 'f0000000-0000-4000-8000-000000000003';
export const PAJU = 'f0000000-0000-4000-8000-000000000006';

export function newClient(): SupabaseClient {
  return createClient(inject('url'), inject('publishableKey'), {
    auth: { persistSession: false, autoRefreshToken: false },
    realtime: { transport: WebSocket as unknown as typeof globalThis.WebSocket },
  });
}

const signedIn = new Map<Actor, Promise<SupabaseClient>>();

/** One signed-in client per actor for the whole file (sign-in is the slow part). */
export function clientFor(actor: Actor): Promise<SupabaseClient> {
  let client = signedIn.get(actor);
  if (!client) {
    client = (async () => {
      const supabase = newClient();
      if (actor !== 'anon') {
        const { error } = await supabase.auth.signInWithPassword({ email: demoUsers[actor].email, password: DEMO_PASSWORD });
        if (error) throw new Error(`${actor} could not sign in: ${error.message}`);
      }
      return supabase;
    })();
    signedIn.set(actor, client);
  }
  return client;
}

export async function signOutAll(): Promise<void> {
  for (const client of signedIn.values()) {
    const supabase = await client;
    await supabase.removeAllChannels();
    await supabase.realtime.disconnect();
  }
  signedIn.clear();
}

let pool: pg.Pool | undefined;
/** As `postgres`: for arranging data and checking what changed, never for the behaviour under test. */
export function db(): pg.Pool {
  pool ??= new pg.Pool({ connectionString: inject('databaseUrl'), max: 4 });
  return pool;
}

export async function closeDb(): Promise<void> {
  await pool?.end();
  pool = undefined;
}

export async function one<T = Record<string, unknown>>(sql: string, params: unknown[] = []): Promise<T> {
  const result = await db().query(sql, params);
  return result.rows[0] as T;
}

export async function rows<T = Record<string, unknown>>(sql: string, params: unknown[] = []): Promise<T[]> {
  return (await db().query(sql, params)).rows as T[];
}

export interface ScratchFacility {
  id: string;
}

/**
 * A facility of its own for a test, with a capacity report and an exact location, so tests
 * never depend on (or disturb) each other's figures.
 */
export async function scratchFacility(overrides: Partial<{
  name: string;
  municipality: string;
  rating: number;
  gender: 'women' | 'men' | 'any';
  takesChildren: boolean;
  boysMaxAge: number | null;
  active: boolean;
  capacity: number;
  turnaroundHours: number;
  members: string[];
  lon: number;
  lat: number;
}> = {}): Promise<string> {
  const id = randomUUID();
  await db().query(
    `insert into public.facilities (id, name, kind, operator, municipality_code, security_rating, gender_policy, takes_children,
                                    boys_max_age, active, turnaround_hours)
     values ($1, $2, 'shelter', 'Testi', $3, $4, $5, $6, $7, $8, $9)`,
    [id, overrides.name ?? `Testikoti ${id.slice(0, 8)}`, overrides.municipality ?? '091', overrides.rating ?? 4,
     overrides.gender ?? 'any', overrides.takesChildren ?? true, overrides.boysMaxAge ?? null, overrides.active ?? true,
     overrides.turnaroundHours ?? 0],
  );
  await db().query(
    `insert into public.capacity_reports (facility_id, kind, capacity, reported_role) values ($1, 'update', $2, 'coordinator')`,
    [id, overrides.capacity ?? 10],
  );
  await db().query(
    `insert into public.facility_locations (facility_id, street_address, postal_code, lon, lat) values ($1, $2, '00990', $3, $4)`,
    [id, `Salainen testitie ${id.slice(0, 6)}`, overrides.lon ?? 24.987654, overrides.lat ?? 60.212345],
  );
  for (const member of overrides.members ?? []) {
    await db().query('insert into public.facility_memberships (staff_id, facility_id) values ($1, $2)', [member, id]);
  }
  return id;
}

/** A client of its own for a test; returns its id and its children's ids. */
export async function scratchClient(overrides: Partial<{
  gender: 'female' | 'male' | 'other';
  level: number;
  children: { birthYear: number; gender: 'female' | 'male' }[];
  caseworker: string;
}> = {}): Promise<{ id: string; children: string[] }> {
  const client = await one<{ id: string }>(
    `insert into public.clients (gender, birth_year, safety_level, languages) values ($1, 1990, $2, '{en}') returning id`,
    [overrides.gender ?? 'female', overrides.level ?? 1],
  );
  const children: string[] = [];
  for (const child of overrides.children ?? []) {
    const row = await one<{ id: string }>(
      'insert into public.client_children (client_id, birth_year, gender) values ($1, $2, $3) returning id',
      [client.id, child.birthYear, child.gender],
    );
    children.push(row.id);
  }
  if (overrides.caseworker) {
    await db().query('insert into public.caseworker_assignments (client_id, caseworker_id) values ($1, $2)', [client.id, overrides.caseworker]);
  }
  return { id: client.id, children };
}

export function hoursFromNow(hours: number): string {
  return new Date(Date.now() + hours * 3_600_000).toISOString();
}

/** Today's date in Helsinki, as the database counts it. */
export function helsinkiDate(offsetDays = 0): string {
  const now = new Date(Date.now() + offsetDays * 86_400_000);
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Helsinki' }).format(now);
}
