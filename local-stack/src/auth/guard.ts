// Who is calling: GoTrue's requireAuthentication and requireAdminCredentials middlewares
// (supabase/auth internal/api/auth.go, middleware.go).
import type { IncomingMessage } from 'node:http';
import type { StackContext } from '../context.ts';
import { type Db, queryOne } from './db.ts';
import { HttpError, badRequest, forbidden } from './errors.ts';
import { bearerToken, effectiveAuthorization } from './request.ts';
import { ADMIN_ROLES, findUserById, isUuid, type LoadedUser, NIL_UUID } from './users.ts';

export interface SessionRow {
  id: string;
  aal: string | null;
}

export interface Authenticated {
  claims: Record<string, unknown>;
  user: LoadedUser;
  /** Null for tokens without a session_id claim (GoTrue then treats logout as global). */
  session: SessionRow | null;
}

async function verifiedClaims(ctx: StackContext, req: IncomingMessage, query: URLSearchParams): Promise<Record<string, unknown>> {
  const token = bearerToken(effectiveAuthorization(ctx, req, query));
  if (!token) throw new HttpError(401, 'no_authorization', 'This endpoint requires a valid Bearer token');
  try {
    return await ctx.verifyJwt(token);
  } catch (error) {
    // GoTrue's wording for the common case, so logs and messages read as they would on hosted.
    const expired = (error as { code?: string }).code === 'ERR_JWT_EXPIRED';
    const reason = expired ? 'token has invalid claims: token is expired' : error instanceof Error ? error.message : String(error);
    throw forbidden('bad_jwt', `invalid JWT: unable to parse or verify signature, ${reason}`);
  }
}

/** Loads the user and session a verified token names (maybeLoadUserOrSession). */
async function loadUserAndSession(db: Db, claims: Record<string, unknown>): Promise<Authenticated> {
  const subject = typeof claims.sub === 'string' ? claims.sub : '';
  if (subject === '') throw forbidden('bad_jwt', 'invalid claim: missing sub claim');
  if (!isUuid(subject)) throw badRequest('bad_jwt', 'invalid claim: sub claim must be a UUID');
  const user = await findUserById(db, subject);
  if (!user) throw forbidden('user_not_found', 'User from sub claim in JWT does not exist');

  let session: SessionRow | null = null;
  const sessionId = typeof claims.session_id === 'string' ? claims.session_id : '';
  if (sessionId !== '' && sessionId !== NIL_UUID) {
    if (!isUuid(sessionId)) throw forbidden('bad_jwt', 'invalid claim: session_id claim must be a UUID');
    session = (await queryOne<SessionRow>(db, `select id, aal::text as aal from auth.sessions where id = $1`, [sessionId])) ?? null;
    if (!session) throw forbidden('session_not_found', 'Session from session_id claim in JWT does not exist');
  }
  return { claims, user, session };
}

export async function requireAuthentication(ctx: StackContext, db: Db, req: IncomingMessage, query: URLSearchParams): Promise<Authenticated> {
  const claims = await verifiedClaims(ctx, req, query);
  const authenticated = await loadUserAndSession(db, claims);
  // A token issued before a ban stays cryptographically valid; GoTrue refuses it here.
  if (authenticated.user.row.is_banned) throw forbidden('user_banned', 'User is banned');
  return authenticated;
}

/**
 * Admin endpoints accept a token whose role is an admin role. A token tied to a user session must
 * still name a live session, so a signed-out admin user's token stops working at once.
 */
export async function requireAdmin(ctx: StackContext, db: Db, req: IncomingMessage, query: URLSearchParams): Promise<{ role: string }> {
  const claims = await verifiedClaims(ctx, req, query);
  const sessionId = typeof claims.session_id === 'string' ? claims.session_id : '';
  if (sessionId !== '' && sessionId !== NIL_UUID) await loadUserAndSession(db, claims);
  const role = typeof claims.role === 'string' ? claims.role : '';
  if (!ADMIN_ROLES.includes(role)) throw forbidden('not_admin', 'User not allowed');
  return { role };
}
