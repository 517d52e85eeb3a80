// Every statistics, administration, audit and public-page text exists in Finnish, Swedish and
// English, and every message the code asks for is there.
import { readFileSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '../../../..');
const load = (locale: string): Record<string, string> =>
  JSON.parse(readFileSync(path.join(root, 'messages/admin', `${locale}.json`), 'utf8')) as Record<string, string>;
const locales = { fi: load('fi'), sv: load('sv'), en: load('en') };

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) return sourceFiles(full);
    return /\.(ts|svelte)$/.test(name) && !name.endsWith('.test.ts') ? [full] : [];
  });
}

describe('the admin area’s messages', () => {
  it('have the same keys in fi, sv and en, none empty, all with the area’s prefixes', () => {
    const keys = (messages: Record<string, string>) => Object.keys(messages).filter((key) => key !== '$schema').sort();
    expect(keys(locales.sv)).toEqual(keys(locales.fi));
    expect(keys(locales.en)).toEqual(keys(locales.fi));
    for (const [locale, messages] of Object.entries(locales)) {
      for (const key of keys(messages)) {
        expect(key, `${locale}: ${key}`).toMatch(/^(stats|admin|audit|public)_/);
        expect(messages[key]?.trim(), `${locale}: ${key}`).not.toBe('');
      }
    }
  });

  it('use the same placeholders in every language', () => {
    for (const key of Object.keys(locales.fi)) {
      const placeholders = (text: string | undefined) => [...(text ?? '').matchAll(/\{(\w+)\}/g)].map((match) => match[1]).sort();
      expect(placeholders(locales.sv[key]), key).toEqual(placeholders(locales.fi[key]));
      expect(placeholders(locales.en[key]), key).toEqual(placeholders(locales.fi[key]));
    }
  });

  it('cover every message the area’s code uses', () => {
    const dirs = ['src/routes/(app)/stats', 'src/routes/(app)/admin', 'src/routes/(app)/audit', 'src/routes/(public)', 'src/lib/server/admin', 'src/lib/components/stats'];
    const used = new Set(
      dirs.flatMap((dir) => sourceFiles(path.join(root, dir))).flatMap((file) =>
        [...readFileSync(file, 'utf8').matchAll(/\bm\.((?:stats|admin|audit|public)_\w+)/g)].map((match) => match[1]!)
      )
    );
    expect(used.size).toBeGreaterThan(100);
    expect([...used].filter((key) => !(key in locales.fi))).toEqual([]);
  });
});
