import { existsSync } from 'node:fs';
import js from '@eslint/js';
import { defineConfig, globalIgnores } from 'eslint/config';
import svelte from 'eslint-plugin-svelte';
import globals from 'globals';
import ts from 'typescript-eslint';

// The Svelte parser reads the project's preprocessors and runes settings from here once it exists.
const svelteConfig = existsSync(new URL('./svelte.config.js', import.meta.url))
  ? (await import('./svelte.config.js')).default
  : undefined;

export default defineConfig(
  globalIgnores([
    'build/',
    '.svelte-kit/',
    'src/lib/paraglide/',
    'src/lib/supabase/database.types.ts',
    '.local-stack/',
    'bench/results/',
    'test-results/',
    'playwright-report/',
  ]),
  js.configs.recommended,
  ts.configs.recommended,
  svelte.configs.recommended,
  {
    languageOptions: {
      globals: { ...globals.browser, ...globals.node },
    },
    rules: {
      // TypeScript already reports undefined names, with types; this rule only misfires on them.
      'no-undef': 'off',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
    },
  },
  {
    files: ['**/*.svelte', '**/*.svelte.ts', '**/*.svelte.js'],
    languageOptions: {
      parserOptions: {
        parser: ts.parser,
        extraFileExtensions: ['.svelte'],
        svelteConfig,
      },
    },
  },
  {
    // Type-aware rules only where they are cheap: plain TypeScript files, through the TS project
    // service (each file's nearest tsconfig.json). An un-awaited promise in a server hook, a
    // script or a test hides failures, which here can mean a placement silently not saved.
    // The folders each have a tsconfig.json that includes them; the root's config files do not.
    files: ['src/**/*.ts', 'tests/**/*.ts', 'scripts/**/*.ts', 'local-stack/**/*.ts', 'bench/**/*.ts'],
    ignores: ['**/*.svelte.ts'],
    languageOptions: {
      parserOptions: {
        projectService: true,
        tsconfigRootDir: import.meta.dirname,
      },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: { arguments: false, attributes: false } }],
      '@typescript-eslint/await-thenable': 'error',
    },
  },
);
