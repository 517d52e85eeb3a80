// Staff administration: what needs the Auth admin API (creating accounts, banning sign-in) goes
// through the secret-key client; everything else through the admin's own client, so that RLS
// checks the admin and the audit trail names them.
import type { SupabaseClient } from '@supabase/supabase-js';
import { z } from 'zod';
import type { Database } from '$lib/supabase/database.types';
import { APP_ROLES, type AppRole } from '$lib/staff';
import { createServiceClient } from './service-client';

/** Longer than the Auth server's own minimum (supabase/config.toml: 10). */
export const MIN_PASSWORD_LENGTH = 12;

export const newStaffSchema = z.object({
  email: z.string().trim().toLowerCase().min(1, 'required').max(254, 'invalid').email('invalid'),
  displayName: z.string().trim().min(1, 'required').max(200, 'too_long'),
  role: z.enum(APP_ROLES, { message: 'required' }),
  language: z.enum(['fi', 'sv', 'en'], { message: 'required' }),
  password: z.string().min(MIN_PASSWORD_LENGTH, 'too_short').max(72, 'too_long')
});

export type NewStaff = z.infer<typeof newStaffSchema>;
export type NewStaffField = keyof NewStaff;
export type FieldErrors<Field extends string> = Partial<Record<Field, string>>;

/** Zod issues as one stable code per field (the first), for translated messages beside the fields. */
export function fieldErrors<Field extends string>(error: z.ZodError): FieldErrors<Field> {
  const errors: FieldErrors<Field> = {};
  for (const issue of error.issues) {
    const field = String(issue.path[0] ?? '') as Field;
    if (!(field in errors)) errors[field] = issue.message.match(/^[a-z_]+$/) ? issue.message : 'invalid';
  }
  return errors;
}

export type CreateStaffResult = { ok: true; id: string } | { ok: false; code: 'email_exists' | 'weak_password' | 'unavailable' };

export async function createStaff(input: NewStaff): Promise<CreateStaffResult> {
  const { data, error } = await createServiceClient().auth.admin.createUser({
    email: input.email,
    password: input.password,
    email_confirm: true,
    user_metadata: { display_name: input.displayName, preferred_language: input.language },
    // The sign-up trigger turns this into staff.role.
    app_metadata: { role: input.role }
  });
  if (error || !data.user) {
    if (error?.code === 'email_exists' || error?.status === 422 && /already/i.test(error.message)) return { ok: false, code: 'email_exists' };
    if (error?.code === 'weak_password') return { ok: false, code: 'weak_password' };
    console.error('Creating a staff account failed', error);
    return { ok: false, code: 'unavailable' };
  }
  return { ok: true, id: data.user.id };
}

/**
 * Deactivating bans sign-in in Auth (no new sessions, no refresh) and marks the staff row
 * inactive, which the role helper reads, so open sessions lose all access at once.
 */
export async function setStaffActive(
  supabase: SupabaseClient<Database>,
  staffId: string,
  active: boolean
): Promise<boolean> {
  const { error: rowError, count } = await supabase
    .from('staff')
    .update({ active }, { count: 'exact' })
    .eq('id', staffId);
  if (rowError || count !== 1) {
    console.error('Changing staff.active failed', rowError);
    return false;
  }
  const { error: banError } = await createServiceClient().auth.admin.updateUserById(staffId, {
    ban_duration: active ? 'none' : '876000h'
  });
  if (banError) {
    console.error('Changing the Auth ban failed', banError);
    return false;
  }
  return true;
}

export function isAppRole(value: unknown): value is AppRole {
  return typeof value === 'string' && (APP_ROLES as readonly string[]).includes(value);
}
