import type { Database } from './supabase/database.types';

export type AppRole = Database['public']['Enums']['app_role'];

export const APP_ROLES = [
  'coordinator',
  'facility_staff',
  'caseworker',
  'admin',
  'auditor'
] as const satisfies readonly AppRole[];

export function toAppRole(value: unknown): AppRole | null {
  return typeof value === 'string' && (APP_ROLES as readonly string[]).includes(value)
    ? (value as AppRole)
    : null;
}

/** What the app shows of the signed-in staff member (from `public.staff`, read through RLS). */
export interface StaffProfile {
  id: string;
  displayName: string;
  /** Null until an admin assigns a role, or when the account is deactivated. */
  role: AppRole | null;
  preferredLanguage: 'fi' | 'sv' | 'en';
}
