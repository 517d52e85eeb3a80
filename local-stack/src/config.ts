// Reads the settings the local stack shares with the Supabase CLI (supabase/config.toml) and
// the scheduled SQL jobs (supabase/schedule.json: the CLI warns about unknown keys in
// config.toml, so the stack's own settings live beside it instead of inside it).
import { existsSync, readFileSync } from 'node:fs';
import { parse } from 'smol-toml';

export interface ProjectConfig {
  apiPort: number;
  dbPort: number;
  jwtExpiry: number;
  refreshTokenReuseInterval: number;
  minimumPasswordLength: number;
  customAccessTokenHook: { schema: string; name: string } | null;
  /** [auth.rate_limit] sign_in_sign_ups: password sign-ins per 5 minutes per address; null when absent (no limit). */
  signInSignUps: number | null;
}

export const DEFAULT_CONFIG: ProjectConfig = {
  apiPort: 54321,
  dbPort: 54322,
  jwtExpiry: 3600,
  refreshTokenReuseInterval: 10,
  minimumPasswordLength: 6,
  customAccessTokenHook: null,
  signInSignUps: null,
};

type Table = Record<string, unknown>;

function table(value: unknown): Table {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Table) : {};
}

function positiveInteger(value: unknown, fallback: number, where: string): number {
  if (value === undefined) return fallback;
  if (typeof value === 'number' && Number.isInteger(value) && value >= 0) return value;
  throw new Error(`supabase/config.toml: ${where} must be a non-negative integer, got ${JSON.stringify(value)}`);
}

/** `pg-functions://postgres/<schema>/<function>` as the CLI and GoTrue accept it. */
export function parseHookUri(uri: string): { schema: string; name: string } {
  const match = /^pg-functions:\/\/[^/]+\/([A-Za-z_][A-Za-z0-9_$]*)\/([A-Za-z_][A-Za-z0-9_$]*)$/.exec(uri);
  if (!match) throw new Error(`supabase/config.toml: hook uri must look like pg-functions://postgres/<schema>/<function>, got ${uri}`);
  return { schema: match[1]!, name: match[2]! };
}

export function parseProjectConfig(text: string): ProjectConfig {
  const root = parse(text) as Table;
  const api = table(root.api);
  const db = table(root.db);
  const auth = table(root.auth);
  const email = table(auth.email);
  const hook = table(table(auth.hook).custom_access_token);
  const rateLimit = table(auth.rate_limit);
  let customAccessTokenHook: ProjectConfig['customAccessTokenHook'] = null;
  if (hook.enabled === true) {
    if (typeof hook.uri !== 'string') throw new Error('supabase/config.toml: [auth.hook.custom_access_token] is enabled but has no uri');
    customAccessTokenHook = parseHookUri(hook.uri);
  }
  return {
    apiPort: positiveInteger(api.port, DEFAULT_CONFIG.apiPort, '[api] port'),
    dbPort: positiveInteger(db.port, DEFAULT_CONFIG.dbPort, '[db] port'),
    jwtExpiry: positiveInteger(auth.jwt_expiry, DEFAULT_CONFIG.jwtExpiry, '[auth] jwt_expiry'),
    refreshTokenReuseInterval: positiveInteger(
      auth.refresh_token_reuse_interval,
      DEFAULT_CONFIG.refreshTokenReuseInterval,
      '[auth] refresh_token_reuse_interval',
    ),
    // The CLI keeps it in [auth]; accept [auth.email] too, where people look for it.
    minimumPasswordLength: positiveInteger(
      auth.minimum_password_length ?? email.minimum_password_length,
      DEFAULT_CONFIG.minimumPasswordLength,
      '[auth] minimum_password_length',
    ),
    customAccessTokenHook,
    signInSignUps:
      rateLimit.sign_in_sign_ups === undefined ? null : positiveInteger(rateLimit.sign_in_sign_ups, 0, '[auth.rate_limit] sign_in_sign_ups'),
  };
}

export function loadProjectConfig(file: string | null): ProjectConfig {
  if (file === null || !existsSync(file)) return { ...DEFAULT_CONFIG };
  return parseProjectConfig(readFileSync(file, 'utf8'));
}

export interface ScheduledJob {
  /** Shown in logs. */
  name: string;
  /** `schema.function`, called with no arguments as `select schema.function()`. */
  function: string;
  intervalSeconds: number;
}

const QUALIFIED_FUNCTION = /^[A-Za-z_][A-Za-z0-9_$]*\.[A-Za-z_][A-Za-z0-9_$]*$/;

export function parseSchedule(text: string, source = 'schedule.json'): ScheduledJob[] {
  const root = JSON.parse(text) as unknown;
  const jobs = table(root).jobs;
  if (!Array.isArray(jobs)) throw new Error(`${source}: expected {"jobs": [...]}`);
  return jobs.map((raw, index) => {
    const job = table(raw);
    const where = `${source}: jobs[${index}]`;
    if (typeof job.function !== 'string' || !QUALIFIED_FUNCTION.test(job.function)) {
      throw new Error(`${where}.function must be "schema.function", got ${JSON.stringify(job.function)}`);
    }
    if (typeof job.intervalSeconds !== 'number' || !(job.intervalSeconds > 0)) {
      throw new Error(`${where}.intervalSeconds must be a positive number`);
    }
    return {
      name: typeof job.name === 'string' ? job.name : job.function,
      function: job.function,
      intervalSeconds: job.intervalSeconds,
    };
  });
}

export function loadSchedule(file: string | null): ScheduledJob[] {
  if (file === null || !existsSync(file)) return [];
  return parseSchedule(readFileSync(file, 'utf8'), file);
}
