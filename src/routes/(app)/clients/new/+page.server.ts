import { fail, redirect } from '@sveltejs/kit';
import { clientFormEcho, parseClientForm, type ClientField, type ClientFormEcho, type FieldErrors } from '$lib/components/clients/forms';
import { rpcErrorText } from '$lib/components/clients/text';
import { loadCaseworkers } from '../clients.server';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals, parent }) => {
  await parent();
  const initial: ClientFormEcho = {
    gender: '',
    birthYear: '',
    languages: '',
    needsAccessibility: false,
    needsPets: false,
    needsOther: '',
    safetyLevel: '',
    levelChangeReason: '',
    responsibleParty: 'assistance_system',
    asylumSeeker: false,
    children: [],
    caseworkerIds: []
  };
  return { initial, caseworkers: await loadCaseworkers(locals.supabase) };
};

export interface ClientFormFailure {
  echo: ClientFormEcho;
  errors: FieldErrors<ClientField>;
  failure: string | null;
}

export const actions: Actions = {
  default: async ({ request, locals }) => {
    const echo = clientFormEcho(await request.formData());
    const parsed = parseClientForm(echo, new Date().getFullYear(), null);
    if (!parsed.ok) return fail(400, { echo, errors: parsed.errors, failure: null } satisfies ClientFormFailure);
    const values = parsed.values;
    const { data, error } = await locals.supabase.rpc('save_client', {
      target_id: null as unknown as string,
      gender: values.gender,
      birth_year: values.birthYear,
      languages: values.languages,
      needs_accessibility: values.needsAccessibility,
      needs_pets: values.needsPets,
      needs_other: values.needsOther,
      safety_level: values.safetyLevel,
      level_change_reason: null as unknown as string,
      responsible_party: values.responsibleParty,
      asylum_seeker: values.asylumSeeker,
      children: values.children,
      caseworker_ids: values.caseworkerIds
    });
    if (error || !data) {
      if (!error?.code?.startsWith('P0')) console.error('Saving a client failed', error);
      return fail(400, { echo, errors: {}, failure: rpcErrorText(error) } satisfies ClientFormFailure);
    }
    redirect(303, `/clients/${data.code}?created=1`);
  }
};
