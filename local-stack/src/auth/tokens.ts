// Access tokens as GoTrue mints them (supabase/auth internal/tokens/service.go), including the
// Custom Access Token Hook called as a Postgres function (internal/hooks/hookspgfunc).
import { randomUUID } from 'node:crypto';
import { SignJWT } from 'jose';
import type { StackContext } from '../context.ts';
import { type Db, query } from './db.ts';
import { HttpError, internal } from './errors.ts';
import type { LoadedUser } from './users.ts';

/** GoTrue's default hook timeout; it relies on statement_timeout rather than its own timer. */
const HOOK_TIMEOUT_MS = 2000;
/** AMR methods that lift a session to aal2 (models.AMRClaim.IsAAL2Claim). */
const AAL2_METHODS = new Set(['totp', 'mfa/phone', 'mfa/webauthn']);

export type AuthenticationMethod = 'password' | 'token_refresh' | 'totp';

export interface AmrEntry {
  method: string;
  timestamp: number;
}

export interface IssuedAccessToken {
  token: string;
  expiresAt: number;
}

/** The session's AMR, newest first, and the assurance level it implies. */
export async function sessionAssurance(db: Db, sessionId: string): Promise<{ aal: string; amr: AmrEntry[] }> {
  const claims = await query<{ authentication_method: string; updated_epoch: string }>(
    db,
    `select authentication_method, floor(extract(epoch from updated_at))::bigint::text as updated_epoch
       from auth.mfa_amr_claims where session_id = $1`,
    [sessionId],
  );
  const amr = claims
    .map((claim) => ({ method: claim.authentication_method, timestamp: Number(claim.updated_epoch) }))
    .sort((a, b) => b.timestamp - a.timestamp);
  const aal = amr.some((entry) => AAL2_METHODS.has(entry.method)) ? 'aal2' : 'aal1';
  return { aal, amr };
}

/** Records (or refreshes the time of) how the session was authenticated, as AddClaimToSession does. */
export async function addAmrClaim(db: Db, sessionId: string, method: AuthenticationMethod): Promise<void> {
  await query(
    db,
    `insert into auth.mfa_amr_claims (id, session_id, created_at, updated_at, authentication_method)
     values (gen_random_uuid(), $1, now(), now(), $2)
     on conflict on constraint mfa_amr_claims_session_id_authentication_method_pkey
     do update set updated_at = now()`,
    [sessionId, method],
  );
}

/**
 * Builds, optionally passes through the hook, and signs an access token. Must run inside the
 * caller's transaction: the hook runs with `set local statement_timeout`, and a hook failure
 * aborts the sign-in or refresh as a whole, as in GoTrue.
 */
export async function issueAccessToken(
  ctx: StackContext,
  db: Db,
  user: LoadedUser,
  sessionId: string,
  authenticationMethod: AuthenticationMethod,
  ipAddress: string | null,
): Promise<IssuedAccessToken> {
  const { aal, amr } = await sessionAssurance(db, sessionId);
  const issuedAt = Math.floor(Date.now() / 1000);
  const expiresAt = issuedAt + ctx.config.jwtExpiry;
  const { row } = user;

  // Key order follows GoTrue's struct (registered claims first), so tokens read the same.
  const claims: Record<string, unknown> = {
    iss: `${ctx.config.publicUrl}/auth/v1`,
    sub: row.id,
    aud: row.aud ?? '',
    exp: expiresAt,
    iat: issuedAt,
    email: row.email ?? '',
    phone: row.phone ?? '',
    app_metadata: row.raw_app_meta_data ?? {},
    user_metadata: row.raw_user_meta_data ?? {},
    role: row.role ?? '',
    aal,
    amr,
    session_id: sessionId,
    is_anonymous: row.is_anonymous,
  };

  let finalClaims = claims;
  const hook = ctx.config.customAccessTokenHook;
  if (hook) {
    finalClaims = await runCustomAccessTokenHook(ctx, db, hook, {
      metadata: {
        uuid: randomUUID(),
        time: new Date().toISOString(),
        name: 'customize-access-token',
        ...(ipAddress ? { ip_address: ipAddress } : {}),
      },
      user_id: row.id,
      claims,
      authentication_method: authenticationMethod,
    });
  }

  const token = await new SignJWT(finalClaims)
    .setProtectedHeader({ alg: 'ES256', kid: ctx.keys.signingKid, typ: 'JWT' })
    .sign(ctx.keys.signingPrivateKey);
  // As GoTrue, expires_in/expires_at report the expiry it computed, even if a hook changed `exp`.
  return { token, expiresAt };
}

function quoteIdentifier(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

async function runCustomAccessTokenHook(
  ctx: StackContext,
  db: Db,
  hook: { schema: string; name: string },
  input: Record<string, unknown>,
): Promise<Record<string, unknown>> {
  const hookUri = `pg-functions://postgres/${hook.schema}/${hook.name}`;
  let output: unknown;
  try {
    await db.query(`set local statement_timeout to '${HOOK_TIMEOUT_MS}'`);
    const rows = await query<{ output: unknown }>(
      db,
      `select ${quoteIdentifier(hook.schema)}.${quoteIdentifier(hook.name)}($1::jsonb) as output`,
      [JSON.stringify(input)],
    );
    await db.query('set local statement_timeout to default');
    output = rows[0]?.output ?? null;
  } catch (error) {
    ctx.log('auth', `custom access token hook ${hookUri} failed: ${error instanceof Error ? error.message : String(error)}`);
    throw internal(`Error running hook URI: ${hookUri}`);
  }

  // A function declared `returns json` arrives as text-decoded JSON too; both end up as objects here.
  const parsed = typeof output === 'string' ? safeJsonParse(output) : output;

  // hookserrors.Check: {"error":{"http_code":..,"message":..}} with a non-empty message is an error.
  if (isRecord(parsed) && isRecord(parsed.error)) {
    const message = typeof parsed.error.message === 'string' ? parsed.error.message : '';
    if (message !== '') {
      const httpCode = typeof parsed.error.http_code === 'number' && parsed.error.http_code > 0 ? parsed.error.http_code : 500;
      throw new HttpError(httpCode, '', message);
    }
  }

  const outputClaims = isRecord(parsed) ? parsed.claims : undefined;
  validateHookClaims(outputClaims);
  return outputClaims;
}

function safeJsonParse(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

type JsonType = 'string' | 'integer' | 'object' | 'array';

/** GoTrue's MinimumViableTokenSchema: property types, then required claims. */
const CLAIM_TYPES: Record<string, JsonType[]> = {
  aud: ['string', 'array'],
  exp: ['integer'],
  jti: ['string'],
  iat: ['integer'],
  iss: ['string'],
  nbf: ['integer'],
  sub: ['string'],
  email: ['string'],
  phone: ['string'],
  app_metadata: ['object'],
  user_metadata: ['object'],
  role: ['string'],
  aal: ['string'],
  amr: ['array'],
  session_id: ['string'],
  client_id: ['string'],
};
const REQUIRED_CLAIMS = ['aud', 'exp', 'iat', 'sub', 'email', 'phone', 'role', 'aal', 'session_id', 'is_anonymous'];

function jsonTypeOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
  if (typeof value === 'boolean') return 'boolean';
  return typeof value;
}

function validateHookClaims(claims: unknown): asserts claims is Record<string, unknown> {
  const problems: string[] = [];
  if (!isRecord(claims)) {
    problems.push(`(root): Invalid type. Expected: object, given: ${jsonTypeOf(claims ?? null)}`);
  } else {
    for (const name of REQUIRED_CLAIMS) {
      if (!(name in claims)) problems.push(`(root): ${name} is required`);
    }
    for (const [name, allowed] of Object.entries(CLAIM_TYPES)) {
      if (!(name in claims)) continue;
      const actual = jsonTypeOf(claims[name]);
      if (!allowed.includes(actual as JsonType)) {
        problems.push(`${name}: Invalid type. Expected: ${allowed.join(', ')}, given: ${actual}`);
      }
    }
    const amr = claims.amr;
    if (Array.isArray(amr)) {
      amr.forEach((entry, index) => {
        if (!(typeof entry === 'string' || isRecord(entry))) problems.push(`amr.${index}: Must validate at least one schema (anyOf)`);
      });
    }
  }
  if (problems.length > 0) {
    // Built without an error code in GoTrue, so no x-sb-error-code header either.
    throw new HttpError(500, '', `output claims do not conform to the expected schema: \n${problems.map((problem) => `- ${problem}\n`).join('')}`);
  }
}
