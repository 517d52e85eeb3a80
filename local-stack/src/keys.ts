// The stack's keys: generated on first start, persisted in <stack folder>/keys.json (0600), never
// committed. Role JWTs are signed synchronously with node:crypto so `resolveApiKey` stays sync.
import { createHmac, randomBytes, randomUUID, sign, timingSafeEqual, type KeyObject } from 'node:crypto';
import { readFile, writeFile, chmod } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { exportJWK, generateKeyPair, importJWK, jwtVerify, decodeProtectedHeader, type JWK } from 'jose';
import type { ApiKeyRole, StackKeys } from './context.ts';

interface PersistedKeys {
  version: 1;
  signing: { kid: string; privateJwk: JWK; publicJwk: JWK };
  legacyJwtSecret: string;
  publishableKey: string;
  secretKey: string;
  legacyAnonKey: string;
  legacyServiceRoleKey: string;
}

export const KEYS_FILE = 'keys.json';

function base64url(data: Buffer | string): string {
  return Buffer.from(data).toString('base64url');
}

function randomToken(bytes: number): string {
  return randomBytes(bytes).toString('base64url');
}

export function signHs256(claims: Record<string, unknown>, secret: string): string {
  const header = base64url(JSON.stringify({ alg: 'HS256', typ: 'JWT' }));
  const body = base64url(JSON.stringify(claims));
  const signature = createHmac('sha256', secret).update(`${header}.${body}`).digest('base64url');
  return `${header}.${body}.${signature}`;
}

/** ES256 with a kid, as the Auth service signs access tokens (tests use it to mint edge cases). */
export function signEs256(claims: Record<string, unknown>, key: KeyObject, kid: string): string {
  const header = base64url(JSON.stringify({ alg: 'ES256', typ: 'JWT', kid }));
  const body = base64url(JSON.stringify(claims));
  const signature = sign('sha256', Buffer.from(`${header}.${body}`), { key, dsaEncoding: 'ieee-p1363' });
  return `${header}.${body}.${base64url(signature)}`;
}

async function generateKeys(): Promise<PersistedKeys> {
  const { privateKey, publicKey } = await generateKeyPair('ES256', { extractable: true });
  const kid = randomUUID();
  const privateJwk = { ...(await exportJWK(privateKey)), kid, alg: 'ES256' };
  const publicJwk = { ...(await exportJWK(publicKey)), kid, alg: 'ES256', use: 'sig', key_ops: ['verify'] };
  const legacyJwtSecret = randomToken(40);
  // As `supabase start` issues them: long-lived, iss "supabase-demo".
  const legacyClaims = (role: ApiKeyRole) => ({ iss: 'supabase-demo', role, exp: 1983812996 });
  return {
    version: 1,
    signing: { kid, privateJwk, publicJwk },
    legacyJwtSecret,
    publishableKey: `sb_publishable_${randomToken(24)}`,
    secretKey: `sb_secret_${randomToken(24)}`,
    legacyAnonKey: signHs256(legacyClaims('anon'), legacyJwtSecret),
    legacyServiceRoleKey: signHs256(legacyClaims('service_role'), legacyJwtSecret),
  };
}

async function loadOrCreate(stackDir: string): Promise<PersistedKeys> {
  const file = path.join(stackDir, KEYS_FILE);
  if (existsSync(file)) {
    await chmod(file, 0o600);
    return JSON.parse(await readFile(file, 'utf8')) as PersistedKeys;
  }
  const keys = await generateKeys();
  await writeFile(file, JSON.stringify(keys, null, 2) + '\n', { mode: 0o600 });
  return keys;
}

function constantTimeEquals(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

/** Role JWTs minted for `sb_` keys are re-minted when less than this remains of their life. */
const ROLE_JWT_LIFETIME_S = 3600;
const ROLE_JWT_RENEW_BEFORE_S = 600;

export class KeyRing {
  readonly keys: StackKeys;
  /** JWKS handed to PostgREST: the EC public key and the legacy secret as an `oct` key. */
  readonly postgrestJwks: { keys: Record<string, unknown>[] };
  private readonly roleJwts = new Map<ApiKeyRole, { jwt: string; exp: number }>();

  private constructor(
    private readonly persisted: PersistedKeys,
    signingPrivateKey: CryptoKey,
    private readonly issuer: string,
  ) {
    const roleJwt = (role: ApiKeyRole) => this.roleJwt(role);
    this.keys = {
      publishableKey: persisted.publishableKey,
      secretKey: persisted.secretKey,
      legacyJwtSecret: persisted.legacyJwtSecret,
      legacyAnonKey: persisted.legacyAnonKey,
      legacyServiceRoleKey: persisted.legacyServiceRoleKey,
      // Getters, so a part that reads them always gets a token that is not about to expire.
      get anonJwt() {
        return roleJwt('anon');
      },
      get serviceRoleJwt() {
        return roleJwt('service_role');
      },
      signingKid: persisted.signing.kid,
      signingPrivateKey,
      publicJwks: { keys: [persisted.signing.publicJwk as Record<string, unknown>] },
    };
    this.postgrestJwks = {
      keys: [
        persisted.signing.publicJwk as Record<string, unknown>,
        { kty: 'oct', k: base64url(persisted.legacyJwtSecret), alg: 'HS256' },
      ],
    };
  }

  static async open(stackDir: string, publicUrl: string): Promise<KeyRing> {
    const persisted = await loadOrCreate(stackDir);
    const signingPrivateKey = (await importJWK(persisted.signing.privateJwk, 'ES256')) as CryptoKey;
    return new KeyRing(persisted, signingPrivateKey, `${publicUrl}/auth/v1`);
  }

  /**
   * A short-lived JWT for an API role, re-minted before it expires. HS256 with the legacy secret,
   * as the Supabase CLI's gateway maps `sb_` keys (and PostgREST checks HS256 several times faster).
   */
  roleJwt(role: ApiKeyRole): string {
    const now = Math.floor(Date.now() / 1000);
    const cached = this.roleJwts.get(role);
    if (cached && cached.exp - now > ROLE_JWT_RENEW_BEFORE_S) return cached.jwt;
    const exp = now + ROLE_JWT_LIFETIME_S;
    const jwt = signHs256({ iss: this.issuer, role, iat: now, exp }, this.persisted.legacyJwtSecret);
    this.roleJwts.set(role, { jwt, exp });
    return jwt;
  }

  resolveApiKey(apikey: string): { role: ApiKeyRole; jwt: string } | null {
    const p = this.persisted;
    if (constantTimeEquals(apikey, p.publishableKey)) return { role: 'anon', jwt: this.roleJwt('anon') };
    if (constantTimeEquals(apikey, p.secretKey)) return { role: 'service_role', jwt: this.roleJwt('service_role') };
    if (constantTimeEquals(apikey, p.legacyAnonKey)) return { role: 'anon', jwt: apikey };
    if (constantTimeEquals(apikey, p.legacyServiceRoleKey)) return { role: 'service_role', jwt: apikey };
    return null;
  }

  async verifyJwt(token: string): Promise<Record<string, unknown>> {
    const header = decodeProtectedHeader(token);
    if (header.alg === 'ES256') {
      if (header.kid !== undefined && header.kid !== this.persisted.signing.kid) throw new Error('JWT signed by an unknown key');
      const { payload } = await jwtVerify(token, await this.publicKey(), { algorithms: ['ES256'] });
      return payload as Record<string, unknown>;
    }
    if (header.alg === 'HS256') {
      const { payload } = await jwtVerify(token, new TextEncoder().encode(this.persisted.legacyJwtSecret), { algorithms: ['HS256'] });
      return payload as Record<string, unknown>;
    }
    throw new Error(`JWT algorithm ${String(header.alg)} is not accepted`);
  }

  private publicKeyPromise: Promise<CryptoKey> | undefined;
  private publicKey(): Promise<CryptoKey> {
    this.publicKeyPromise ??= importJWK(this.persisted.signing.publicJwk, 'ES256') as Promise<CryptoKey>;
    return this.publicKeyPromise;
  }
}
