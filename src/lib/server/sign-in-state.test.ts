import { describe, expect, it } from 'vitest';
import { signInStateFrom } from './sign-in-state';

const row = {
  staff_id: 'a0000000-0000-4000-8000-000000000001',
  display_name: 'Kaisa Koordinaattori',
  role: 'coordinator' as const,
  preferred_language: 'sv',
  active: true,
  mfa_required: true,
  has_verified_factor: true,
  current_level: 'aal1',
  satisfied: false,
  session_active: true
};

describe('the sign-in state of a request', () => {
  it('gives the layout the profile and the sign-in check the assurance, from one row', () => {
    expect(signInStateFrom(row)).toEqual({
      profile: { id: row.staff_id, display_name: 'Kaisa Koordinaattori', role: 'coordinator', preferred_language: 'sv' },
      assurance: { mfaRequired: true, hasVerifiedFactor: true, currentLevel: 'aal1', satisfied: false, sessionActive: true }
    });
  });

  it('keeps the profile of a deactivated account but no assurance, as my_sign_in_assurance answered for it', () => {
    const state = signInStateFrom({ ...row, active: false, role: null as unknown as 'coordinator' });
    expect(state.profile).toMatchObject({ id: row.staff_id, role: null });
    expect(state.assurance).toBeNull();
  });

  it('has neither without a staff row', () => {
    expect(signInStateFrom(null)).toEqual({ profile: null, assurance: null });
  });
});
