// The shared contract between the gateway's parts (REST proxy, Auth, Realtime).
// Each part receives one StackContext when the gateway starts; none of them opens its own
// configuration or keys.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import type pg from 'pg';
import type { SignInRateLimits } from './auth/rate-limit.ts';

export interface StackKeys {
  /** `sb_publishable_...`: maps to the anon role. */
  publishableKey: string;
  /** `sb_secret_...`: maps to service_role. Never leaves server-side code. */
  secretKey: string;
  /** Legacy HS256 JWT secret (>= 32 chars); legacy anon/service_role JWT keys are signed with it. */
  legacyJwtSecret: string;
  /** Legacy JWT keys (role anon / service_role), long-lived, HS256. */
  legacyAnonKey: string;
  legacyServiceRoleKey: string;
  /** Short-lived JWTs minted from the keys above for the proxied request (role anon / service_role). */
  anonJwt: string;
  serviceRoleJwt: string;
  /** ES256 signing key for user access tokens. */
  signingKid: string;
  signingPrivateKey: CryptoKey;
  /** Public JWKS served at /auth/v1/.well-known/jwks.json: `{keys:[{kty:'EC',crv:'P-256',kid,alg:'ES256',use:'sig',key_ops:['verify'],x,y}]}` */
  publicJwks: { keys: Record<string, unknown>[] };
}

export interface StackConfig {
  /** e.g. http://127.0.0.1:54321, without a trailing slash. */
  publicUrl: string;
  /** Parsed from supabase/config.toml [auth.hook.custom_access_token]: "pg-functions://postgres/public/custom_access_token_hook" → {schema:'public', name:'custom_access_token_hook'} */
  customAccessTokenHook: { schema: string; name: string } | null;
  /** [auth] jwt_expiry, seconds (default 3600). */
  jwtExpiry: number;
  /** [auth] refresh_token_reuse_interval, seconds (default 10). */
  refreshTokenReuseInterval: number;
  /** [auth.email] minimum password length (default 6). */
  minimumPasswordLength: number;
  /** Sign-in throttling; per address from [auth.rate_limit] sign_in_sign_ups. Absent: auth/rate-limit.ts defaults. */
  signInRateLimits?: SignInRateLimits;
}

export interface StackContext {
  config: StackConfig;
  keys: StackKeys;
  /** Pool connected as supabase_auth_admin (search_path auth), as GoTrue connects on hosted. */
  authPool: pg.Pool;
  /** Pool connected as a superuser (supabase_admin), as the Realtime server connects. */
  adminPool: pg.Pool;
  /** libpq URL of the database as supabase_admin, for parts that need a dedicated connection (LISTEN, replication slots). */
  adminDatabaseUrl: string;
  log: (part: string, message: string) => void;
  /**
   * What an `apikey` (header or query) stands for, as hosted Supabase's API gateway maps it:
   * the publishable key → anon JWT, the secret key → service_role JWT, a valid legacy JWT key →
   * itself. Null for anything else (the caller answers 401 "Invalid API key").
   */
  resolveApiKey(apikey: string): { role: ApiKeyRole; jwt: string } | null;
  /** Verifies a JWT as PostgREST would (ES256 via JWKS or the legacy HS256 secret); throws when invalid or expired. */
  verifyJwt(token: string): Promise<Record<string, unknown>>;
}

/** Implemented by ./auth/index.ts */
export interface AuthService {
  /**
   * `path` is the part after /auth/v1 (e.g. "/token"), query string excluded. The gateway has
   * already answered CORS preflights, set the CORS headers, refused a missing or unknown apikey
   * with 401 (except on /verify, /callback, /authorize and /.well-known/*), and replaced an
   * `Authorization: Bearer sb_...` with `Bearer <role JWT the apikey stands for>`; a missing
   * Authorization stays missing.
   */
  handle(req: IncomingMessage, res: ServerResponse, path: string, query: URLSearchParams): Promise<void>;
  close(): Promise<void>;
}

/** Implemented by ./realtime/index.ts */
export interface RealtimeService {
  /** WebSocket upgrades to /realtime/v1/websocket (the gateway has already routed by path). */
  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void;
  /**
   * HTTP requests under /realtime/v1 (e.g. POST /api/broadcast); `path` excludes /realtime/v1.
   * As for Auth, the gateway has checked the apikey and mapped a `Bearer sb_...` Authorization.
   * For upgrades it has only checked the apikey (header or `apikey` query parameter); the request
   * reaches handleUpgrade unchanged.
   */
  handle(req: IncomingMessage, res: ServerResponse, path: string, query: URLSearchParams): Promise<void>;
  close(): Promise<void>;
}

/** Verifies an apikey (publishable, secret, legacy JWT) and returns the role it maps to, or null when unknown. */
export type ApiKeyRole = 'anon' | 'service_role';
