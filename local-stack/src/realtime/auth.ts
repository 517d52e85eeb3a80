// Token checks and private-channel authorisation, as hosted Realtime does them.
import type pg from 'pg';
import type { StackContext } from '../context.ts';

export type Claims = Record<string, unknown> & { role: string; exp: number };

export type TokenCheck =
  | { ok: true; claims: Claims }
  | { ok: false; kind: 'expired' | 'malformed' | 'signature' | 'missing_claims'; message: string };

/** Claims of a JWT without verifying it; null when it is not a JWT at all. */
export function peekClaims(token: string): Record<string, unknown> | null {
  const parts = token.split('.');
  if (parts.length !== 3) return null;
  try {
    const claims: unknown = JSON.parse(Buffer.from(parts[1]!, 'base64url').toString('utf8'));
    return claims !== null && typeof claims === 'object' && !Array.isArray(claims) ? (claims as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

/** Hosted's confirm_token: a verified signature, `role` and an integer `exp` in the future. */
export async function confirmToken(ctx: StackContext, token: string): Promise<TokenCheck> {
  const peeked = peekClaims(token.replace(/\s/g, ''));
  if (!peeked) return { ok: false, kind: 'malformed', message: 'The token provided is not a valid JWT' };
  const nowSeconds = Math.floor(Date.now() / 1000);
  let claims: Record<string, unknown>;
  try {
    claims = await ctx.verifyJwt(token.replace(/\s/g, ''));
  } catch {
    if (typeof peeked.exp === 'number' && peeked.exp <= nowSeconds) {
      return { ok: false, kind: 'expired', message: `Token has expired ${nowSeconds - peeked.exp} seconds ago` };
    }
    return { ok: false, kind: 'signature', message: 'Failed to validate JWT signature' };
  }
  if (typeof claims.role !== 'string' || !Number.isInteger(claims.exp)) {
    return { ok: false, kind: 'missing_claims', message: 'Fields `role` and `exp` are required in JWT' };
  }
  const exp = claims.exp as number;
  if (exp <= nowSeconds) return { ok: false, kind: 'expired', message: `Token has expired ${nowSeconds - exp} seconds ago` };
  return { ok: true, claims: claims as Claims };
}

export interface AuthorizationContext {
  /** The topic without the `realtime:` prefix, as policies see it through realtime.topic(). */
  subTopic: string;
  claims: Claims;
}

async function setRequestConfig(client: pg.PoolClient, auth: AuthorizationContext): Promise<void> {
  await client.query(
    `select set_config('role', $1, true), set_config('realtime.topic', $2, true),
            set_config('request.jwt.claims', $3, true), set_config('request.headers', '{}', true)`,
    [auth.claims.role, auth.subTopic, JSON.stringify(auth.claims)],
  );
}

async function rollbackAndRelease(client: pg.PoolClient): Promise<void> {
  try {
    await client.query('rollback');
    client.release();
  } catch (error) {
    // A connection that cannot even roll back is discarded rather than returned to the pool.
    client.release(error instanceof Error ? error : true);
  }
}

export interface ReadPolicies {
  broadcast: boolean;
  presence: boolean;
}

/**
 * Read rights on a private channel. Like hosted: as the admin, insert one probe row per extension
 * for the topic, switch to the user's role and claims, select the probes back, and roll it all
 * back. A probe the user can see means the SELECT policy grants that extension. Policy errors count
 * as no right (hosted reports them as Unauthorized too).
 */
export async function readPolicies(pool: pg.Pool, auth: AuthorizationContext, log: (m: string) => void): Promise<ReadPolicies> {
  const client = await pool.connect();
  try {
    await client.query('begin');
    const probes = await client.query<{ id: string; extension: string }>(
      `insert into realtime.messages (topic, extension) values ($1, 'broadcast'), ($1, 'presence') returning id, extension`,
      [auth.subTopic],
    );
    const broadcastId = probes.rows.find((row) => row.extension === 'broadcast')!.id;
    const presenceId = probes.rows.find((row) => row.extension === 'presence')!.id;
    await setRequestConfig(client, auth);
    const visible = await client.query<{ id: string }>(
      `select id from realtime.messages
        where topic = $1 and ((extension = 'broadcast' and id = $2) or (extension = 'presence' and id = $3))`,
      [auth.subTopic, broadcastId, presenceId],
    );
    const ids = new Set(visible.rows.map((row) => row.id));
    return { broadcast: ids.has(broadcastId), presence: ids.has(presenceId) };
  } catch (error) {
    log(`read authorisation for topic ${auth.subTopic} failed: ${(error as Error).message}`);
    return { broadcast: false, presence: false };
  } finally {
    await rollbackAndRelease(client);
  }
}

/** Write right: an INSERT of a message for the topic, as the user, must pass the INSERT policy. */
export async function canWrite(
  pool: pg.Pool,
  auth: AuthorizationContext,
  extension: 'broadcast' | 'presence',
  log: (m: string) => void,
): Promise<boolean> {
  const client = await pool.connect();
  try {
    await client.query('begin');
    await setRequestConfig(client, auth);
    await client.query(`insert into realtime.messages (topic, extension) values ($1, $2)`, [auth.subTopic, extension]);
    return true;
  } catch (error) {
    const code = (error as { code?: string }).code;
    if (code !== '42501') log(`write authorisation for topic ${auth.subTopic} failed: ${(error as Error).message}`);
    return false;
  } finally {
    await rollbackAndRelease(client);
  }
}
