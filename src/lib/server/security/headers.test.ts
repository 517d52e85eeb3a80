import { describe, expect, it } from 'vitest';
import { connectOrigins, extendDirective, staticSecurityHeaders } from './headers';

describe('security headers', () => {
  it('lets the browser reach the Supabase project over HTTP and WebSocket, and the map tiles', () => {
    expect(connectOrigins('http://127.0.0.1:54321')).toEqual(['http://127.0.0.1:54321', 'ws://127.0.0.1:54321']);
    expect(connectOrigins('https://abc.supabase.co/', 'https://tiles.example.fi/style.json')).toEqual([
      'https://abc.supabase.co',
      'wss://abc.supabase.co',
      'https://tiles.example.fi'
    ]);
    expect(connectOrigins('https://abc.supabase.co', '/map/style.json')).toEqual(['https://abc.supabase.co', 'wss://abc.supabase.co']);
  });

  it('adds sources to the named directive only', () => {
    const policy = "default-src 'self'; connect-src 'self'; img-src 'self' data: blob:; frame-ancestors 'none'";
    expect(extendDirective(policy, 'connect-src', ['https://a.example', 'wss://a.example'])).toBe(
      "default-src 'self'; connect-src 'self' https://a.example wss://a.example; img-src 'self' data: blob:; frame-ancestors 'none'"
    );
    expect(extendDirective(policy, 'worker-src', ['blob:'])).toBe(policy);
  });

  it('forbids framing, sniffing and referrers everywhere, and pins HTTPS only on a real HTTPS origin', () => {
    const local = staticSecurityHeaders(new URL('http://127.0.0.1:4173/'));
    expect(local).toMatchObject({ 'X-Frame-Options': 'DENY', 'X-Content-Type-Options': 'nosniff', 'Referrer-Policy': 'no-referrer' });
    expect(local['Strict-Transport-Security']).toBeUndefined();
    expect(staticSecurityHeaders(new URL('https://suoja.example.fi/'))['Strict-Transport-Security']).toBe('max-age=63072000; includeSubDomains');
  });
});
