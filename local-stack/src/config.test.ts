import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG, parseHookUri, parseProjectConfig, parseSchedule } from './config.ts';
import { callStatement } from './scheduler.ts';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

describe('supabase/config.toml', () => {
  it('reads the project’s own file: ports, token lifetime and the access token hook', () => {
    const config = parseProjectConfig(readFileSync(path.join(repoRoot, 'supabase/config.toml'), 'utf8'));
    expect(config.apiPort).toBe(54321);
    expect(config.dbPort).toBe(54322);
    expect(config.jwtExpiry).toBe(3600);
    expect(config.customAccessTokenHook).toEqual({ schema: 'public', name: 'custom_access_token_hook' });
  });

  it('falls back to the Supabase CLI’s defaults for what is not set', () => {
    expect(parseProjectConfig('project_id = "x"')).toEqual(DEFAULT_CONFIG);
  });

  it('ignores a hook that is configured but disabled', () => {
    const config = parseProjectConfig('[auth.hook.custom_access_token]\nenabled = false\nuri = "pg-functions://postgres/public/h"');
    expect(config.customAccessTokenHook).toBeNull();
  });

  it('refuses a hook URI that does not name a Postgres function, and nonsense numbers', () => {
    expect(() => parseHookUri('https://example.com/hook')).toThrow(/pg-functions/);
    expect(() => parseHookUri('pg-functions://postgres/public/x;drop table y')).toThrow();
    expect(() => parseProjectConfig('[auth]\njwt_expiry = "soon"')).toThrow(/jwt_expiry/);
  });
});

describe('scheduled SQL', () => {
  it('reads jobs and quotes the function it calls', () => {
    const [job] = parseSchedule('{"jobs":[{"name":"expire holds","function":"public.expire_holds","intervalSeconds":60}]}');
    expect(job).toEqual({ name: 'expire holds', function: 'public.expire_holds', intervalSeconds: 60 });
    expect(callStatement(job!.function)).toBe('select "public"."expire_holds"()');
  });

  it('refuses anything but schema.function and a positive interval', () => {
    expect(() => parseSchedule('{"jobs":[{"function":"select 1; drop table x","intervalSeconds":1}]}')).toThrow(/schema.function/);
    expect(() => parseSchedule('{"jobs":[{"function":"expire_holds","intervalSeconds":1}]}')).toThrow(/schema.function/);
    expect(() => parseSchedule('{"jobs":[{"function":"public.f","intervalSeconds":0}]}')).toThrow(/intervalSeconds/);
  });
});
