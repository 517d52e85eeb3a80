import { fail } from '@sveltejs/kit';
import { parseCsv } from '$lib/server/admin/csv';
import { requireRole } from '$lib/server/admin/guard';
import { validateImport, type ImportIssue } from '$lib/server/admin/facility-input';
import { existingFacilityKeys, importFacilities, municipalityCodes } from '$lib/server/admin/facilities';
import type { Actions } from './$types';

const MAX_BYTES = 2_000_000;

/** The uploaded file (preview) or the text the preview handed back (import). */
async function csvText(form: FormData): Promise<string | null> {
  const file = form.get('file');
  if (file instanceof File && file.size > 0) return file.size > MAX_BYTES ? null : await file.text();
  const text = form.get('csv');
  return typeof text === 'string' && text.length > 0 && text.length <= MAX_BYTES ? text : null;
}

async function check(locals: App.Locals, text: string) {
  const [{ codes }, existingNames] = await Promise.all([municipalityCodes(locals.supabase), existingFacilityKeys(locals.supabase)]);
  return validateImport(parseCsv(text), { municipalityCodes: codes, existingNames });
}

export const actions: Actions = {
  preview: async ({ locals, request }) => {
    await requireRole(locals, ['admin']);
    const text = await csvText(await request.formData());
    if (text === null) return fail(400, { step: 'preview' as const, issues: [{ line: 0, column: null, code: 'no_rows' }] as ImportIssue[] });
    const result = await check(locals, text);
    if (!result.ok) return fail(400, { step: 'preview' as const, issues: result.issues });
    return { step: 'preview' as const, rows: result.rows, csv: text };
  },
  import: async ({ locals, request }) => {
    await requireRole(locals, ['admin']);
    const text = await csvText(await request.formData());
    if (text === null) return fail(400, { step: 'import' as const, issues: [{ line: 0, column: null, code: 'no_rows' }] as ImportIssue[] });
    // Checked again: the file may have been tampered with, or another admin imported meanwhile.
    const result = await check(locals, text);
    if (!result.ok) return fail(400, { step: 'import' as const, issues: result.issues });
    const outcome = await importFacilities(locals.supabase, result.rows);
    if (!outcome.ok) {
      return fail(400, {
        step: 'import' as const,
        issues: [{ line: outcome.line ?? 0, column: outcome.column, code: outcome.code }] as ImportIssue[]
      });
    }
    return { step: 'done' as const, imported: outcome.ids.length };
  }
};
