// The /auth/v1 endpoints for end users: /token, /user, /logout (supabase/auth internal/api
// token.go, token_refresh.go, user.go, logout.go).
import type { IncomingMessage } from 'node:http';
import { randomBytes } from 'node:crypto';
import type { StackContext } from '../context.ts';
import { query, queryOne, withConnection, withTransaction } from './db.ts';
import { HttpError, WeakPasswordError, badRequest, forbidden, unprocessable } from './errors.ts';
import { requireAuthentication } from './guard.ts';
import { objectField, optionalStringField, readJsonObject, stringField } from './request.ts';
import { audit, type ClientInfo, refreshTokenGrant, sessionResponse, startSession } from './sessions.ts';
import {
  ADMIN_ROLES,
  checkPasswordStrength,
  DEFAULT_AUDIENCE,
  emailTaken,
  findUserByEmail,
  findUserById,
  hashPassword,
  mergeMetadata,
  serializeUser,
  validateEmail,
  verifyPassword,
} from './users.ts';

export interface Reply {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

export interface EndpointInput {
  ctx: StackContext;
  req: IncomingMessage;
  query: URLSearchParams;
  client: ClientInfo;
}

const INVALID_LOGIN = 'Invalid login credentials';

/** The audience GoTrue serves a request for: the X-JWT-AUD header, else its configured default. */
export function requestAudience(req: IncomingMessage): string {
  const header = req.headers['x-jwt-aud'];
  const value = Array.isArray(header) ? header[0] : header;
  return value || DEFAULT_AUDIENCE;
}

export async function token(input: EndpointInput): Promise<Reply> {
  const grantType = input.query.get('grant_type') ?? '';
  switch (grantType) {
    case 'password':
      return passwordGrant(input);
    case 'refresh_token':
      return refreshGrant(input);
    default:
      // GoTrue answers every unknown (and every unimplemented here: pkce, id_token, web3) grant so.
      throw badRequest('invalid_credentials', 'unsupported_grant_type');
  }
}

async function passwordGrant({ ctx, req, client }: EndpointInput): Promise<Reply> {
  const body = await readJsonObject(req);
  const email = stringField(body, 'email');
  const phone = stringField(body, 'phone');
  const password = stringField(body, 'password');
  const aud = requestAudience(req);

  if (email !== '' && phone !== '') {
    throw badRequest('validation_failed', 'Only an email address or phone number should be provided on login.');
  }
  if (email === '' && phone === '') throw badRequest('validation_failed', 'missing email or phone');
  // Phone sign-in needs an SMS provider, which the local stack does not have (as on a hosted
  // project where the phone provider is off).
  if (phone !== '') throw unprocessable('phone_provider_disabled', 'Phone logins are disabled');

  const user = await withConnection(ctx.authPool, (db) => findUserByEmail(db, email, aud));
  // verifyPassword compares against a dummy hash when there is nothing to compare with, so unknown
  // users and users without a password cost as much time as a wrong password.
  const passwordMatches = await verifyPassword(password, user?.row.encrypted_password ?? null);
  if (!user || !user.row.encrypted_password) throw badRequest('invalid_credentials', INVALID_LOGIN);
  if (user.row.is_banned) throw badRequest('user_banned', 'User is banned');
  if (!passwordMatches) throw badRequest('invalid_credentials', INVALID_LOGIN);
  if (!user.row.email_confirmed_at) throw badRequest('email_not_confirmed', 'Email not confirmed');

  // A password that meets today's rules is fine; an older, weaker one still signs in but is reported.
  let weakPassword: { message: string; reasons: string[] } | undefined;
  try {
    checkPasswordStrength(password, ctx.config.minimumPasswordLength);
  } catch (error) {
    if (error instanceof WeakPasswordError) weakPassword = { message: error.message, reasons: error.reasons };
  }

  const grant = await withTransaction(ctx.authPool, async (db) => {
    await audit(db, { id: user.row.id, email: user.row.email, isSsoUser: user.row.is_sso_user }, 'login', client.ip, { provider: 'email' });
    return startSession(ctx, db, user.row.id, 'password', client);
  });
  return { status: 200, body: sessionResponse(grant, weakPassword) };
}

async function refreshGrant({ ctx, req, client }: EndpointInput): Promise<Reply> {
  const body = await readJsonObject(req);
  const refreshToken = stringField(body, 'refresh_token');
  const grant = await refreshTokenGrant(ctx, ctx.authPool, refreshToken, client);
  return { status: 200, body: sessionResponse(grant) };
}

export async function getUser({ ctx, req, query: search }: EndpointInput): Promise<Reply> {
  return withConnection(ctx.authPool, async (db) => {
    const { claims, user } = await requireAuthentication(ctx, db, req, search);
    const audience = Array.isArray(claims.aud) ? claims.aud[0] : claims.aud;
    if (audience !== requestAudience(req)) {
      throw badRequest('validation_failed', "Token audience doesn't match request audience");
    }
    return { status: 200, body: serializeUser(user) };
  });
}

export async function updateUser({ ctx, req, query: search, client }: EndpointInput): Promise<Reply> {
  const auth = await withConnection(ctx.authPool, (db) => requireAuthentication(ctx, db, req, search));
  const body = await readJsonObject(req);
  let email = stringField(body, 'email');
  const password = optionalStringField(body, 'password');
  const data = objectField(body, 'data');
  const appData = objectField(body, 'app_metadata');
  const phone = stringField(body, 'phone');
  // Reauthentication nonces need email delivery, which is out of scope; the field is only type-checked.
  stringField(body, 'nonce');

  if (email !== '') email = validateEmail(email);
  if (password !== null) checkPasswordStrength(password, ctx.config.minimumPasswordLength);
  if (phone !== '') throw unprocessable('phone_provider_disabled', 'Phone logins are disabled');

  const { user, session } = auth;
  if (appData !== null && !ADMIN_ROLES.includes(user.row.role ?? '')) {
    throw forbidden('not_admin', 'Updating app_metadata requires admin privileges');
  }

  const changesCredentials = (password !== null && password !== '') || (email !== '' && email !== (user.row.email ?? ''));
  if (changesCredentials && session?.aal !== 'aal2' && user.factors.some((factor) => factor.status === 'verified')) {
    throw new HttpError(401, 'insufficient_aal', 'AAL2 session is required to update email or password when MFA is enabled.');
  }

  const aud = requestAudience(req);
  const emailChanges = email !== '' && email !== (user.row.email ?? '');
  if (emailChanges && (await withConnection(ctx.authPool, (db) => emailTaken(db, email, aud, user.row.id)))) {
    throw unprocessable('email_exists', 'A user with this email address has already been registered');
  }

  let newHash: string | null = null;
  if (password !== null) {
    if (password !== '' && user.row.encrypted_password && (await verifyPassword(password, user.row.encrypted_password))) {
      throw unprocessable('same_password', 'New password should be different from the old password.');
    }
    newHash = password === '' ? '' : await hashPassword(password);
  }

  const actor = { id: user.row.id, email: user.row.email, isSsoUser: user.row.is_sso_user };
  const updated = await withTransaction(ctx.authPool, async (db) => {
    if (newHash !== null) {
      // A new password means the old one may be known to someone else: every other session ends.
      await query(
        db,
        `update auth.users
            set encrypted_password = $2, confirmation_token = '', confirmation_sent_at = null,
                recovery_token = '', recovery_sent_at = null, email_change_token_current = '',
                email_change_token_new = '', email_change_sent_at = null, phone_change_token = '',
                phone_change_sent_at = null, reauthentication_token = '', reauthentication_sent_at = null,
                updated_at = now()
          where id = $1`,
        [user.row.id, newHash],
      );
      if (session) {
        await query(db, `delete from auth.sessions where user_id = $1 and id <> $2`, [user.row.id, session.id]);
      } else {
        await query(db, `delete from auth.sessions where user_id = $1`, [user.row.id]);
      }
      await audit(db, actor, 'user_updated_password', client.ip);
    }
    if (data !== null) {
      const current = await queryOne<{ raw_user_meta_data: Record<string, unknown> | null }>(
        db,
        `select raw_user_meta_data from auth.users where id = $1 for update`,
        [user.row.id],
      );
      await query(db, `update auth.users set raw_user_meta_data = $2::jsonb, updated_at = now() where id = $1`, [
        user.row.id,
        JSON.stringify(mergeMetadata(current?.raw_user_meta_data ?? null, data)),
      ]);
    }
    if (appData !== null) {
      const current = await queryOne<{ raw_app_meta_data: Record<string, unknown> | null }>(
        db,
        `select raw_app_meta_data from auth.users where id = $1 for update`,
        [user.row.id],
      );
      await query(db, `update auth.users set raw_app_meta_data = $2::jsonb, updated_at = now() where id = $1`, [
        user.row.id,
        JSON.stringify(mergeMetadata(current?.raw_app_meta_data ?? null, appData)),
      ]);
    }
    if (emailChanges) {
      // GoTrue mails a confirmation link and switches the address only when it is followed. The
      // local stack sends no mail, so the change stays pending (visible as `new_email`).
      await query(
        db,
        `update auth.users
            set email_change = $2, email_change_token_new = $3, email_change_sent_at = now(),
                email_change_confirm_status = 0, updated_at = now()
          where id = $1`,
        [user.row.id, email, randomBytes(28).toString('hex')],
      );
    }
    await audit(db, actor, 'user_modified', client.ip);
    return findUserById(db, user.row.id);
  });
  if (!updated) throw forbidden('user_not_found', 'User from sub claim in JWT does not exist');
  return { status: 200, body: serializeUser(updated) };
}

export async function logout({ ctx, req, query: search, client }: EndpointInput): Promise<Reply> {
  const { user, session } = await withConnection(ctx.authPool, (db) => requireAuthentication(ctx, db, req, search));
  const scope = search.get('scope') ?? '';
  if (!['', 'global', 'local', 'others'].includes(scope)) {
    throw badRequest('validation_failed', `Unsupported logout scope ${JSON.stringify(scope)}`);
  }
  await withTransaction(ctx.authPool, async (db) => {
    await audit(db, { id: user.row.id, email: user.row.email, isSsoUser: user.row.is_sso_user }, 'logout', client.ip);
    // Deleting a session cascades to its refresh tokens and AMR claims.
    if (session && scope === 'local') {
      await query(db, `delete from auth.sessions where id = $1`, [session.id]);
    } else if (session && scope === 'others') {
      await query(db, `delete from auth.sessions where user_id = $1 and id <> $2`, [user.row.id, session.id]);
    } else {
      await query(db, `delete from auth.sessions where user_id = $1`, [user.row.id]);
    }
  });
  return { status: 204 };
}
