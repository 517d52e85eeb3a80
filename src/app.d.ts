import type { Session, SupabaseClient } from '@supabase/supabase-js';
import type { VerifiedClaims } from '$lib/server/auth';
import type { SignInState } from '$lib/server/sign-in-state';
import type { StaffProfile } from '$lib/staff';
import type { Database } from '$lib/supabase/database.types';

declare global {
  namespace App {
    interface Locals {
      /** Acts as the user whose cookies came with the request, so every query goes through RLS. */
      supabase: SupabaseClient<Database>;
      /**
       * The user's claims after `getClaims()` verified the access token's signature and expiry;
       * null when signed out or the token is invalid. Resolved once per request.
       */
      safeGetClaims(): Promise<VerifiedClaims | null>;
      /**
       * The staff profile and session standing that the sign-in check read on this GET or HEAD
       * request behind login, for the (app) layout to reuse instead of reading them again.
       */
      signInState?: Promise<SignInState | null>;
    }
    interface PageData {
      /** The root layout's universal load: a browser client in the browser. */
      supabase?: SupabaseClient<Database>;
      /** Read from the cookies for client-side bookkeeping only, never for authorisation. */
      session?: Session | null;
      /** The signed-in staff member, on pages behind login. */
      staff?: StaffProfile;
    }
    // interface Error {}
    // interface PageState {}
    // interface Platform {}
  }
}

export {};
