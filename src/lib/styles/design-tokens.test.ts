import { describe, expect, it } from 'vitest';
import { suomifiDesignTokens } from 'suomifi-design-tokens';
import { designTokenDeclarations, designTokensToCss, kebabCase } from './design-tokens';


describe('Suomi.fi design tokens as CSS custom properties', () => {
  it('names properties in kebab case', () => {
    expect(kebabCase('brandBase')).toBe('brand-base');
    expect(kebabCase('heading1SmallScreen')).toBe('heading1-small-screen');
    expect(kebabCase('xxs')).toBe('xxs');
  });

  it('carries the brand colour, spacing and body text of the installed design system', () => {
    const declarations = designTokenDeclarations(suomifiDesignTokens);
    expect(declarations).toContain(`--fi-color-brand-base: ${suomifiDesignTokens.colors.brandBase};`);
    expect(declarations).toContain(`--fi-spacing-m: ${suomifiDesignTokens.spacing.m};`);
    expect(declarations).toContain('--fi-text-body-text-font-size: 18px;');
    expect(declarations).toContain('--fi-text-body-text-line-height: 1.5;');
  });

  it('defines every colour token exactly once', () => {
    const css = designTokensToCss(suomifiDesignTokens);
    for (const name of Object.keys(suomifiDesignTokens.colors)) {
      const property = `--fi-color-${kebabCase(name)}:`;
      expect(css.split(property).length - 1, property).toBe(1);
    }
    expect(css.startsWith('/*')).toBe(true);
    expect(css).toMatch(/:root \{\n[\s\S]*\n\}\n$/);
  });
});
