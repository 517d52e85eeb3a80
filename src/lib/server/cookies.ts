/**
 * `Secure` everywhere except plain-HTTP development on the loopback interface (the local stack,
 * `vite dev`, the end-to-end tests). SvelteKit's own default only exempts `localhost`, which
 * would make browsers drop cookies on http://127.0.0.1.
 */
export function secureCookies(url: URL): boolean {
  const loopback = url.hostname === 'localhost' || url.hostname === '127.0.0.1' || url.hostname === '[::1]';
  return !(url.protocol === 'http:' && loopback);
}
