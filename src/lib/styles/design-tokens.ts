// Turns the Suomi.fi design tokens (the npm package's JavaScript export) into CSS custom
// properties, so components use `var(--fi-color-brand-base)` and the values stay those of the
// installed design-system version. Used at build time by a Vite plugin (see vite.config.ts).
import type { DesignTokens, ValueUnit } from 'suomifi-design-tokens';

/** Own enumerable entries with the value type of the object (Object.entries loses it on interfaces). */
function entries<T extends object>(object: T): Array<[string, T[keyof T]]> {
  return Object.entries(object) as Array<[string, T[keyof T]]>;
}

/** `brandBase` → `brand-base`, `heading1SmallScreen` → `heading1-small-screen`. */
export function kebabCase(name: string): string {
  return name.replace(/([a-z0-9])([A-Z])/g, '$1-$2').toLowerCase();
}

function valueWithUnit(token: ValueUnit): string {
  return `${token.value}${token.unit ?? ''}`;
}

/** CSS declarations (`--fi-...: value;`), one per line, in a stable order. */
export function designTokenDeclarations(tokens: DesignTokens): string[] {
  const groups: Array<[prefix: string, values: object]> = [
    ['color', tokens.colors],
    ['spacing', tokens.spacing],
    ['radius', tokens.radiuses],
    ['transition', tokens.transitions],
    ['shadow', tokens.shadows],
    ['gradient', tokens.gradients],
    ['breakpoint', tokens.breakpoints]
  ];
  const declarations: string[] = [];
  for (const [prefix, values] of groups) {
    for (const [name, value] of entries(values)) {
      declarations.push(`--fi-${prefix}-${kebabCase(name)}: ${String(value)};`);
    }
  }
  for (const [name, type] of entries(tokens.values.typography)) {
    const base = `--fi-text-${kebabCase(name)}`;
    declarations.push(`${base}-font-family: ${type.fontFamily};`);
    declarations.push(`${base}-font-size: ${valueWithUnit(type.fontSize)};`);
    declarations.push(`${base}-line-height: ${valueWithUnit(type.lineHeight)};`);
    declarations.push(`${base}-font-weight: ${type.fontWeight};`);
  }
  return declarations;
}

export function designTokensToCss(tokens: DesignTokens): string {
  const body = designTokenDeclarations(tokens)
    .map((declaration) => `  ${declaration}`)
    .join('\n');
  return `/* Generated from suomifi-design-tokens at build time. */\n:root {\n${body}\n}\n`;
}
