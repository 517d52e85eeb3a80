// Reading the audit trail for auditors, through their own client (RLS lets only auditors read
// it; nobody can change it). Filters come from the URL so a view can be shared and reloaded.
import type { SupabaseClient } from '@supabase/supabase-js';
import type { Database } from '$lib/supabase/database.types';
import { APP_ROLES, type AppRole } from '$lib/staff';

export const AUDIT_ACTIONS = ['insert', 'update', 'delete', 'reveal_location'] as const;
export const AUDIT_TABLES = [
  'staff', 'facilities', 'facility_locations', 'facility_memberships', 'capacity_reports', 'clients', 'client_children',
  'caseworker_assignments', 'exclusion_zones', 'exclusion_zone_reasons', 'client_unsuitable_facilities', 'unmet_needs',
  'placements', 'placement_persons', 'partner_keys', 'retention_settings'
] as const;
export const AUDIT_PAGE_SIZE = 50;
export const AUDIT_EXPORT_LIMIT = 10_000;

export interface AuditFilters {
  actor: string | null;
  role: AppRole | null;
  action: (typeof AUDIT_ACTIONS)[number] | null;
  table: string | null;
  facility: string | null;
  client: string | null;
  from: string | null;
  to: string | null;
  page: number;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const DATE = /^\d{4}-\d{2}-\d{2}$/;

export function readAuditFilters(params: URLSearchParams): AuditFilters {
  const pick = <T extends string>(name: string, allowed: readonly T[]): T | null => {
    const value = params.get(name);
    return value && (allowed as readonly string[]).includes(value) ? (value as T) : null;
  };
  const uuid = (name: string): string | null => (UUID.test(params.get(name) ?? '') ? params.get(name) : null);
  const date = (name: string): string | null => (DATE.test(params.get(name) ?? '') ? params.get(name) : null);
  const client = (params.get('client') ?? '').trim().toUpperCase();
  return {
    actor: uuid('actor'),
    role: pick('role', APP_ROLES),
    action: pick('action', AUDIT_ACTIONS),
    table: pick('table', AUDIT_TABLES),
    facility: uuid('facility'),
    client: /^AS-[2-9A-HJKMNP-Z]{4,6}$/.test(client) ? client : null,
    from: date('from'),
    to: date('to'),
    page: Math.max(1, Math.min(10_000, Number.parseInt(params.get('page') ?? '1', 10) || 1))
  };
}

export function auditQuery(filters: AuditFilters, page?: number): string {
  const params = new URLSearchParams();
  for (const key of ['actor', 'role', 'action', 'table', 'facility', 'client', 'from', 'to'] as const) {
    const value = filters[key];
    if (value) params.set(key, value);
  }
  if (page && page > 1) params.set('page', String(page));
  return params.toString();
}

/** Midnight in Helsinki of a calendar day, as an instant the database compares with. */
function helsinkiMidnight(day: string): string {
  // Europe/Helsinki is UTC+2 or +3; find the offset that day by formatting noon UTC there.
  const noon = new Date(`${day}T12:00:00Z`);
  const hour = Number(new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/Helsinki', hour: '2-digit', hour12: false }).format(noon));
  const offset = hour - 12;
  return new Date(Date.parse(`${day}T00:00:00Z`) - offset * 3_600_000).toISOString();
}

export type AuditRow = Database['public']['Tables']['audit_log']['Row'];

export async function readAudit(
  supabase: SupabaseClient<Database>,
  filters: AuditFilters,
  range: { offset: number; limit: number }
): Promise<{ rows: AuditRow[]; total: number; unknownClient: boolean }> {
  let clientId: string | null = null;
  if (filters.client) {
    const { data, error } = await supabase.rpc('audit_client_id', { client_code: filters.client });
    if (error) throw new Error(`audit_client_id failed: ${error.message}`);
    if (!data) return { rows: [], total: 0, unknownClient: true };
    clientId = data;
  }
  let query = supabase.from('audit_log').select('*', { count: 'exact' });
  if (filters.actor) query = query.eq('actor_id', filters.actor);
  if (filters.role) query = query.eq('actor_role', filters.role);
  if (filters.action) query = query.eq('action', filters.action);
  if (filters.table) query = query.eq('table_name', filters.table);
  if (filters.facility) query = query.eq('facility_id', filters.facility);
  if (clientId) query = query.eq('client_id', clientId);
  if (filters.from) query = query.gte('occurred_at', helsinkiMidnight(filters.from));
  if (filters.to) {
    const next = new Date(Date.parse(`${filters.to}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
    query = query.lt('occurred_at', helsinkiMidnight(next));
  }
  const { data, error, count } = await query
    .order('occurred_at', { ascending: false })
    .order('id', { ascending: false })
    .range(range.offset, range.offset + range.limit - 1);
  if (error) throw new Error(`reading the audit trail failed: ${error.message}`);
  return { rows: data, total: count ?? data.length, unknownClient: false };
}

/** Who is who in the trail: staff names (auditors may read staff) and facility names. */
export async function auditDirectory(supabase: SupabaseClient<Database>): Promise<{
  staff: { id: string; display_name: string; email: string }[];
  facilities: { id: string; name: string }[];
}> {
  const [staff, facilities] = await Promise.all([
    supabase.from('staff').select('id, display_name, email').order('display_name'),
    supabase.rpc('audit_facility_directory')
  ]);
  if (staff.error || facilities.error) throw new Error('reading the audit directory failed');
  return { staff: staff.data, facilities: facilities.data.map((f) => ({ id: f.id, name: f.name })) };
}
