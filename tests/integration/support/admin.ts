// Helpers for the statistics, administration and retention tests (issue 8).
import { randomUUID } from 'node:crypto';
import { db, one } from './stack.ts';

/** A municipality no facility or unmet need uses yet, so figures filtered by it are a test's own. */
export async function emptyMunicipality(): Promise<string> {
  const row = await one<{ code: string }>(
    `select m.code from public.municipalities m
     where not exists (select 1 from public.facilities f where f.municipality_code = m.code)
       and not exists (select 1 from public.unmet_needs u where u.municipality_code = m.code)
     order by random() limit 1`,
  );
  if (!row) throw new Error('every municipality already has a facility; add municipalities or clean up');
  return row.code;
}

/** A placement written as history (no RPC: the RPCs only act in the present). */
export async function placementRow(p: {
  client: string;
  facility: string;
  status: 'ended' | 'declined' | 'expired' | 'active' | 'cancelled';
  persons?: number;
  arrivedAt?: string;
  endedAt?: string;
  respondedAt?: string;
  declineReason?: string;
  expiredAt?: string;
}): Promise<string> {
  const id = randomUUID();
  const anchor = p.arrivedAt ?? p.respondedAt ?? p.expiredAt ?? new Date().toISOString();
  await db().query(
    `insert into public.placements (id, client_id, facility_id, status, persons, safety_level, planned_arrival,
                                    hold_expires_at, held_at, responded_at, decline_reason, arrived_at, ended_at, end_reason,
                                    expired_at, cancelled_at, created_at)
     values ($1, $2, $3, $4::public.placement_status, $5, 1, ($6::timestamptz)::date, $6::timestamptz, $6::timestamptz - interval '1 day', $7, $8, $9, $10,
             case when $4::text = 'ended' then 'test' end, $11, case when $4::text = 'cancelled' then $6::timestamptz end,
             $6::timestamptz - interval '1 day')`,
    [id, p.client, p.facility, p.status, p.persons ?? 1, anchor, p.respondedAt ?? null, p.declineReason ?? null,
     p.arrivedAt ?? null, p.endedAt ?? null, p.expiredAt ?? null],
  );
  await db().query('insert into public.placement_persons (placement_id) values ($1)', [id]);
  return id;
}
