// What the Auth handlers need from an incoming request: its JSON body as GoTrue parses it, the
// caller's address, and the bearer token as hosted Supabase's API gateway hands it to GoTrue.
import { isIP } from 'node:net';
import type { IncomingMessage } from 'node:http';
import type { StackContext } from '../context.ts';
import { HttpError, badRequest } from './errors.ts';

/** GoTrue refuses larger bodies with 413; the exact limit is not part of the contract. */
const MAX_BODY_BYTES = 1024 * 1024;

export async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buffer = typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer);
    size += buffer.length;
    if (size > MAX_BODY_BYTES) {
      throw new HttpError(413, 'request_entity_too_large', `Request body too large (max ${MAX_BODY_BYTES} bytes)`);
    }
    chunks.push(buffer);
  }
  return Buffer.concat(chunks);
}

/**
 * A JSON object body, as Go's json.Unmarshal into a struct accepts it. Anything else, including an
 * empty body, is 400 bad_json: "Could not parse request body as JSON: ...".
 */
export async function readJsonObject(req: IncomingMessage): Promise<Record<string, unknown>> {
  const body = await readBody(req);
  let parsed: unknown;
  try {
    parsed = JSON.parse(body.toString('utf8'));
  } catch (error) {
    const reason = body.length === 0 ? 'unexpected end of JSON input' : error instanceof Error ? error.message : String(error);
    throw badRequest('bad_json', `Could not parse request body as JSON: ${reason}`);
  }
  // Go decodes `null` into a struct as "no fields"; arrays and scalars are type errors.
  if (parsed === null) return {};
  if (typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw badRequest('bad_json', `Could not parse request body as JSON: json: cannot unmarshal ${Array.isArray(parsed) ? 'array' : typeof parsed} into Go value of type struct`);
  }
  return parsed as Record<string, unknown>;
}

/** A string field; absent or null reads as "" like a Go string field, any other type is bad_json. */
export function stringField(body: Record<string, unknown>, name: string): string {
  const value = body[name];
  if (value === undefined || value === null) return '';
  if (typeof value !== 'string') throw fieldTypeError(name, value, 'string');
  return value;
}

/** A *string field: null when absent or null, so "not sent" and "sent empty" stay distinguishable. */
export function optionalStringField(body: Record<string, unknown>, name: string): string | null {
  const value = body[name];
  if (value === undefined || value === null) return null;
  if (typeof value !== 'string') throw fieldTypeError(name, value, 'string');
  return value;
}

export function booleanField(body: Record<string, unknown>, name: string): boolean {
  const value = body[name];
  if (value === undefined || value === null) return false;
  if (typeof value !== 'boolean') throw fieldTypeError(name, value, 'bool');
  return value;
}

/** A map[string]interface{} field: null when absent or null. */
export function objectField(body: Record<string, unknown>, name: string): Record<string, unknown> | null {
  const value = body[name];
  if (value === undefined || value === null) return null;
  if (typeof value !== 'object' || Array.isArray(value)) throw fieldTypeError(name, value, 'map[string]interface {}');
  return value as Record<string, unknown>;
}

function fieldTypeError(name: string, value: unknown, goType: string): HttpError {
  const jsonType = Array.isArray(value) ? 'array' : typeof value === 'boolean' ? 'bool' : typeof value;
  return badRequest('bad_json', `Could not parse request body as JSON: json: cannot unmarshal ${jsonType} into Go struct field .${name} of type ${goType}`);
}

/** The caller's address as GoTrue records it: the first X-Forwarded-For hop, else the peer. */
export function clientIp(req: IncomingMessage): string | null {
  const forwarded = req.headers['x-forwarded-for'];
  const first = (Array.isArray(forwarded) ? forwarded[0] : forwarded)?.split(',')[0]?.trim();
  const candidate = first || req.socket.remoteAddress || '';
  const unmapped = candidate.startsWith('::ffff:') && isIP(candidate.slice(7)) === 4 ? candidate.slice(7) : candidate;
  return isIP(unmapped) ? unmapped : null;
}

export function headerValue(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name.toLowerCase()];
  return Array.isArray(value) ? value[0] : value;
}

export function apiKeyOf(req: IncomingMessage, query: URLSearchParams): string | undefined {
  return headerValue(req, 'apikey') ?? query.get('apikey') ?? undefined;
}

/**
 * The Authorization header GoTrue receives behind hosted Supabase's gateway: a caller's own
 * Authorization is kept unless it is an `sb_` key, which the gateway replaces with the JWT the
 * apikey stands for (the CLI's Kong template does the same).
 */
export function effectiveAuthorization(ctx: StackContext, req: IncomingMessage, query: URLSearchParams): string | undefined {
  const authorization = headerValue(req, 'authorization');
  if (authorization && !authorization.startsWith('Bearer sb_')) return authorization;
  const apiKey = apiKeyOf(req, query);
  if (!apiKey) return authorization;
  const resolved = ctx.resolveApiKey(apiKey);
  return resolved ? `Bearer ${resolved.jwt}` : `Bearer ${apiKey}`;
}

/** GoTrue's bearerRegexp: `^(?:B|b)earer (\S+$)`. */
export function bearerToken(authorization: string | undefined): string | null {
  const match = authorization ? /^(?:B|b)earer (\S+)$/.exec(authorization) : null;
  return match?.[1] ?? null;
}
