import { error, fail, redirect } from '@sveltejs/kit';
import { clientFormEcho, parseClientForm, type ClientFormEcho } from '$lib/components/clients/forms';
import { rpcErrorText } from '$lib/components/clients/text';
import { m } from '$lib/paraglide/messages';
import { loadCaseworkers, loadClientByCode } from '../../clients.server';
import type { ClientFormFailure } from '../../new/+page.server';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals, params, parent }) => {
  await parent();
  const { client, children } = await loadClientByCode(locals.supabase, params.code);
  const [caseworkers, assignments] = await Promise.all([
    loadCaseworkers(locals.supabase),
    locals.supabase.from('caseworker_assignments').select('caseworker_id').eq('client_id', client.id)
  ]);
  if (assignments.error) {
    console.error('Reading caseworker assignments failed', assignments.error);
    error(503, m.error_generic());
  }
  const initial: ClientFormEcho = {
    gender: client.gender,
    birthYear: String(client.birth_year),
    languages: client.languages.join(', '),
    needsAccessibility: client.needs_accessibility,
    needsPets: client.needs_pets,
    needsOther: client.needs_other,
    safetyLevel: String(client.safety_level),
    levelChangeReason: '',
    responsibleParty: client.responsible_party,
    asylumSeeker: client.asylum_seeker,
    children: children.map((child) => ({ id: child.id, birthYear: String(child.birth_year), gender: child.gender })),
    caseworkerIds: (assignments.data ?? []).map((row) => row.caseworker_id)
  };
  return { code: client.code, currentLevel: client.safety_level, initial, caseworkers };
};

export const actions: Actions = {
  default: async ({ request, locals, params }) => {
    const { client } = await loadClientByCode(locals.supabase, params.code);
    const echo = clientFormEcho(await request.formData());
    const parsed = parseClientForm(echo, new Date().getFullYear(), client.safety_level);
    if (!parsed.ok) return fail(400, { echo, errors: parsed.errors, failure: null } satisfies ClientFormFailure);
    const values = parsed.values;
    const { error: saveError } = await locals.supabase.rpc('save_client', {
      target_id: client.id,
      gender: values.gender,
      birth_year: values.birthYear,
      languages: values.languages,
      needs_accessibility: values.needsAccessibility,
      needs_pets: values.needsPets,
      needs_other: values.needsOther,
      safety_level: values.safetyLevel,
      level_change_reason: values.levelChangeReason,
      responsible_party: values.responsibleParty,
      asylum_seeker: values.asylumSeeker,
      children: values.children,
      caseworker_ids: values.caseworkerIds
    });
    if (saveError) {
      if (!saveError.code?.startsWith('P0')) console.error('Saving a client failed', saveError);
      return fail(400, { echo, errors: {}, failure: rpcErrorText(saveError) } satisfies ClientFormFailure);
    }
    redirect(303, `/clients/${client.code}?saved=1`);
  }
};
