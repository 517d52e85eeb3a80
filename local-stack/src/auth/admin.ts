// /auth/v1/admin/users for service-role callers (supabase/auth internal/api/admin.go,
// pagination.go).
import { randomBytes, randomUUID } from 'node:crypto';
import { type Db, query, queryOne, withConnection, withTransaction } from './db.ts';
import { badRequest, internal, notFound, unprocessable } from './errors.ts';
import { requireAdmin } from './guard.ts';
import type { EndpointInput, Reply } from './handlers.ts';
import { requestAudience } from './handlers.ts';
import { booleanField, objectField, optionalStringField, readBody, readJsonObject, stringField } from './request.ts';
import { audit } from './sessions.ts';
import {
  checkPasswordStrength,
  DEFAULT_ROLE,
  emailTaken,
  findUserById,
  hashPassword,
  isUuid,
  type LoadedUser,
  MAX_PASSWORD_LENGTH,
  mergeMetadata,
  NIL_UUID,
  parseGoDuration,
  phoneTaken,
  serializeUser,
  validateEmail,
  validatePhone,
} from './users.ts';

const DEFAULT_PER_PAGE = 50;

interface AdminUserParams {
  id: string;
  aud: string;
  role: string;
  email: string;
  phone: string;
  password: string | null;
  passwordHash: string;
  emailConfirm: boolean;
  phoneConfirm: boolean;
  userMetadata: Record<string, unknown> | null;
  appMetadata: Record<string, unknown> | null;
  banDuration: string;
}

async function readAdminParams(input: EndpointInput): Promise<AdminUserParams> {
  const body = await readJsonObject(input.req);
  return {
    id: stringField(body, 'id'),
    aud: stringField(body, 'aud'),
    role: stringField(body, 'role'),
    email: stringField(body, 'email'),
    phone: stringField(body, 'phone'),
    password: optionalStringField(body, 'password'),
    passwordHash: stringField(body, 'password_hash'),
    emailConfirm: booleanField(body, 'email_confirm'),
    phoneConfirm: booleanField(body, 'phone_confirm'),
    userMetadata: objectField(body, 'user_metadata'),
    appMetadata: objectField(body, 'app_metadata'),
    banDuration: stringField(body, 'ban_duration'),
  };
}

/** Milliseconds to ban for: null to leave the ban alone, 0 to lift it ("none"). */
function banMilliseconds(banDuration: string): number | null {
  if (banDuration === '') return null;
  if (banDuration === 'none') return 0;
  return parseGoDuration(banDuration);
}

async function applyBan(db: Db, userId: string, milliseconds: number): Promise<void> {
  await query(
    db,
    `update auth.users
        set banned_until = case when $2::float8 = 0 then null else now() + make_interval(secs => $2::float8 / 1000) end,
            updated_at = now()
      where id = $1`,
    [userId, milliseconds],
  );
}

/** Go's url.Values.Encode: keys sorted, QueryEscape (space as '+', reserved characters escaped). */
function goEncodeQuery(params: Map<string, string[]>): string {
  const escape = (text: string) =>
    encodeURIComponent(text)
      .replace(/%20/g, '+')
      .replace(/[!'()*]/g, (character) => `%${character.charCodeAt(0).toString(16).toUpperCase()}`);
  return [...params.keys()]
    .sort()
    .flatMap((key) => (params.get(key) ?? []).map((value) => `${escape(key)}=${escape(value)}`))
    .join('&');
}

/**
 * The Link header GoTrue builds from its own request URL (the path after /auth/v1, as the API
 * gateway forwards it): rel="next" while pages remain, always rel="last". auth-js reads the page
 * number right after the first '=', which is why `page` must sort first.
 */
function paginationLink(requestPath: string, search: URLSearchParams, page: number, perPage: number, total: number): string {
  const totalPages = Math.ceil(total / perPage);
  const params = new Map<string, string[]>();
  for (const [key, value] of search) params.set(key, [...(params.get(key) ?? []), value]);
  const withPage = (target: number) => {
    params.set('page', [String(target)]);
    return `<${requestPath}?${goEncodeQuery(params)}>`;
  };
  let header = '';
  if (totalPages > page) header += `${withPage(page + 1)}; rel="next", `;
  header += `${withPage(totalPages)}; rel="last"`;
  return header;
}

function parsePositiveInteger(text: string | null, fallback: number): number {
  if (text === null || text === '') return fallback;
  if (!/^\d+$/.test(text)) {
    throw badRequest('validation_failed', `Bad Pagination Parameters: strconv.ParseUint: parsing ${JSON.stringify(text)}: invalid syntax`);
  }
  return Number(text);
}

export async function listUsers(input: EndpointInput & { path: string }): Promise<Reply> {
  const { ctx, req, query: search } = input;
  await withConnection(ctx.authPool, (db) => requireAdmin(ctx, db, req, search));
  const aud = requestAudience(req);
  // pop's paginator treats page < 1 as 1; GoTrue would divide by zero on per_page=0, pop uses 20.
  const page = Math.max(1, parsePositiveInteger(search.get('page'), 1));
  const perPage = parsePositiveInteger(search.get('per_page'), DEFAULT_PER_PAGE) || 20;
  const filter = search.get('filter') ?? '';

  return withConnection(ctx.authPool, async (db) => {
    // Users a seed inserted without instance_id are listed too; GoTrue itself only writes the nil UUID.
    const where = `(instance_id = '${NIL_UUID}' or instance_id is null) and aud = $1
                   and ($2 = '' or email like '%' || $2 || '%' or raw_user_meta_data ->> 'full_name' ilike '%' || $2 || '%')`;
    const count = await queryOne<{ total: string }>(db, `select count(*)::text as total from auth.users where ${where}`, [aud, filter]);
    const ids = await query<{ id: string }>(
      db,
      `select id from auth.users where ${where} order by created_at desc, id limit $3 offset $4`,
      [aud, filter, perPage, (page - 1) * perPage],
    );
    const users: LoadedUser[] = [];
    for (const { id } of ids) {
      const user = await findUserById(db, id);
      if (user) users.push(user);
    }
    const total = Number(count?.total ?? 0);
    return {
      status: 200,
      body: { users: users.map(serializeUser), aud },
      headers: {
        Link: paginationLink(input.path, search, page, perPage, total),
        'X-Total-Count': String(total),
      },
    };
  });
}

/** loadUser: a malformed id is 404 validation_failed, an unknown one 404 user_not_found. */
async function loadTargetUser(db: Db, userId: string): Promise<LoadedUser> {
  if (!isUuid(userId)) throw notFound('validation_failed', 'user_id must be an UUID');
  const user = await findUserById(db, userId);
  if (!user) throw notFound('user_not_found', 'User not found');
  return user;
}

export async function getUserById(input: EndpointInput, userId: string): Promise<Reply> {
  const { ctx, req, query: search } = input;
  return withConnection(ctx.authPool, async (db) => {
    await requireAdmin(ctx, db, req, search);
    return { status: 200, body: serializeUser(await loadTargetUser(db, userId)) };
  });
}

function adminActor(role: string) {
  // GoTrue's admin "user" for service-role calls: the role stands in for id and email.
  return { id: NIL_UUID, email: role };
}

async function createEmailIdentity(db: Db, userId: string, email: string, emailVerified: boolean): Promise<void> {
  await query(
    db,
    `insert into auth.identities (provider_id, user_id, identity_data, provider, last_sign_in_at, created_at, updated_at)
     values ($1::text, $1::uuid, $2::jsonb, 'email', now(), now(), now())`,
    [userId, JSON.stringify({ sub: userId, email, email_verified: emailVerified, phone_verified: false })],
  );
}

async function createPhoneIdentity(db: Db, userId: string, phone: string, phoneVerified: boolean): Promise<void> {
  await query(
    db,
    `insert into auth.identities (provider_id, user_id, identity_data, provider, last_sign_in_at, created_at, updated_at)
     values ($1::text, $1::uuid, $2::jsonb, 'phone', now(), now(), now())`,
    [userId, JSON.stringify({ sub: userId, phone, email_verified: false, phone_verified: phoneVerified })],
  );
}

export async function createUser(input: EndpointInput): Promise<Reply> {
  const { ctx, req, query: search, client } = input;
  const { role: adminRole } = await withConnection(ctx.authPool, (db) => requireAdmin(ctx, db, req, search));
  const params = await readAdminParams(input);
  const aud = params.aud || requestAudience(req);

  if (params.email === '' && params.phone === '') {
    throw badRequest('validation_failed', 'Cannot create a user without either an email or phone');
  }
  const providers: string[] = [];
  let email = '';
  let phone = '';
  if (params.email !== '') {
    email = validateEmail(params.email);
    if (await withConnection(ctx.authPool, (db) => emailTaken(db, email, aud, null))) {
      throw unprocessable('email_exists', 'A user with this email address has already been registered');
    }
    providers.push('email');
  }
  if (params.phone !== '') {
    phone = validatePhone(params.phone);
    if (await withConnection(ctx.authPool, (db) => phoneTaken(db, phone, aud, null))) {
      throw unprocessable('phone_exists', 'Phone number already registered by another user');
    }
    providers.push('phone');
  }
  if (params.password !== null && params.passwordHash !== '') {
    throw badRequest('validation_failed', 'Only a password or a password hash should be provided');
  }

  let encryptedPassword: string;
  if (params.passwordHash !== '') {
    if (!/^\$2[aby]\$\d\d\$[./A-Za-z0-9]{53}$/.test(params.passwordHash)) {
      throw badRequest('validation_failed', 'Invalid password hash format');
    }
    encryptedPassword = params.passwordHash;
  } else {
    // No password: GoTrue sets a long random one, so the account exists but cannot sign in by password.
    const password = params.password || randomBytes(48).toString('base64');
    if (Buffer.byteLength(password) > MAX_PASSWORD_LENGTH) {
      throw badRequest('validation_failed', 'bcrypt: password length exceeds 72 bytes');
    }
    encryptedPassword = await hashPassword(password);
  }

  let userId: string;
  if (params.id !== '') {
    if (!isUuid(params.id)) throw badRequest('validation_failed', 'ID must conform to the uuid v4 format');
    if (params.id === NIL_UUID) throw badRequest('validation_failed', 'ID cannot be a nil uuid');
    userId = params.id.toLowerCase();
  } else {
    userId = randomUUID();
  }
  const banMs = banMilliseconds(params.banDuration);

  const appMetadata = mergeMetadata({ provider: providers[0], providers }, params.appMetadata ?? {});
  const userMetadata = { ...(params.userMetadata ?? {}) };
  if (params.emailConfirm) userMetadata.email_verified = true;

  const created = await withTransaction(ctx.authPool, async (db) => {
    try {
      await query(
        db,
        `insert into auth.users (instance_id, id, aud, role, email, phone, encrypted_password, raw_app_meta_data,
                                 raw_user_meta_data, email_confirmed_at, phone_confirmed_at, created_at, updated_at,
                                 confirmation_token, recovery_token, email_change_token_new, email_change)
         values ($1, $2, $3, $4, $5, $6, $7, $8::jsonb, $9::jsonb,
                 case when $10 then now() end, case when $11 then now() end, now(), now(), '', '', '', '')`,
        [
          NIL_UUID,
          userId,
          aud,
          params.role.trim() || DEFAULT_ROLE,
          email || null,
          phone || null,
          encryptedPassword,
          JSON.stringify(appMetadata),
          JSON.stringify(userMetadata),
          params.emailConfirm,
          params.phoneConfirm,
        ],
      );
    } catch (error) {
      // Two concurrent creates can both pass the duplicate check; the unique index decides.
      const { code, constraint } = error as { code?: string; constraint?: string };
      if (code === '23505' && constraint === 'users_email_partial_key') {
        throw unprocessable('email_exists', 'A user with this email address has already been registered');
      }
      if (code === '23505' && constraint === 'users_phone_key') {
        throw unprocessable('phone_exists', 'Phone number already registered by another user');
      }
      ctx.log('auth', `creating user failed: ${error instanceof Error ? error.message : String(error)}`);
      throw internal('Database error creating new user');
    }
    if (email) await createEmailIdentity(db, userId, email, false);
    if (phone) await createPhoneIdentity(db, userId, phone, false);
    if (banMs !== null) await applyBan(db, userId, banMs);
    await audit(db, adminActor(adminRole), 'user_signedup', client.ip, {
      user_id: userId,
      user_email: email,
      user_phone: phone,
      provider: providers[0],
    });
    return findUserById(db, userId);
  });
  if (!created) throw internal('Database error creating new user');
  return { status: 200, body: serializeUser(created) };
}

export async function updateUserById(input: EndpointInput, userId: string): Promise<Reply> {
  const { ctx, req, query: search, client } = input;
  const { role: adminRole } = await withConnection(ctx.authPool, (db) => requireAdmin(ctx, db, req, search));
  const target = await withConnection(ctx.authPool, (db) => loadTargetUser(db, userId));
  const params = await readAdminParams(input);
  const aud = requestAudience(req);

  const email = params.email !== '' ? validateEmail(params.email) : '';
  const phone = params.phone !== '' ? validatePhone(params.phone) : '';
  const banMs = banMilliseconds(params.banDuration);
  let newHash: string | null = null;
  if (params.password !== null) {
    checkPasswordStrength(params.password, ctx.config.minimumPasswordLength);
    newHash = await hashPassword(params.password);
  }
  if (email && email !== (target.row.email ?? '') && (await withConnection(ctx.authPool, (db) => emailTaken(db, email, aud, target.row.id)))) {
    throw unprocessable('email_exists', 'A user with this email address has already been registered');
  }
  if (phone && phone !== (target.row.phone ?? '') && (await withConnection(ctx.authPool, (db) => phoneTaken(db, phone, aud, target.row.id)))) {
    throw unprocessable('phone_exists', 'Phone number already registered by another user');
  }

  const id = target.row.id;
  const updated = await withTransaction(ctx.authPool, async (db) => {
    await queryOne(db, `select 1 from auth.users where id = $1 for update`, [id]);
    if (params.role !== '') await query(db, `update auth.users set role = $2, updated_at = now() where id = $1`, [id, params.role.trim()]);
    if (params.emailConfirm) {
      await query(
        db,
        `update auth.users
            set email_confirmed_at = now(), confirmation_token = '', updated_at = now(),
                raw_user_meta_data = coalesce(raw_user_meta_data, '{}'::jsonb) || '{"email_verified": true}'::jsonb
          where id = $1`,
        [id],
      );
    }
    if (params.phoneConfirm) await query(db, `update auth.users set phone_confirmed_at = now(), updated_at = now() where id = $1`, [id]);
    if (newHash !== null) {
      // An administrator's password reset signs the user out everywhere (UpdatePassword without a session).
      await query(db, `update auth.users set encrypted_password = $2, updated_at = now() where id = $1`, [id, newHash]);
      await query(db, `delete from auth.sessions where user_id = $1`, [id]);
      if (email === '' && target.row.email && !target.identities.some((identity) => identity.provider === 'email')) {
        await createEmailIdentity(db, id, target.row.email, target.row.email_confirmed_at !== null);
      }
    }
    if (email !== '') {
      const identity = await queryOne<{ id: string }>(db, `select id from auth.identities where provider_id = $1 and provider = 'email'`, [id]);
      if (identity) {
        await query(
          db,
          `update auth.identities
              set identity_data = identity_data || jsonb_build_object('email', $2::text, 'email_verified', $3::boolean),
                  updated_at = now()
            where id = $1`,
          [identity.id, email, params.emailConfirm],
        );
      } else {
        await createEmailIdentity(db, id, email, params.emailConfirm);
      }
      await query(db, `update auth.users set email = $2, updated_at = now() where id = $1`, [id, email]);
    }
    if (phone !== '') {
      const identity = await queryOne<{ id: string }>(db, `select id from auth.identities where provider_id = $1 and provider = 'phone'`, [id]);
      if (identity) {
        await query(
          db,
          `update auth.identities
              set identity_data = identity_data || jsonb_build_object('phone', $2::text, 'phone_verified', $3::boolean),
                  updated_at = now()
            where id = $1`,
          [identity.id, phone, params.phoneConfirm],
        );
      } else {
        await createPhoneIdentity(db, id, phone, params.phoneConfirm);
      }
      await query(db, `update auth.users set phone = $2, updated_at = now() where id = $1`, [id, phone]);
    }
    if (params.appMetadata !== null || params.userMetadata !== null) {
      const current = await queryOne<{ raw_app_meta_data: Record<string, unknown> | null; raw_user_meta_data: Record<string, unknown> | null }>(
        db,
        `select raw_app_meta_data, raw_user_meta_data from auth.users where id = $1`,
        [id],
      );
      if (params.appMetadata !== null) {
        await query(db, `update auth.users set raw_app_meta_data = $2::jsonb, updated_at = now() where id = $1`, [
          id,
          JSON.stringify(mergeMetadata(current?.raw_app_meta_data ?? null, params.appMetadata)),
        ]);
      }
      if (params.userMetadata !== null) {
        await query(db, `update auth.users set raw_user_meta_data = $2::jsonb, updated_at = now() where id = $1`, [
          id,
          JSON.stringify(mergeMetadata(current?.raw_user_meta_data ?? null, params.userMetadata)),
        ]);
      }
    }
    if (banMs !== null) await applyBan(db, id, banMs);
    await audit(db, adminActor(adminRole), 'user_modified', client.ip, {
      user_id: id,
      user_email: target.row.email ?? '',
      user_phone: target.row.phone ?? '',
    });
    return findUserById(db, id);
  });
  if (!updated) throw notFound('user_not_found', 'User not found');
  return { status: 200, body: serializeUser(updated) };
}

export async function deleteUserById(input: EndpointInput, userId: string): Promise<Reply> {
  const { ctx, req, query: search, client } = input;
  const { role: adminRole } = await withConnection(ctx.authPool, (db) => requireAdmin(ctx, db, req, search));
  const target = await withConnection(ctx.authPool, (db) => loadTargetUser(db, userId));
  // The body is optional; only a non-empty one is parsed (and must then be JSON).
  const raw = await readBody(req);
  let softDelete = false;
  if (raw.length > 0) {
    let body: unknown;
    try {
      body = JSON.parse(raw.toString('utf8'));
    } catch (error) {
      throw badRequest('bad_json', `Could not parse request body as JSON: ${error instanceof Error ? error.message : String(error)}`);
    }
    if (body && typeof body === 'object' && !Array.isArray(body)) {
      softDelete = booleanField(body as Record<string, unknown>, 'should_soft_delete');
    }
  }

  const id = target.row.id;
  await withTransaction(ctx.authPool, async (db) => {
    await audit(db, adminActor(adminRole), 'user_deleted', client.ip, {
      user_id: id,
      user_email: target.row.email ?? '',
      user_phone: target.row.phone ?? '',
    });
    if (softDelete) {
      if (target.row.deleted_at) return;
      // Soft delete keeps the row (for foreign keys) but makes it unusable and anonymous.
      await query(
        db,
        `update auth.users
            set deleted_at = now(), updated_at = now(), encrypted_password = '', email = null, phone = null,
                raw_app_meta_data = '{}'::jsonb, raw_user_meta_data = '{}'::jsonb
          where id = $1`,
        [id],
      );
      await query(db, `delete from auth.identities where user_id = $1`, [id]);
      await query(db, `delete from auth.mfa_factors where user_id = $1`, [id]);
      await query(db, `delete from auth.sessions where user_id = $1`, [id]);
      return;
    }
    try {
      await query(db, `delete from auth.users where id = $1`, [id]);
    } catch (error) {
      // Typically an application table whose foreign key to auth.users does not cascade.
      ctx.log('auth', `deleting user ${id} failed: ${error instanceof Error ? error.message : String(error)}`);
      throw internal('Database error deleting user');
    }
  });
  return { status: 200, body: {} };
}
