// auth.users as GoTrue reads, writes and serialises it (supabase/auth internal/models/user.go).
import { randomBytes } from 'node:crypto';
import bcrypt from 'bcryptjs';
import { type Db, query, queryOne } from './db.ts';
import { badRequest, WeakPasswordError } from './errors.ts';

/** GoTrue's instance_id for everything it creates. */
export const NIL_UUID = '00000000-0000-0000-0000-000000000000';
export const DEFAULT_AUDIENCE = 'authenticated';
export const DEFAULT_ROLE = 'authenticated';
/** GOTRUE_JWT_ADMIN_ROLES as hosted sets it. */
export const ADMIN_ROLES = ['service_role', 'supabase_admin'];
/** bcrypt only reads the first 72 bytes; GoTrue refuses longer passwords instead of truncating them. */
export const MAX_PASSWORD_LENGTH = 72;
const BCRYPT_COST = 10;
const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export interface UserRow {
  id: string;
  aud: string | null;
  role: string | null;
  email: string | null;
  encrypted_password: string | null;
  email_confirmed_at: string | null;
  invited_at: string | null;
  phone: string | null;
  phone_confirmed_at: string | null;
  confirmation_sent_at: string | null;
  confirmed_at: string | null;
  recovery_sent_at: string | null;
  email_change: string | null;
  email_change_sent_at: string | null;
  phone_change: string | null;
  phone_change_sent_at: string | null;
  reauthentication_sent_at: string | null;
  last_sign_in_at: string | null;
  raw_app_meta_data: Record<string, unknown> | null;
  raw_user_meta_data: Record<string, unknown> | null;
  created_at: string | null;
  updated_at: string | null;
  banned_until: string | null;
  deleted_at: string | null;
  is_anonymous: boolean;
  is_sso_user: boolean;
  /** banned_until lies in the future, judged by the database clock. */
  is_banned: boolean;
}

interface IdentityRow {
  id: string;
  provider_id: string;
  user_id: string;
  identity_data: Record<string, unknown> | null;
  provider: string;
  last_sign_in_at: string | null;
  created_at: string | null;
  updated_at: string | null;
  email: string | null;
}

interface FactorRow {
  id: string;
  friendly_name: string | null;
  factor_type: string;
  status: string;
  created_at: string;
  updated_at: string;
  phone: string | null;
  last_challenged_at: string | null;
}

export interface LoadedUser {
  row: UserRow;
  identities: IdentityRow[];
  factors: FactorRow[];
}

const USER_COLUMNS = `
  u.id, u.aud, u.role, u.email, u.encrypted_password, u.email_confirmed_at, u.invited_at, u.phone,
  u.phone_confirmed_at, u.confirmation_sent_at, u.confirmed_at, u.recovery_sent_at, u.email_change,
  u.email_change_sent_at, u.phone_change, u.phone_change_sent_at, u.reauthentication_sent_at,
  u.last_sign_in_at, u.raw_app_meta_data, u.raw_user_meta_data, u.created_at, u.updated_at,
  u.banned_until, u.deleted_at, u.is_anonymous, u.is_sso_user,
  coalesce(u.banned_until > now(), false) as is_banned`;

export function isUuid(value: string): boolean {
  return UUID_PATTERN.test(value);
}

async function loadRelations(db: Db, row: UserRow): Promise<LoadedUser> {
  const identities = await query<IdentityRow>(
    db,
    `select id, provider_id, user_id, identity_data, provider, last_sign_in_at, created_at, updated_at, email
       from auth.identities where user_id = $1 order by created_at, id`,
    [row.id],
  );
  const factors = await query<FactorRow>(
    db,
    `select id, friendly_name, factor_type::text as factor_type, status::text as status, created_at, updated_at,
            phone, last_challenged_at
       from auth.mfa_factors where user_id = $1 order by created_at, id`,
    [row.id],
  );
  return { row, identities, factors };
}

export async function findUserById(db: Db, id: string, lock = false): Promise<LoadedUser | null> {
  const row = await queryOne<UserRow>(db, `select ${USER_COLUMNS} from auth.users u where u.id = $1${lock ? ' for update' : ''}`, [id]);
  return row ? loadRelations(db, row) : null;
}

/** GoTrue's FindUserByEmailAndAudience: case-insensitive, SSO users excluded. */
export async function findUserByEmail(db: Db, email: string, aud: string): Promise<LoadedUser | null> {
  const row = await queryOne<UserRow>(
    db,
    `select ${USER_COLUMNS} from auth.users u
      where lower(u.email) = lower($1) and u.aud = $2 and u.is_sso_user = false
      limit 1`,
    [email, aud],
  );
  return row ? loadRelations(db, row) : null;
}

export async function emailTaken(db: Db, email: string, aud: string, exceptUserId: string | null): Promise<boolean> {
  const row = await queryOne(
    db,
    `select 1 from auth.users
      where lower(email) = lower($1) and aud = $2 and is_sso_user = false and ($3::uuid is null or id <> $3::uuid)
      limit 1`,
    [email, aud, exceptUserId],
  );
  return row !== undefined;
}

export async function phoneTaken(db: Db, phone: string, aud: string, exceptUserId: string | null): Promise<boolean> {
  const row = await queryOne(
    db,
    `select 1 from auth.users where phone = $1 and aud = $2 and ($3::uuid is null or id <> $3::uuid) limit 1`,
    [phone, aud, exceptUserId],
  );
  return row !== undefined;
}

/** The user object exactly as GoTrue's JSON has it: empty strings for missing email/phone, unset timestamps omitted. */
export function serializeUser(user: LoadedUser): Record<string, unknown> {
  const { row } = user;
  const out: Record<string, unknown> = {
    id: row.id,
    aud: row.aud ?? '',
    role: row.role ?? '',
    email: row.email ?? '',
  };
  if (row.email_confirmed_at) out.email_confirmed_at = row.email_confirmed_at;
  if (row.invited_at) out.invited_at = row.invited_at;
  out.phone = row.phone ?? '';
  if (row.phone_confirmed_at) out.phone_confirmed_at = row.phone_confirmed_at;
  if (row.confirmation_sent_at) out.confirmation_sent_at = row.confirmation_sent_at;
  if (row.confirmed_at) out.confirmed_at = row.confirmed_at;
  if (row.recovery_sent_at) out.recovery_sent_at = row.recovery_sent_at;
  if (row.email_change) out.new_email = row.email_change;
  if (row.email_change_sent_at) out.email_change_sent_at = row.email_change_sent_at;
  if (row.phone_change) out.new_phone = row.phone_change;
  if (row.phone_change_sent_at) out.phone_change_sent_at = row.phone_change_sent_at;
  if (row.reauthentication_sent_at) out.reauthentication_sent_at = row.reauthentication_sent_at;
  if (row.last_sign_in_at) out.last_sign_in_at = row.last_sign_in_at;
  out.app_metadata = row.raw_app_meta_data ?? {};
  out.user_metadata = row.raw_user_meta_data ?? {};
  if (user.factors.length > 0) out.factors = user.factors.map(serializeFactor);
  out.identities = user.identities.map(serializeIdentity);
  out.created_at = row.created_at ?? '0001-01-01T00:00:00Z';
  out.updated_at = row.updated_at ?? '0001-01-01T00:00:00Z';
  if (row.banned_until) out.banned_until = row.banned_until;
  if (row.deleted_at) out.deleted_at = row.deleted_at;
  out.is_anonymous = row.is_anonymous;
  return out;
}

function serializeIdentity(identity: IdentityRow): Record<string, unknown> {
  const out: Record<string, unknown> = {
    identity_id: identity.id,
    id: identity.provider_id,
    user_id: identity.user_id,
  };
  if (identity.identity_data && Object.keys(identity.identity_data).length > 0) out.identity_data = identity.identity_data;
  out.provider = identity.provider;
  if (identity.last_sign_in_at) out.last_sign_in_at = identity.last_sign_in_at;
  out.created_at = identity.created_at ?? '0001-01-01T00:00:00Z';
  out.updated_at = identity.updated_at ?? '0001-01-01T00:00:00Z';
  if (identity.email) out.email = identity.email;
  return out;
}

function serializeFactor(factor: FactorRow): Record<string, unknown> {
  const out: Record<string, unknown> = {
    id: factor.id,
    friendly_name: factor.friendly_name ?? '',
    factor_type: factor.factor_type,
    status: factor.status,
    created_at: factor.created_at,
    updated_at: factor.updated_at,
  };
  if (factor.phone) out.phone = factor.phone;
  if (factor.last_challenged_at) out.last_challenged_at = factor.last_challenged_at;
  return out;
}

/** GoTrue's metadata update: keys merge in, a null value deletes its key. */
export function mergeMetadata(current: Record<string, unknown> | null, updates: Record<string, unknown>): Record<string, unknown> {
  const merged: Record<string, unknown> = { ...(current ?? {}) };
  for (const [key, value] of Object.entries(updates)) {
    if (value === null) delete merged[key];
    else merged[key] = value;
  }
  return merged;
}

/** Go's bcrypt writes `$2a$`; bcryptjs writes `$2b$`, which hashes identically below 255 bytes. */
export async function hashPassword(password: string): Promise<string> {
  const hash = await bcrypt.hash(password, BCRYPT_COST);
  return hash.replace(/^\$2b\$/, '$2a$');
}

/**
 * A valid cost-10 hash of a random secret: comparing against it when the user is unknown (or has
 * no password) makes those answers take as long as a wrong password does.
 */
const timingDummyHash = bcrypt.hashSync(randomBytes(24).toString('base64'), BCRYPT_COST);

export async function verifyPassword(password: string, encryptedPassword: string | null): Promise<boolean> {
  if (!encryptedPassword || !/^\$2[aby]\$\d\d\$/.test(encryptedPassword)) {
    await bcrypt.compare(password, timingDummyHash);
    return false;
  }
  try {
    return await bcrypt.compare(password, encryptedPassword);
  } catch {
    return false;
  }
}

/** GoTrue's checkPasswordStrength with hosted defaults: a minimum length, no character classes, no HIBP. */
export function checkPasswordStrength(password: string, minimumLength: number): void {
  if (password.length > MAX_PASSWORD_LENGTH) {
    throw badRequest('validation_failed', `Password cannot be longer than ${MAX_PASSWORD_LENGTH} characters`);
  }
  if (password.length < minimumLength) {
    throw new WeakPasswordError(`Password should be at least ${minimumLength} characters.`, ['length']);
  }
}

/** GoTrue's validateEmail (checkmail's format check, lower-cased result). */
export function validateEmail(email: string): string {
  if (email === '') throw badRequest('validation_failed', 'An email address is required');
  if (email.length > 255) throw badRequest('validation_failed', 'An email address is too long');
  if (!/^[a-zA-Z0-9.!#$%&'*+/=?^_`{|}~-]+@[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?(?:\.[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?)*$/.test(email)) {
    throw badRequest('validation_failed', 'Unable to validate email address: invalid format');
  }
  return email.toLowerCase();
}

/** GoTrue's validatePhone: strips a leading + and spaces, then requires E.164 digits. */
export function validatePhone(phone: string): string {
  const formatted = phone.replace(/^\+/, '').replaceAll(' ', '');
  if (!/^[1-9][0-9]{1,14}$/.test(formatted)) {
    throw badRequest('validation_failed', 'Invalid phone number format (E.164 required)');
  }
  return formatted;
}

const GO_DURATION_UNITS: Record<string, number> = {
  ns: 1e-6,
  us: 1e-3,
  'µs': 1e-3,
  'μs': 1e-3,
  ms: 1,
  s: 1000,
  m: 60_000,
  h: 3_600_000,
};

/**
 * Go's time.ParseDuration, in milliseconds ("876000h", "1h30m", "-5m"), since ban_duration uses
 * its syntax. Throws GoTrue's validation error for anything else.
 */
export function parseGoDuration(text: string): number {
  const invalid = () => badRequest('validation_failed', `invalid format for ban duration: time: invalid duration "${text}"`);
  let rest = text;
  let sign = 1;
  if (rest.startsWith('-') || rest.startsWith('+')) {
    sign = rest.startsWith('-') ? -1 : 1;
    rest = rest.slice(1);
  }
  if (rest === '0') return 0;
  if (rest === '') throw invalid();
  let total = 0;
  const part = /^(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|μs|ms|s|m|h)/;
  while (rest.length > 0) {
    const match = part.exec(rest);
    if (!match) throw invalid();
    total += Number(match[1]) * (GO_DURATION_UNITS[match[2] ?? ''] ?? Number.NaN);
    rest = rest.slice(match[0].length);
  }
  if (!Number.isFinite(total)) throw invalid();
  return sign * total;
}
