// Strong sign-in enforced by RLS: with MFA required, a coordinator, admin or auditor holding a
// password-only (aal1) token reads no client, no exact location and no audit row, whatever the
// app does; after a TOTP verification (aal2) they read what their role allows. Users are created
// for this file, so the demo accounts other tests sign in with never get a factor.
import { randomUUID } from 'node:crypto';
import { createClient, type SupabaseClient } from '@supabase/supabase-js';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import WebSocket from 'ws';
import { totpCode } from '../../local-stack/src/auth/mfa-totp.ts';
import { closeDb, db, newClient, one, scratchFacility } from './support/stack.ts';

const PASSWORD = 'mfa-integration-1';
const admin = createClient(inject('url'), inject('secretKey'), {
  auth: { persistSession: false, autoRefreshToken: false },
  realtime: { transport: WebSocket as unknown as typeof globalThis.WebSocket },
});
const createdUsers: string[] = [];
let mfaRequiredBefore = false;

type Role = 'coordinator' | 'facility_staff' | 'caseworker' | 'admin' | 'auditor';

async function staffMember(role: Role): Promise<{ id: string; email: string }> {
  const email = `mfa-${role}-${randomUUID()}@suoja.example`;
  const { data, error } = await admin.auth.admin.createUser({ email, password: PASSWORD, email_confirm: true, app_metadata: { role } });
  if (error) throw error;
  createdUsers.push(data.user.id);
  return { id: data.user.id, email };
}

async function signIn(email: string): Promise<SupabaseClient> {
  const supabase = newClient();
  const { error } = await supabase.auth.signInWithPassword({ email, password: PASSWORD });
  if (error) throw error;
  return supabase;
}

async function enrolAndVerify(supabase: SupabaseClient): Promise<string> {
  const { data, error } = await supabase.auth.mfa.enroll({ factorType: 'totp', friendlyName: 'phone' });
  if (error) throw error;
  const { error: verifyError } = await supabase.auth.mfa.challengeAndVerify({ factorId: data.id, code: totpCode(data.totp.secret) });
  if (verifyError) throw verifyError;
  return data.totp.secret;
}

async function verifyAgain(supabase: SupabaseClient, secret: string): Promise<void> {
  const { data } = await supabase.auth.mfa.listFactors();
  const { error } = await supabase.auth.mfa.challengeAndVerify({ factorId: data!.totp[0]!.id, code: totpCode(secret) });
  if (error) throw error;
}

async function visibleCount(supabase: SupabaseClient, table: string): Promise<number> {
  const { count, error } = await supabase.from(table).select('*', { count: 'exact', head: true });
  if (error) throw error;
  return count ?? 0;
}

async function assurance(supabase: SupabaseClient) {
  const { data, error } = await supabase.rpc('my_sign_in_assurance' as never).single();
  if (error) throw error;
  return data as { mfa_required: boolean; has_verified_factor: boolean; current_level: string; satisfied: boolean; session_active: boolean };
}

beforeAll(async () => {
  mfaRequiredBefore = (await one<{ mfa_required: boolean }>('select mfa_required from private.security_settings')).mfa_required;
  await db().query('update private.security_settings set mfa_required = true');
});

afterAll(async () => {
  await db().query('update private.security_settings set mfa_required = $1', [mfaRequiredBefore]);
  for (const id of createdUsers) await admin.auth.admin.deleteUser(id);
  await closeDb();
});

describe('MFA required by configuration', () => {
  it('is off on the local demo stack until switched on, and on everywhere else by default', async () => {
    // The migration decides by the local stack's marker in auth.schema_migrations.
    expect(mfaRequiredBefore).toBe(false);
  });

  it('hides clients, placements and exact locations from a coordinator until the TOTP code is verified', async () => {
    const coordinator = await staffMember('coordinator');
    const facility = await scratchFacility();
    const clientsInDatabase = Number((await one<{ n: string }>('select count(*) as n from public.clients')).n);
    expect(clientsInDatabase).toBeGreaterThan(0);

    const supabase = await signIn(coordinator.email);
    expect(await assurance(supabase)).toEqual({
      mfa_required: true,
      has_verified_factor: false,
      current_level: 'aal1',
      satisfied: false,
      session_active: true,
    });
    expect(await visibleCount(supabase, 'clients')).toBe(0);
    expect(await visibleCount(supabase, 'placements')).toBe(0);
    expect(await visibleCount(supabase, 'facilities')).toBe(0);
    const refused = await supabase.rpc('reveal_facility_location', { facility_id: facility, reason: 'placement tonight' });
    expect(refused.data).toBeNull();
    expect(refused.error?.message).toBe('not_allowed');

    await enrolAndVerify(supabase);
    expect(await assurance(supabase)).toMatchObject({ has_verified_factor: true, current_level: 'aal2', satisfied: true });
    expect(await visibleCount(supabase, 'clients')).toBe(clientsInDatabase);
    const revealed = await supabase.rpc('reveal_facility_location', { facility_id: facility, reason: 'placement tonight' });
    expect(revealed.error).toBeNull();
    expect(revealed.data).toHaveLength(1);
  });

  it('keeps the audit trail from an auditor and other staff from an admin at aal1', async () => {
    const auditor = await signIn((await staffMember('auditor')).email);
    const administrator = await signIn((await staffMember('admin')).email);
    const auditRows = Number((await one<{ n: string }>('select count(*) as n from public.audit_log')).n);
    expect(auditRows).toBeGreaterThan(0);
    expect(await visibleCount(auditor, 'audit_log')).toBe(0);
    // Only their own staff row (the policy for one's own row does not need a role).
    expect(await visibleCount(administrator, 'staff')).toBe(1);

    await enrolAndVerify(auditor);
    expect(await visibleCount(auditor, 'audit_log')).toBeGreaterThanOrEqual(auditRows);
  });

  it('does not ask facility staff or caseworkers for a second factor', async () => {
    const staff = await signIn((await staffMember('facility_staff')).email);
    expect(await assurance(staff)).toMatchObject({ mfa_required: false, satisfied: true });
    expect(await visibleCount(staff, 'facilities')).toBeGreaterThan(0);
  });
});

describe('a session ended elsewhere', () => {
  it('reads nothing more once the user signs out everywhere, although its access token has not expired', async () => {
    const member = await staffMember('facility_staff');
    const laptop = await signIn(member.email);
    const phone = await signIn(member.email);
    expect(await visibleCount(phone, 'facilities')).toBeGreaterThan(0);
    const { error } = await laptop.auth.signOut({ scope: 'global' });
    expect(error).toBeNull();
    // The phone still holds an unexpired token, which PostgREST accepts: RLS finds no session.
    expect(await visibleCount(phone, 'facilities')).toBe(0);
    expect(await visibleCount(phone, 'municipalities')).toBe(0);
    expect(await assurance(phone)).toMatchObject({ session_active: false });
  });
});

describe('a user who has enrolled a factor', () => {
  it('must use it on every sign-in, even where the configuration does not require it', async () => {
    await db().query('update private.security_settings set mfa_required = false');
    try {
      const member = await staffMember('facility_staff');
      const first = await signIn(member.email);
      const secret = await enrolAndVerify(first);

      const next = await signIn(member.email);
      expect(await assurance(next)).toMatchObject({ mfa_required: false, has_verified_factor: true, current_level: 'aal1', satisfied: false });
      expect(await visibleCount(next, 'facilities')).toBe(0);
      expect(await visibleCount(next, 'municipalities')).toBe(0);

      await verifyAgain(next, secret);
      expect(await visibleCount(next, 'facilities')).toBeGreaterThan(0);
    } finally {
      await db().query('update private.security_settings set mfa_required = true');
    }
  });

  it('is back to password-only sign-in after an administrator deletes the factor (recovery)', async () => {
    await db().query('update private.security_settings set mfa_required = false');
    try {
      const member = await staffMember('facility_staff');
      await enrolAndVerify(await signIn(member.email));
      const { data } = await admin.auth.admin.mfa.listFactors({ userId: member.id });
      for (const factor of data!.factors) await admin.auth.admin.mfa.deleteFactor({ userId: member.id, id: factor.id });

      const after = await signIn(member.email);
      expect(await assurance(after)).toMatchObject({ has_verified_factor: false, satisfied: true });
      expect(await visibleCount(after, 'facilities')).toBeGreaterThan(0);
    } finally {
      await db().query('update private.security_settings set mfa_required = true');
    }
  });
});
