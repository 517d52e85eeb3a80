import { paraglideVitePlugin } from '@inlang/paraglide-js';
import { sveltekit } from '@sveltejs/kit/vite';
import { suomifiDesignTokens } from 'suomifi-design-tokens';
import { defineConfig, type Plugin } from 'vite';
import { designTokensToCss } from './src/lib/styles/design-tokens';

const TOKENS_MODULE_ID = 'virtual:suomifi-tokens.css';
// The \0 prefix keeps other plugins from treating the id as a file on disk.
const RESOLVED_TOKENS_MODULE_ID = `\0${TOKENS_MODULE_ID}`;

/** Serves the Suomi.fi design tokens as a stylesheet of CSS custom properties. */
function suomifiTokensCss(): Plugin {
  return {
    name: 'suoja:suomifi-tokens-css',
    resolveId(id) {
      return id === TOKENS_MODULE_ID ? RESOLVED_TOKENS_MODULE_ID : undefined;
    },
    load(id) {
      return id === RESOLVED_TOKENS_MODULE_ID ? designTokensToCss(suomifiDesignTokens) : undefined;
    }
  };
}

// Vitest's `unit` project extends this config. Paraglide's plugin watches the message files and
// keeps a test run alive for 10 s after it finishes; the test script compiles the messages
// beforehand instead, so the plugin is left out under Vitest.
const underVitest = Boolean(process.env.VITEST);

export default defineConfig({
  plugins: [
    suomifiTokensCss(),
    sveltekit(),
    underVitest
      ? null
      : paraglideVitePlugin({
          project: './project.inlang',
          outdir: './src/lib/paraglide',
          strategy: ['cookie', 'baseLocale']
        })
  ]
});
