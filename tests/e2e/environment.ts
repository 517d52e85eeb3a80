// Where the end-to-end tests find the stack and app that global-setup.ts started for this run.
export const E2E_ENV = {
  baseURL: 'SUOJA_E2E_BASE_URL',
  supabaseUrl: 'SUOJA_E2E_SUPABASE_URL',
  publishableKey: 'SUOJA_E2E_PUBLISHABLE_KEY',
  secretKey: 'SUOJA_E2E_SECRET_KEY',
  databaseUrl: 'SUOJA_E2E_DATABASE_URL',
  controlUrl: 'SUOJA_E2E_CONTROL_URL',
} as const;

export interface E2eEnvironment {
  /** The built app, e.g. http://127.0.0.1:40123 (also Playwright's baseURL). */
  baseURL: string;
  /** The stack's gateway, for supabase-js clients created in a test. */
  supabaseUrl: string;
  publishableKey: string;
  /** Bypasses RLS: for arranging and inspecting data, never for what a user would do. */
  secretKey: string;
  /** libpq URL as `postgres` (owner of the app's tables), for checks that need SQL (pg). */
  databaseUrl: string;
  /**
   * The failure drills' control channel (scripts/lib/drill-control.ts): a stack and app of a
   * drill's own, whose Postgres and gateway a test may take down. Never the shared stack's.
   */
  controlUrl: string;
}

/** The running harness' addresses and keys; throws when the tests were started without it. */
export function e2eEnvironment(): E2eEnvironment {
  const read = (name: string): string => {
    const value = process.env[name];
    if (!value) throw new Error(`${name} is not set: run the end-to-end tests through playwright.config.ts (npx playwright test), which starts the harness`);
    return value;
  };
  return {
    baseURL: read(E2E_ENV.baseURL),
    supabaseUrl: read(E2E_ENV.supabaseUrl),
    publishableKey: read(E2E_ENV.publishableKey),
    secretKey: read(E2E_ENV.secretKey),
    databaseUrl: read(E2E_ENV.databaseUrl),
    controlUrl: read(E2E_ENV.controlUrl),
  };
}
