// Sessions and opaque refresh tokens, GoTrue's table-backed ("v1") kind: 12 lowercase
// alphanumerics, rotated on every use, each new token naming its parent, all tied to a session.
import { randomInt } from 'node:crypto';
import type pg from 'pg';
import type { StackContext } from '../context.ts';
import { CommitThenThrow, type Db, query, queryOne, withTransaction } from './db.ts';
import { badRequest } from './errors.ts';
import { type AuthenticationMethod, addAmrClaim, issueAccessToken } from './tokens.ts';
import { findUserById, type LoadedUser, NIL_UUID, serializeUser } from './users.ts';

const REFRESH_TOKEN_ALPHABET = 'abcdefghijklmnopqrstuvwxyz0123456789';
const REFRESH_TOKEN_LENGTH = 12;

export interface ClientInfo {
  ip: string | null;
  userAgent: string | null;
}

export interface SessionGrant {
  accessToken: string;
  expiresAt: number;
  refreshToken: string;
  user: LoadedUser;
}

function newRefreshToken(): string {
  let token = '';
  for (let i = 0; i < REFRESH_TOKEN_LENGTH; i++) token += REFRESH_TOKEN_ALPHABET[randomInt(REFRESH_TOKEN_ALPHABET.length)];
  return token;
}

/** The body GoTrue answers a successful grant with (tokens.AccessTokenResponse). */
export function sessionResponse(grant: SessionGrant, weakPassword?: { message: string; reasons: string[] }): Record<string, unknown> {
  const body: Record<string, unknown> = {
    access_token: grant.accessToken,
    token_type: 'bearer',
    expires_in: grant.expiresAt - Math.floor(Date.now() / 1000),
    expires_at: grant.expiresAt,
    refresh_token: grant.refreshToken,
    user: serializeUser(grant.user),
  };
  if (weakPassword) body.weak_password = weakPassword;
  return body;
}

export interface AuditActor {
  id: string;
  email: string | null;
  isSsoUser?: boolean;
}

const AUDIT_LOG_TYPES: Record<string, string> = {
  login: 'account',
  logout: 'account',
  user_signedup: 'team',
  user_modified: 'user',
  user_deleted: 'team',
  user_updated_password: 'user',
  token_refreshed: 'token',
  token_revoked: 'token',
};

/** One row in auth.audit_log_entries, shaped like GoTrue's NewAuditLogEntry payload. */
export async function audit(
  db: Db,
  actor: AuditActor,
  action: string,
  ip: string | null,
  traits?: Record<string, unknown>,
): Promise<void> {
  const payload: Record<string, unknown> = {
    actor_id: actor.id,
    actor_via_sso: actor.isSsoUser ?? false,
    action,
    log_type: AUDIT_LOG_TYPES[action] ?? 'account',
  };
  if (actor.email) payload.actor_username = actor.email;
  if (traits) payload.traits = traits;
  await query(
    db,
    `insert into auth.audit_log_entries (instance_id, id, payload, created_at, ip_address)
     values ($1, gen_random_uuid(), $2::json, now(), $3)`,
    [NIL_UUID, JSON.stringify(payload), ip ?? ''],
  );
}

/**
 * A new session with its first refresh token and access token (IssueRefreshToken). Runs in the
 * caller's transaction so a failing hook leaves no session behind.
 */
export async function startSession(
  ctx: StackContext,
  db: Db,
  userId: string,
  method: AuthenticationMethod,
  client: ClientInfo,
): Promise<SessionGrant> {
  await query(db, `update auth.users set last_sign_in_at = now(), updated_at = now() where id = $1`, [userId]);
  const session = await queryOne<{ id: string }>(
    db,
    `insert into auth.sessions (id, user_id, created_at, updated_at, aal, user_agent, ip)
     values (gen_random_uuid(), $1, now(), now(), 'aal1', $2, $3::inet)
     returning id`,
    [userId, client.userAgent, client.ip],
  );
  if (!session) throw new Error('session insert returned no row');
  const refreshToken = newRefreshToken();
  await query(
    db,
    `insert into auth.refresh_tokens (instance_id, token, user_id, revoked, created_at, updated_at, parent, session_id)
     values ($1, $2, $3, false, now(), now(), null, $4)`,
    [NIL_UUID, refreshToken, userId, session.id],
  );
  await addAmrClaim(db, session.id, method);
  // Reloaded so the response shows the new last_sign_in_at, as GoTrue's does.
  const user = await findUserById(db, userId);
  if (!user) throw new Error('user vanished while signing in');
  const access = await issueAccessToken(ctx, db, user, session.id, method, client.ip);
  return { accessToken: access.token, expiresAt: access.expiresAt, refreshToken, user };
}

interface RefreshTokenRow {
  id: string;
  token: string;
  revoked: boolean | null;
  user_id: string | null;
  session_id: string | null;
  reuse_window_over: boolean;
}

/**
 * GoTrue's refresh_token grant for table-backed tokens (internal/tokens/service.go):
 * - an unrevoked token is swapped for a new child;
 * - a revoked token whose child is the session's active token gets that active token back
 *   (the client lost the previous answer);
 * - any other revoked token is swapped again while within the reuse interval of its revocation,
 *   and after it the whole session's tokens are revoked and the answer is refresh_token_already_used.
 */
export async function refreshTokenGrant(ctx: StackContext, pool: pg.Pool, presented: string, client: ClientInfo): Promise<SessionGrant> {
  // RefreshTokenGrantParams.Validate. Longer strings would be GoTrue's signed v2 tokens, which
  // this service never issues, so they are as invalid as malformed short ones.
  if (!/^[a-z0-9]{12}$/.test(presented)) {
    throw badRequest('validation_failed', 'Refresh token is not valid');
  }

  return withTransaction(pool, async (db) => {
    const token = await queryOne<RefreshTokenRow>(
      db,
      `select id::text, token, revoked, user_id, session_id,
              now() > updated_at + make_interval(secs => $2) as reuse_window_over
         from auth.refresh_tokens where token = $1 for update`,
      [presented, ctx.config.refreshTokenReuseInterval],
    );
    const user = token?.user_id && /^[0-9a-f-]{36}$/i.test(token.user_id) ? await findUserById(db, token.user_id) : null;
    if (!token || !user) throw badRequest('refresh_token_not_found', 'Invalid Refresh Token: Refresh Token Not Found');
    if (user.row.is_banned) throw badRequest('user_banned', 'Invalid Refresh Token: User Banned');

    const session = token.session_id
      ? await queryOne<{ id: string; expired: boolean }>(
          db,
          `select id, coalesce(now() > not_after, false) as expired from auth.sessions where id = $1 for update`,
          [token.session_id],
        )
      : undefined;
    if (!session) {
      // A token from before sessions existed is useless; GoTrue deletes it on the way out.
      await query(db, `delete from auth.refresh_tokens where id = $1`, [token.id]);
      throw new CommitThenThrow(badRequest('session_not_found', 'Invalid Refresh Token: No Valid Session Found'));
    }
    if (session.expired) throw badRequest('session_expired', 'Invalid Refresh Token: Session Expired');

    let issuedToken: string | null = null;
    if (token.revoked) {
      const active = await queryOne<{ token: string; parent: string | null }>(
        db,
        `select token, parent from auth.refresh_tokens
          where session_id = $1 and revoked = false order by id desc limit 1`,
        [session.id],
      );
      if (active && active.parent === token.token) {
        issuedToken = active.token;
      } else if (token.reuse_window_over) {
        await query(
          db,
          `update auth.refresh_tokens set revoked = true, updated_at = now() where session_id = $1 and revoked = false`,
          [session.id],
        );
        ctx.log('auth', `refresh token reuse after the reuse interval; session ${session.id} revoked`);
        throw new CommitThenThrow(badRequest('refresh_token_already_used', 'Invalid Refresh Token: Already Used'));
      }
    }

    const actor: AuditActor = { id: user.row.id, email: user.row.email, isSsoUser: user.row.is_sso_user };
    await audit(db, actor, 'token_refreshed', client.ip);
    if (issuedToken === null) {
      await audit(db, actor, 'token_revoked', client.ip);
      await query(db, `update auth.refresh_tokens set revoked = true, updated_at = now() where id = $1`, [token.id]);
      issuedToken = newRefreshToken();
      await query(
        db,
        `insert into auth.refresh_tokens (instance_id, token, user_id, revoked, created_at, updated_at, parent, session_id)
         values ($1, $2, $3, false, now(), now(), $4, $5)`,
        [NIL_UUID, issuedToken, user.row.id, token.token, session.id],
      );
    }

    const access = await issueAccessToken(ctx, db, user, session.id, 'token_refresh', client.ip);
    await query(
      db,
      `update auth.sessions
          set refreshed_at = now() at time zone 'utc', user_agent = $2, ip = $3::inet, updated_at = now()
        where id = $1`,
      [session.id, client.userAgent, client.ip],
    );
    return { accessToken: access.token, expiresAt: access.expiresAt, refreshToken: issuedToken, user };
  });
}
