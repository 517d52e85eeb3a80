// Property-based tests (fast-check) of every RPC the API exposes, found in the database catalog
// so that a function added later is covered too. Each is called as every role with random and
// hostile arguments: wrong types, huge strings, SQL fragments, NUL bytes, dates far away, other
// users' ids. Invariants: never a 5xx; a refused call changes nothing (checksums of every table);
// no answer carries an exact address the caller may not see, or a coordinator-only zone reason.
// Runs on a stack of its own, since successful calls may change the seed's data.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createClient, type SupabaseClient } from '@supabase/supabase-js';
import fc from 'fast-check';
import pg from 'pg';
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStack, type RunningStack } from '../../local-stack/src/stack.ts';

const ROLES = ['anon', 'coordinator', 'staff', 'caseworker', 'admin', 'auditor'] as const;
type Role = (typeof ROLES)[number];
const EMAILS: Record<Exclude<Role, 'anon'>, string> = {
  coordinator: 'coordinator@suoja.example',
  staff: 'staff@suoja.example',
  caseworker: 'caseworker@suoja.example',
  admin: 'admin@suoja.example',
  auditor: 'auditor@suoja.example',
};
/** Calls per function and role; fast-check shrinks and prints the seed of any failure. */
const RUNS = Number(process.env.PROPERTY_RUNS ?? 12);

interface RpcSignature {
  name: string;
  args: Array<{ name: string; type: string; hasDefault: boolean }>;
  anon: boolean;
}

let dir: string;
let stack: RunningStack;
let admin: pg.Pool;
const clients = new Map<Role, SupabaseClient>();
let rpcs: RpcSignature[] = [];
let ids: { facilities: string[]; clients: string[]; placements: string[]; staff: string[]; codes: string[]; municipalities: string[] };
let secrets: { street: string; facilityId: string }[] = [];
let zoneReasons: string[] = [];
const allowedFacilities = new Map<Role, Set<string>>();

async function checksum(): Promise<string> {
  const { rows } = await admin.query<{ sum: string }>('select proptest.checksum() as sum');
  return rows[0]!.sum;
}

function newClient(): SupabaseClient {
  return createClient(stack.url, stack.publishableKey, {
    auth: { persistSession: false, autoRefreshToken: false },
    realtime: { transport: WebSocket as unknown as typeof globalThis.WebSocket },
  });
}

const hostileText = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.constantFrom(
    "' or 1=1 --",
    "'); drop table public.clients; --",
    '%',
    '_',
    '\\',
    '\u0000',
    'null',
    '',
    ' ',
    '<script>alert(1)</script>',
    '${jndi:ldap://x}',
    'x'.repeat(100_000),
  ),
);

function valueFor(type: string): fc.Arbitrary<unknown> {
  const realUuid = fc.constantFrom(...ids.facilities, ...ids.clients, ...ids.placements, ...ids.staff);
  // Real ids (other users' included) and plausible values often enough that calls also succeed,
  // so that what a successful answer carries is checked too.
  const uuid = fc.oneof({ weight: 3, arbitrary: realUuid }, { weight: 2, arbitrary: fc.uuid() }, { weight: 1, arbitrary: hostileText });
  const plausibleText = fc.constantFrom('Akuutti sijoitus tänä yönä', 'Turvallisuussyistä', 'Client moved out', ...ids.codes, ...ids.municipalities);
  const plausibleDate = fc.integer({ min: -3, max: 30 }).map((days) => new Date(Date.now() + days * 86_400_000).toISOString());
  const farDate = fc.constantFrom('0001-01-01', '9999-12-31', 'infinity', '-infinity', '294277-01-01', '1900-02-29', '2026-13-45', 'today', 'yesterday');
  const wrongType = fc.oneof(fc.constant(null), fc.boolean(), fc.integer(), fc.double(), fc.dictionary(fc.string({ maxLength: 5 }), fc.string({ maxLength: 5 }), { maxKeys: 3 }));
  if (type.endsWith('[]')) return fc.oneof(fc.array(valueFor(type.slice(0, -2)), { maxLength: 5 }), wrongType, hostileText);
  switch (type) {
    case 'uuid':
      return fc.oneof({ weight: 4, arbitrary: uuid }, { weight: 1, arbitrary: wrongType });
    case 'integer':
    case 'smallint':
    case 'bigint':
      return fc.oneof(fc.integer({ min: 0, max: 20 }), fc.integer(), fc.constantFrom(0, -1, 2 ** 31, -(2 ** 31) - 1, 2 ** 63, 1e308), fc.double(), hostileText, wrongType);
    case 'numeric':
    case 'double precision':
    case 'real':
      return fc.oneof(fc.double({ noNaN: true }), fc.constantFrom(1e308, -1e308, 0, 360, -90, 91, 1e-300), hostileText, wrongType);
    case 'boolean':
      return fc.oneof(fc.boolean(), hostileText, wrongType);
    case 'date':
    case 'timestamp with time zone':
    case 'timestamp without time zone':
      return fc.oneof(
        plausibleDate,
        fc.date({ min: new Date(-8_000_000_000_000), max: new Date(8_000_000_000_000), noInvalidDate: true }).map((d) => d.toISOString()),
        farDate,
        hostileText,
        wrongType,
      );
    case 'jsonb':
    case 'json':
      return fc.oneof(fc.jsonValue({ maxDepth: 3 }), hostileText);
    case 'text':
    case 'character varying':
      return fc.oneof(plausibleText, hostileText);
    default:
      // Enums and other types: valid-looking words and junk.
      return fc.oneof(hostileText, fc.constantFrom('coordinator', 'shelter', 'women', 'female', 'assistance_system', 'point', 'municipality'), wrongType);
  }
}

function argumentsFor(signature: RpcSignature): fc.Arbitrary<Record<string, unknown>> {
  const entries = signature.args.map((arg) =>
    // Optional arguments are left out a third of the time, required ones one time in twelve.
    fc.option(valueFor(arg.type), { nil: undefined, freq: arg.hasDefault ? 3 : 12 }).map((value) => [arg.name, value] as const),
  );
  // Now and then an argument the function does not have (PostgREST answers 404 for that).
  const extraArgument = fc.oneof({ weight: 9, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary: hostileText });
  return fc.tuple(...entries, extraArgument).map((values) => {
    const args: Record<string, unknown> = {};
    for (const value of values.slice(0, signature.args.length) as Array<readonly [string, unknown]>) {
      if (value[1] !== undefined) args[value[0]] = value[1];
    }
    const extra = values[signature.args.length];
    if (typeof extra === 'string') args.unexpected_argument = extra;
    return args;
  });
}

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'suoja-property-'));
  stack = await startStack({ dataDir: path.join(dir, 'stack'), apiPort: 0, dbPort: 0, fsync: false, logToStderr: false });
  admin = new pg.Pool({ connectionString: stack.adminDatabaseUrl, max: 2 });
  await admin.query(`
    create schema proptest;
    create function proptest.checksum() returns text language plpgsql as $$
    declare r record; acc text := ''; part text;
    begin
      for r in select format('%I.%I', n.nspname, c.relname) as name
                 from pg_class c join pg_namespace n on n.oid = c.relnamespace
                where c.relkind in ('r', 'p') and n.nspname in ('public', 'private')
                   or (n.nspname = 'auth' and c.relname in ('users', 'mfa_factors', 'identities'))
                order by 1 loop
        execute format('select md5(coalesce(string_agg(t::text, chr(10) order by t::text), '''')) from %s t', r.name) into part;
        acc := acc || r.name || part;
      end loop;
      return md5(acc);
    end $$;`);

  const { rows: functions } = await admin.query<{ name: string; arg_names: string[] | null; arg_types: string[]; defaults: number; anon: boolean }>(`
    select p.proname as name, p.proargnames as arg_names,
           array(select format_type(t, null) from unnest(p.proargtypes) t) as arg_types,
           p.pronargdefaults as defaults,
           has_function_privilege('anon', p.oid, 'execute') as anon
      from pg_proc p join pg_namespace n on n.oid = p.pronamespace
     where n.nspname = 'public' and p.prokind = 'f'
       and (has_function_privilege('authenticated', p.oid, 'execute') or has_function_privilege('anon', p.oid, 'execute'))
       and p.prorettype <> 'trigger'::regtype
     order by 1`);
  rpcs = functions.map((fn) => ({
    name: fn.name,
    anon: fn.anon,
    args: fn.arg_types.map((type, i) => ({ name: fn.arg_names?.[i] ?? `arg${i}`, type, hasDefault: i >= fn.arg_types.length - fn.defaults })),
  }));

  const list = async (sql: string) => (await admin.query<{ v: string }>(sql)).rows.map((row) => row.v);
  ids = {
    facilities: await list('select id::text as v from public.facilities order by random() limit 10'),
    clients: await list('select id::text as v from public.clients order by random() limit 10'),
    placements: await list('select id::text as v from public.placements order by random() limit 10'),
    staff: await list('select id::text as v from public.staff'),
    codes: await list('select code as v from public.clients order by random() limit 5'),
    municipalities: await list('select code as v from public.municipalities order by random() limit 5'),
  };
  secrets = (await admin.query<{ street: string; facilityId: string }>('select street_address as street, facility_id::text as "facilityId" from public.facility_locations')).rows;
  zoneReasons = await list(`select reason as v from public.exclusion_zone_reasons where length(reason) >= 12`);
  const facilitiesOf = async (email: string, sql: string) =>
    new Set(await list(sql.replace('$EMAIL', `'${email}'`)));
  allowedFacilities.set('coordinator', new Set(secrets.map((s) => s.facilityId)));
  allowedFacilities.set('staff', await facilitiesOf(EMAILS.staff, `select m.facility_id::text as v from public.facility_memberships m join public.staff s on s.id = m.staff_id where s.email = $EMAIL`));
  allowedFacilities.set('caseworker', await facilitiesOf(EMAILS.caseworker, `select p.facility_id::text as v from public.placements p join public.caseworker_assignments a on a.client_id = p.client_id join public.staff s on s.id = a.caseworker_id where s.email = $EMAIL`));
  for (const role of ['anon', 'admin', 'auditor'] as const) allowedFacilities.set(role, new Set());

  for (const role of ROLES) {
    const supabase = newClient();
    if (role !== 'anon') {
      const { error } = await supabase.auth.signInWithPassword({ email: EMAILS[role], password: 'suoja-demo' });
      if (error) throw error;
    }
    clients.set(role, supabase);
  }
}, 180_000);

afterAll(async () => {
  await admin?.end();
  await stack?.stop();
  await rm(dir, { recursive: true, force: true });
});

describe('every RPC with random and hostile input', () => {
  it('finds the functions the API exposes (the app’s RPCs are all there)', () => {
    const names = rpcs.map((rpc) => rpc.name);
    for (const expected of ['place_hold', 'respond_to_hold', 'record_arrival', 'move_client', 'end_placement', 'cancel_hold', 'update_capacity', 'confirm_capacity', 'reveal_facility_location', 'safe_place_search', 'safe_place_search_results', 'facility_availability', 'map_availability', 'facility_forecast', 'set_preferred_language']) {
      expect(names).toContain(expected);
    }
  });

  it('never answers 5xx, never leaves a partial write, never hands out what the role may not see', async () => {
    const problems: string[] = [];
    const answered = new Map<Role, number>();
    let baseline = await checksum();
    for (const signature of rpcs) {
      for (const role of ROLES) {
        if (role === 'anon' && !signature.anon) continue;
        const supabase = clients.get(role)!;
        await fc.assert(
          fc.asyncProperty(argumentsFor(signature), async (args) => {
            const { status, error, data } = await supabase.rpc(signature.name as never, args as never);
            const where = `${signature.name} as ${role} with ${JSON.stringify(args).slice(0, 300)}`;
            expect(status, `${where}: HTTP ${status} ${error?.message ?? ''}`).toBeLessThan(500);
            if (error) {
              const after = await checksum();
              expect(after, `${where}: refused (${error.message}) but the data changed`).toBe(baseline);
            } else {
              answered.set(role, (answered.get(role) ?? 0) + 1);
              baseline = await checksum();
            }
            const body = JSON.stringify(data ?? null) + JSON.stringify(error ?? null);
            const allowed = allowedFacilities.get(role)!;
            for (const secret of secrets) {
              if (!allowed.has(secret.facilityId) && body.includes(secret.street)) {
                throw new Error(`${where}: answer contains the exact address of facility ${secret.facilityId}`);
              }
            }
            if (role !== 'coordinator') {
              for (const reason of zoneReasons) {
                if (body.includes(reason)) throw new Error(`${where}: answer contains an exclusion-zone reason`);
              }
            }
          }),
          { numRuns: RUNS, endOnFailure: true },
        ).catch((error: unknown) => {
          problems.push(error instanceof Error ? error.message.split('\n').slice(0, 12).join('\n') : String(error));
        });
      }
    }
    expect(problems, problems.join('\n\n')).toEqual([]);
    // The properties were also checked on answers, not only on refusals.
    for (const role of ROLES.filter((r) => r !== 'anon')) expect(answered.get(role) ?? 0, `successful calls as ${role}`).toBeGreaterThan(0);
  }, 900_000);
});
