// The one WCAG check every end-to-end file uses: axe-core's WCAG 2.0/2.1 A and AA rules on the
// page as it is now, failing with each violation's rule, impact, help text and elements.
import AxeBuilder from '@axe-core/playwright';
import { expect, type Page } from '@playwright/test';

export const WCAG_21_AA_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];

/** The violations on the page, one line each. */
export async function wcagViolations(page: Page): Promise<string[]> {
  // Legacy mode runs axe in the page itself instead of merging per-frame results in a new blank
  // page: the same rules and results for Suoja's pages, which have no cross-origin frames, at
  // about 60 % of the time (measured on the administration pages), and these checks run on every
  // page in three languages.
  const results = await new AxeBuilder({ page }).withTags(WCAG_21_AA_TAGS).setLegacyMode().analyze();
  return results.violations.map(
    (violation) => `${violation.id} (${violation.impact ?? 'unknown'}): ${violation.help} at ${violation.nodes.map((node) => node.target.join(' ')).join(', ')}`
  );
}

export async function expectNoWcagViolations(page: Page, what: string): Promise<void> {
  expect(await wcagViolations(page), `WCAG 2.1 A/AA violations on ${what}`).toEqual([]);
}
