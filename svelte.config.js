import adapter from '@sveltejs/adapter-node';
import { vitePreprocess } from '@sveltejs/vite-plugin-svelte';

/** @type {import('@sveltejs/kit').Config} */
const config = {
  preprocess: vitePreprocess(),
  compilerOptions: {
    // Our components are runes-only (legacy syntax is a compile error); third-party components
    // in node_modules keep whatever mode they were written for.
    runes: ({ filename }) => (filename.split(/[/\\]/).includes('node_modules') ? undefined : true)
  },
  kit: {
    adapter: adapter(),
    // With `Referrer-Policy: no-referrer`, browsers send `Origin: null` on the app's own plain
    // (non-JavaScript) form posts, which SvelteKit's origin check would refuse. Those pass here
    // and hooks.server.ts (sameSiteFormPosts) accepts them only with `Sec-Fetch-Site: same-origin`.
    csrf: { trustedOrigins: ['null'] },
    // A strict policy: scripts only from this origin with SvelteKit's per-response nonces (no
    // inline or eval'd script), nothing framed, no plugins. MapLibre builds its worker from a
    // blob: URL and draws images from data:/blob: URLs. The Supabase project and map tile
    // origins are runtime settings, appended to connect-src/img-src in hooks.server.ts.
    csp: {
      mode: 'auto',
      directives: {
        'default-src': ['self'],
        'script-src': ['self'],
        // Svelte and MapLibre set style attributes; styles cannot run code.
        'style-src': ['self', 'unsafe-inline'],
        'img-src': ['self', 'data:', 'blob:'],
        'font-src': ['self'],
        'connect-src': ['self'],
        'worker-src': ['self', 'blob:'],
        'child-src': ['blob:'],
        'object-src': ['none'],
        'base-uri': ['self'],
        'form-action': ['self'],
        'frame-ancestors': ['none'],
        'frame-src': ['none'],
        'manifest-src': ['self']
      }
    }
  }
};

export default config;
