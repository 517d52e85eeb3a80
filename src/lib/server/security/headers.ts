// Security headers for every response. The Content-Security-Policy itself comes from SvelteKit
// (`kit.csp` in svelte.config.js, with per-response nonces); the Supabase project and the map
// tiles are runtime configuration, so their origins are added to it here.

/** Origins (scheme://host[:port]) the browser must reach: HTTP for REST/Auth, WebSocket for Realtime. */
export function connectOrigins(supabaseUrl: string, mapStyleUrl?: string | null): string[] {
  const origins = new Set<string>();
  const supabase = new URL(supabaseUrl);
  origins.add(supabase.origin);
  origins.add(`${supabase.protocol === 'https:' ? 'wss:' : 'ws:'}//${supabase.host}`);
  if (mapStyleUrl) {
    try {
      origins.add(new URL(mapStyleUrl).origin);
    } catch {
      // A relative style URL is served by the app itself: 'self' covers it.
    }
  }
  return [...origins];
}

/**
 * Adds sources to one directive of a policy SvelteKit generated. The directive must exist in
 * kit.csp (it does: connect-src and img-src are declared there); unknown ones are left alone.
 */
export function extendDirective(policy: string, directive: string, sources: readonly string[]): string {
  if (sources.length === 0) return policy;
  return policy
    .split(';')
    .map((part) => {
      const trimmed = part.trim();
      if (trimmed === directive || trimmed.startsWith(`${directive} `)) return `${trimmed} ${sources.join(' ')}`;
      return trimmed;
    })
    .filter((part) => part !== '')
    .join('; ');
}

/** Whether the request arrived over a connection that the browser will pin with HSTS. */
function isProductionOrigin(url: URL): boolean {
  const loopback = url.hostname === 'localhost' || url.hostname === '127.0.0.1' || url.hostname === '[::1]';
  return url.protocol === 'https:' && !loopback;
}

/** The headers every response carries (besides the CSP). */
export function staticSecurityHeaders(url: URL): Record<string, string> {
  const headers: Record<string, string> = {
    // frame-ancestors in the CSP says the same to current browsers; this covers older ones.
    'X-Frame-Options': 'DENY',
    'X-Content-Type-Options': 'nosniff',
    // Addresses in URLs (a client code, a facility id) must never leak to another site.
    'Referrer-Policy': 'no-referrer',
    'Cross-Origin-Opener-Policy': 'same-origin',
    'Permissions-Policy': 'camera=(), microphone=(), geolocation=(), payment=(), usb=(), interest-cohort=()'
  };
  if (isProductionOrigin(url)) headers['Strict-Transport-Security'] = 'max-age=63072000; includeSubDomains';
  return headers;
}
