// TOTP multi-factor authentication as GoTrue serves it (supabase/auth internal/api/mfa.go and
// the admin factor endpoints): enrol, challenge, verify (which lifts the session to aal2 with an
// AMR `totp` entry), unenrol, and an administrator's list and delete. Phone and WebAuthn factors
// are off, as they are on a project that has not enabled them.
import { randomInt } from 'node:crypto';
import type { StackContext } from '../context.ts';
import { CommitThenThrow, type Db, query, queryOne, withConnection, withTransaction } from './db.ts';
import { badRequest, forbidden, internal, notFound, unprocessable } from './errors.ts';
import { type Authenticated, requireAdmin, requireAuthentication } from './guard.ts';
import type { EndpointInput, Reply } from './handlers.ts';
import { qrSvg } from './mfa-qr.ts';
import { generateTotpSecret, otpauthUri, verifyTotp } from './mfa-totp.ts';
import type { SignInLimiter } from './rate-limit.ts';
import { readJsonObject, stringField } from './request.ts';
import { audit, sessionResponse } from './sessions.ts';
import { issueAccessToken } from './tokens.ts';
import { findUserById, isUuid, type LoadedUser, NIL_UUID, serializeUser } from './users.ts';

/** GoTrue's defaults (MFA_CHALLENGE_EXPIRY_DURATION, MFA_FACTOR_EXPIRY_DURATION, MFA_MAX_*). */
const CHALLENGE_EXPIRY_SECONDS = 300;
const UNVERIFIED_FACTOR_EXPIRY_SECONDS = 300;
const MAX_ENROLLED_FACTORS = 10;
const MAX_VERIFIED_FACTORS = 10;

type MfaRoute = (input: EndpointInput & { path: string }, params: string[]) => Promise<Reply>;

interface FactorRow {
  id: string;
  user_id: string;
  factor_type: string;
  status: string;
  secret: string | null;
}

function requireSession(auth: Authenticated): { id: string; aal: string | null } {
  if (!auth.session) throw internal('A valid session and a registered user are required to enroll a factor');
  return auth.session;
}

/** loadFactor: the factor must belong to the caller (or, for admins, to the user in the path). */
async function loadOwnedFactor(db: Db, userId: string, factorId: string, lock = false): Promise<FactorRow> {
  if (!isUuid(factorId)) throw notFound('validation_failed', 'factor_id must be an UUID');
  const factor = await queryOne<FactorRow>(
    db,
    `select id, user_id, factor_type::text as factor_type, status::text as status, secret
       from auth.mfa_factors where id = $1 and user_id = $2${lock ? ' for update' : ''}`,
    [factorId, userId],
  );
  if (!factor) throw notFound('mfa_factor_not_found', 'Factor not found');
  return factor;
}

/** validateFactors: expired unverified factors go first, then the name, count and AAL checks. */
async function validateNewFactor(db: Db, user: LoadedUser, friendlyName: string, sessionAal: string | null): Promise<void> {
  await query(
    db,
    `delete from auth.mfa_factors
      where user_id = $1 and status = 'unverified' and created_at < now() - make_interval(secs => $2)`,
    [user.row.id, UNVERIFIED_FACTOR_EXPIRY_SECONDS],
  );
  const factors = await query<{ friendly_name: string | null; status: string }>(
    db,
    `select friendly_name, status::text as status from auth.mfa_factors where user_id = $1`,
    [user.row.id],
  );
  // As GoTrue compares names, two factors without a name conflict too.
  if (factors.some((factor) => (factor.friendly_name ?? '') === friendlyName)) {
    throw unprocessable('mfa_factor_name_conflict', `A factor with the friendly name "${friendlyName}" for this user already exists`);
  }
  const verified = factors.filter((factor) => factor.status === 'verified').length;
  if (factors.length >= MAX_ENROLLED_FACTORS || verified >= MAX_VERIFIED_FACTORS) {
    throw unprocessable('too_many_enrolled_mfa_factors', 'Maximum number of verified factors reached, unenroll to continue');
  }
  if (verified > 0 && sessionAal !== 'aal2') throw forbidden('insufficient_aal', 'AAL2 required to enroll a new factor');
}

async function enroll({ ctx, req, query: search, client }: EndpointInput): Promise<Reply> {
  const auth = await withConnection(ctx.authPool, (db) => requireAuthentication(ctx, db, req, search));
  const session = requireSession(auth);
  const body = await readJsonObject(req);
  const friendlyName = stringField(body, 'friendly_name');
  const factorType = stringField(body, 'factor_type');
  const issuerParam = stringField(body, 'issuer');
  stringField(body, 'phone');

  switch (factorType) {
    case 'totp':
      break;
    case 'phone':
      throw unprocessable('mfa_phone_enroll_not_enabled', 'MFA enroll is disabled for Phone');
    case 'webauthn':
      throw unprocessable('mfa_webauthn_enroll_not_enabled', 'MFA enroll is disabled for WebAuthn');
    default:
      throw badRequest('validation_failed', 'factor_type needs to be totp, phone, or webauthn');
  }

  const { user } = auth;
  const issuer = issuerParam || new URL(ctx.config.publicUrl).host;
  const secret = generateTotpSecret();
  const uri = otpauthUri(issuer, user.row.email ?? '', secret);

  const factorId = await withTransaction(ctx.authPool, async (db) => {
    await queryOne(db, `select 1 from auth.users where id = $1 for update`, [user.row.id]);
    await validateNewFactor(db, user, friendlyName, session.aal);
    const row = await queryOne<{ id: string }>(
      db,
      `insert into auth.mfa_factors (id, user_id, friendly_name, factor_type, status, created_at, updated_at, secret)
       values (gen_random_uuid(), $1, $2, 'totp', 'unverified', now(), now(), $3)
       returning id`,
      [user.row.id, friendlyName, secret],
    );
    if (!row) throw internal('Database error creating factor');
    await audit(db, { id: user.row.id, email: user.row.email }, 'factor_in_progress', client.ip, { factor_id: row.id });
    return row.id;
  });

  return {
    status: 200,
    body: { id: factorId, type: 'totp', friendly_name: friendlyName, totp: { qr_code: await qrSvg(uri), secret, uri } },
  };
}

async function challenge({ ctx, req, query: search, client }: EndpointInput, factorId: string): Promise<Reply> {
  return withTransaction(ctx.authPool, async (db) => {
    const auth = await requireAuthentication(ctx, db, req, search);
    const factor = await loadOwnedFactor(db, auth.user.row.id, factorId, true);
    if (factor.factor_type !== 'totp') throw unprocessable('mfa_phone_verify_not_enabled', 'MFA verification is disabled for Phone');
    const created = await queryOne<{ id: string; expires_at: string }>(
      db,
      `insert into auth.mfa_challenges (id, factor_id, created_at, ip_address)
       values (gen_random_uuid(), $1, now(), $2::inet)
       returning id, floor(extract(epoch from created_at))::bigint + $3 as expires_at`,
      [factor.id, client.ip ?? '0.0.0.0', CHALLENGE_EXPIRY_SECONDS],
    );
    if (!created) throw internal('Database error creating challenge');
    await query(db, `update auth.mfa_factors set last_challenged_at = now(), updated_at = now() where id = $1`, [factor.id]);
    await audit(db, { id: auth.user.row.id, email: auth.user.row.email }, 'challenge_created', client.ip, {
      factor_id: factor.id,
      factor_status: factor.status,
    });
    return { status: 200, body: { id: created.id, type: 'totp', expires_at: Number(created.expires_at) } };
  });
}

/**
 * The session's refresh token is swapped for a new one and the session becomes aal2
 * (updateMFASessionAndClaims); the user's other aal1 sessions end, since they were opened with
 * the password alone (InvalidateSessionsWithAALLessThan).
 */
async function liftSessionToAal2(ctx: StackContext, db: Db, userId: string, sessionId: string, factorId: string, ip: string | null) {
  await query(db, `update auth.sessions set aal = 'aal2', factor_id = $2, updated_at = now() where id = $1`, [sessionId, factorId]);
  await query(
    db,
    `insert into auth.mfa_amr_claims (id, session_id, created_at, updated_at, authentication_method)
     values (gen_random_uuid(), $1, now(), now(), 'totp')
     on conflict on constraint mfa_amr_claims_session_id_authentication_method_pkey do update set updated_at = now()`,
    [sessionId],
  );
  const active = await queryOne<{ id: string; token: string }>(
    db,
    `select id::text, token from auth.refresh_tokens where session_id = $1 and revoked = false order by id desc limit 1 for update`,
    [sessionId],
  );
  if (active) await query(db, `update auth.refresh_tokens set revoked = true, updated_at = now() where id = $1`, [active.id]);
  const alphabet = 'abcdefghijklmnopqrstuvwxyz0123456789';
  const refreshToken = Array.from({ length: 12 }, () => alphabet[randomInt(alphabet.length)]).join('');
  await query(
    db,
    `insert into auth.refresh_tokens (instance_id, token, user_id, revoked, created_at, updated_at, parent, session_id)
     values ($1, $2, $3, false, now(), now(), $4, $5)`,
    [NIL_UUID, refreshToken, userId, active?.token ?? null, sessionId],
  );
  await query(db, `delete from auth.sessions where user_id = $1 and aal < 'aal2'`, [userId]);
  const user = await findUserById(db, userId);
  if (!user) throw internal('user vanished while verifying a factor');
  const access = await issueAccessToken(ctx, db, user, sessionId, 'totp', ip);
  return { accessToken: access.token, expiresAt: access.expiresAt, refreshToken, user };
}

async function verify(input: EndpointInput, factorId: string, limiter: SignInLimiter): Promise<Reply> {
  const { ctx, req, query: search, client } = input;
  const auth = await withConnection(ctx.authPool, (db) => requireAuthentication(ctx, db, req, search));
  const session = requireSession(auth);
  const factor = await withConnection(ctx.authPool, (db) => loadOwnedFactor(db, auth.user.row.id, factorId));
  const body = await readJsonObject(req);
  const challengeId = stringField(body, 'challenge_id');
  const code = stringField(body, 'code');
  if (!isUuid(challengeId)) {
    throw badRequest('bad_json', 'Could not parse request body as JSON: invalid UUID for challenge_id');
  }
  if (code === '') throw badRequest('validation_failed', 'Code needs to be non-empty');

  return limiter.verifyFactor(factor.id, async () => {
    const grant = await withTransaction(ctx.authPool, async (db) => {
      const found = await queryOne<{ id: string; verified_at: string | null; ip_address: string; expired: boolean }>(
        db,
        `select id, verified_at, host(ip_address) as ip_address,
                created_at + make_interval(secs => $3) < now() as expired
           from auth.mfa_challenges where id = $1 and factor_id = $2 for update`,
        [challengeId, factor.id, CHALLENGE_EXPIRY_SECONDS],
      );
      if (!found) throw unprocessable('mfa_factor_not_found', 'MFA factor with the provided challenge ID not found');
      if (found.verified_at !== null || found.ip_address !== (client.ip ?? '0.0.0.0')) {
        throw unprocessable('mfa_ip_address_mismatch', 'Challenge and verify IP addresses mismatch.');
      }
      if (found.expired) {
        // The expired challenge is deleted, and that survives the error (as in GoTrue).
        await query(db, `delete from auth.mfa_challenges where id = $1`, [found.id]);
        throw new CommitThenThrow(
          unprocessable('mfa_challenge_expired', `MFA challenge ${found.id} has expired, verify against another challenge or create a new challenge.`),
        );
      }
      if (!verifyTotp(factor.secret ?? '', code)) throw unprocessable('mfa_verification_failed', 'Invalid TOTP code entered');

      await audit(db, { id: auth.user.row.id, email: auth.user.row.email }, 'verification_attempted', client.ip, {
        factor_id: factor.id,
        challenge_id: found.id,
        factor_type: 'totp',
      });
      await query(db, `update auth.mfa_challenges set verified_at = now() where id = $1`, [found.id]);
      if (factor.status !== 'verified') {
        await query(db, `update auth.mfa_factors set status = 'verified', updated_at = now() where id = $1`, [factor.id]);
      }
      const lifted = await liftSessionToAal2(ctx, db, auth.user.row.id, session.id, factor.id, client.ip);
      await query(db, `delete from auth.mfa_factors where user_id = $1 and status = 'unverified' and factor_type = 'totp'`, [auth.user.row.id]);
      return lifted;
    });
    return { status: 200, body: sessionResponse(grant) };
  });
}

/** Sessions that relied on the factor fall back to aal1 (DowngradeSessionsToAAL1). */
async function downgradeSessions(db: Db, factorId: string): Promise<void> {
  await query(
    db,
    `delete from auth.mfa_amr_claims where authentication_method = 'totp'
        and session_id in (select id from auth.sessions where factor_id = $1)`,
    [factorId],
  );
  await query(db, `update auth.sessions set aal = 'aal1', factor_id = null, updated_at = now() where factor_id = $1`, [factorId]);
}

async function unenroll({ ctx, req, query: search, client }: EndpointInput, factorId: string): Promise<Reply> {
  return withTransaction(ctx.authPool, async (db) => {
    const auth = await requireAuthentication(ctx, db, req, search);
    const session = requireSession(auth);
    const factor = await loadOwnedFactor(db, auth.user.row.id, factorId, true);
    if (factor.status === 'verified' && session.aal !== 'aal2') {
      throw unprocessable('insufficient_aal', 'AAL2 required to unenroll verified factor');
    }
    await downgradeSessions(db, factor.id);
    await query(db, `delete from auth.mfa_factors where id = $1`, [factor.id]);
    await audit(db, { id: auth.user.row.id, email: auth.user.row.email }, 'factor_unenrolled', client.ip, {
      factor_id: factor.id,
      factor_status: factor.status,
      session_id: session.id,
    });
    return { status: 200, body: { id: factor.id } };
  });
}

async function loadTargetUser(db: Db, userId: string): Promise<LoadedUser> {
  if (!isUuid(userId)) throw notFound('validation_failed', 'user_id must be an UUID');
  const user = await findUserById(db, userId);
  if (!user) throw notFound('user_not_found', 'User not found');
  return user;
}

async function adminListFactors({ ctx, req, query: search }: EndpointInput, userId: string): Promise<Reply> {
  return withConnection(ctx.authPool, async (db) => {
    await requireAdmin(ctx, db, req, search);
    const user = await loadTargetUser(db, userId);
    return { status: 200, body: (serializeUser(user).factors as unknown[] | undefined) ?? [] };
  });
}

/** Recovery by an administrator: the user signs in with the password again and enrols anew. */
async function adminDeleteFactor({ ctx, req, query: search, client }: EndpointInput, userId: string, factorId: string): Promise<Reply> {
  return withTransaction(ctx.authPool, async (db) => {
    const { role } = await requireAdmin(ctx, db, req, search);
    const user = await loadTargetUser(db, userId);
    const factor = await loadOwnedFactor(db, user.row.id, factorId, true);
    const serialized = ((serializeUser(user).factors as Array<{ id: string }> | undefined) ?? []).find((f) => f.id === factor.id);
    await downgradeSessions(db, factor.id);
    await query(db, `delete from auth.mfa_factors where id = $1`, [factor.id]);
    await audit(db, { id: NIL_UUID, email: role }, 'factor_deleted', client.ip, { user_id: user.row.id, factor_id: factor.id });
    return { status: 200, body: serialized ?? { id: factor.id } };
  });
}

/** Routes for the Auth router (index.ts); `limiter` throttles failed verifications per factor. */
export function mfaRoutes(limiter: SignInLimiter): Array<{ pattern: RegExp; methods: Partial<Record<string, MfaRoute>> }> {
  const factorId = (params: string[]) => params[0] ?? '';
  return [
    { pattern: /^\/factors$/, methods: { POST: (input) => enroll(input) } },
    { pattern: /^\/factors\/([^/]+)$/, methods: { DELETE: (input, params) => unenroll(input, factorId(params)) } },
    { pattern: /^\/factors\/([^/]+)\/challenge$/, methods: { POST: (input, params) => challenge(input, factorId(params)) } },
    { pattern: /^\/factors\/([^/]+)\/verify$/, methods: { POST: (input, params) => verify(input, factorId(params), limiter) } },
    { pattern: /^\/admin\/users\/([^/]+)\/factors$/, methods: { GET: (input, params) => adminListFactors(input, params[0] ?? '') } },
    {
      pattern: /^\/admin\/users\/([^/]+)\/factors\/([^/]+)$/,
      methods: { DELETE: (input, params) => adminDeleteFactor(input, params[0] ?? '', params[1] ?? '') },
    },
  ];
}

