import type { Pathname } from '$app/types';
import { m } from '$lib/paraglide/messages';
import type { AppRole } from '$lib/staff';

/**
 * Top-level pages (`/`, `/map`, …): what the main navigation points at. Narrower than Pathname,
 * whose parameterised members (`/clients/${string}`) `resolve()` will not take without params.
 */
export type TopLevelPathname = Exclude<Pathname, `/${string}/${string}`>;

/** One entry of the main navigation: where it goes, its label, and which roles see it. */
export interface AppNavEntry {
  path: TopLevelPathname;
  label: () => string;
  roles: readonly AppRole[];
}

const everyone: readonly AppRole[] = ['coordinator', 'facility_staff', 'caseworker', 'admin', 'auditor'];

// Each area adds its own line here, in the order the entries should appear. The database
// decides what each role may read; this list only keeps screens a role cannot use out of sight.
export const appNav: readonly AppNavEntry[] = [
  { path: '/', label: m.nav_home, roles: everyone },
  { path: '/map', label: m.map_nav, roles: ['coordinator', 'facility_staff', 'admin', 'caseworker'] },
  { path: '/my-facility', label: m.staff_nav, roles: ['facility_staff'] },
  { path: '/clients', label: m.clients_nav_clients, roles: ['coordinator'] },
  { path: '/my-clients', label: m.clients_nav_my_clients, roles: ['caseworker'] },
  { path: '/stats', label: m.stats_nav, roles: ['coordinator'] },
  { path: '/admin', label: m.admin_nav, roles: ['admin'] },
  { path: '/audit', label: m.audit_nav, roles: ['auditor'] },
  { path: '/account', label: m.security_account_nav, roles: everyone }
];

export function navFor(role: AppRole | null): { path: TopLevelPathname; label: string }[] {
  if (!role) return [];
  return appNav.filter((entry) => entry.roles.includes(role)).map((entry) => ({ path: entry.path, label: entry.label() }));
}
