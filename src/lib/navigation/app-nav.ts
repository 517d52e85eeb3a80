import type { Pathname } from '$app/types';
import { m } from '$lib/paraglide/messages';
import type { AppRole } from '$lib/staff';

/** One entry of the main navigation: where it goes, its label, and which roles see it. */
export interface AppNavEntry {
  path: Pathname;
  label: () => string;
  roles: readonly AppRole[];
}

const everyone: readonly AppRole[] = ['coordinator', 'facility_staff', 'caseworker', 'admin', 'auditor'];

// Each area adds its own line here, in the order the entries should appear. The database
// decides what each role may read; this list only keeps screens a role cannot use out of sight.
export const appNav: readonly AppNavEntry[] = [{ path: '/', label: m.nav_home, roles: everyone }];

export function navFor(role: AppRole | null): { path: Pathname; label: string }[] {
  if (!role) return [];
  return appNav.filter((entry) => entry.roles.includes(role)).map((entry) => ({ path: entry.path, label: entry.label() }));
}
