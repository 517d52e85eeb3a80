import { describe, expect, it, vi } from 'vitest';

vi.mock('$env/dynamic/private', () => ({ env: {} }));
vi.mock('$env/dynamic/public', () => ({ env: {} }));
vi.mock('$lib/supabase/config', () => ({ publicSupabaseConfig: () => ({ url: 'http://127.0.0.1:54321', key: 'k' }) }));

const { nullOriginFormPostAllowed } = await import('./hooks');

function post(headers: Record<string, string>, method = 'POST'): Request {
  return new Request('http://127.0.0.1:4173/logout', { method, headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers } });
}

describe('form posts with Origin: null (Referrer-Policy: no-referrer)', () => {
  it('accepts the app’s own plain form posts, which the browser marks same-origin', () => {
    expect(nullOriginFormPostAllowed(post({ origin: 'null', 'sec-fetch-site': 'same-origin' }))).toBe(true);
  });

  it('refuses them from another site, a sandboxed frame, or a browser that does not say', () => {
    expect(nullOriginFormPostAllowed(post({ origin: 'null', 'sec-fetch-site': 'cross-site' }))).toBe(false);
    expect(nullOriginFormPostAllowed(post({ origin: 'null', 'sec-fetch-site': 'same-site' }))).toBe(false);
    expect(nullOriginFormPostAllowed(post({ origin: 'null' }))).toBe(false);
    expect(nullOriginFormPostAllowed(post({ origin: 'null', 'content-type': 'multipart/form-data; boundary=x' }, 'DELETE'))).toBe(false);
  });

  it('leaves every other request to SvelteKit’s own origin check', () => {
    expect(nullOriginFormPostAllowed(post({ origin: 'https://evil.example' }))).toBe(true);
    expect(nullOriginFormPostAllowed(new Request('http://127.0.0.1:4173/', { method: 'GET', headers: { origin: 'null' } }))).toBe(true);
    expect(nullOriginFormPostAllowed(post({ origin: 'null', 'content-type': 'application/json' }))).toBe(true);
  });
});
