// The API gateway on :54321, doing what Kong does in front of hosted Supabase: apikey handling,
// Authorization mapping, CORS, routing to PostgREST / Auth / Realtime, Kong's 404 for the rest.
import http, { type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import type { AuthService, RealtimeService, StackContext } from './context.ts';

const CORS_ALLOW_HEADERS =
  'authorization, x-client-info, apikey, content-type, x-retry-count, accept-profile, content-profile, prefer, range, x-supabase-api-version, traceparent';
const CORS_EXPOSE_HEADERS = 'Content-Range, X-Total-Count, Link, X-Supabase-Api-Version, Location, Preference-Applied';
const CORS_ALLOW_METHODS = 'GET,HEAD,PUT,PATCH,POST,DELETE,OPTIONS,TRACE,CONNECT';

const NO_API_KEY = {
  message: 'No API key found in request',
  hint: 'No `apikey` request header or url param was found.',
};
const INVALID_API_KEY = {
  message: 'Invalid API key',
  hint: 'Double check your Supabase `anon` or `service_role` API key.',
};
const NO_ROUTE = { message: 'no Route matched with those values' };
const UPSTREAM_UNREACHABLE = { message: 'An invalid response was received from the upstream server' };

/** Auth endpoints hosted Supabase serves without an apikey (links in emails, OAuth, key discovery). */
const OPEN_AUTH_PATHS = new Set(['/verify', '/callback', '/authorize', '/.well-known/jwks.json', '/.well-known/openid-configuration']);

/** Connection-scoped headers that a proxy must not forward (RFC 9110 §7.6.1). */
const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'proxy-authenticate', 'proxy-authorization', 'te', 'trailer', 'transfer-encoding', 'upgrade', 'host']);

export interface GatewayParts {
  ctx: StackContext;
  postgrestPort: () => number;
  auth: AuthService;
  realtime: RealtimeService;
  health: () => Promise<Record<string, unknown>>;
}

export interface Gateway {
  port: number;
  close(): Promise<void>;
}

function setCors(res: ServerResponse): void {
  res.setHeader('Access-Control-Allow-Origin', '*');
  res.setHeader('Access-Control-Expose-Headers', CORS_EXPOSE_HEADERS);
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': Buffer.byteLength(text) });
  res.end(text);
}

function headerValue(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

/** The apikey from the header, else from the query string (Realtime's WebSocket URL carries it there). */
function findApiKey(headers: IncomingHttpHeaders, rawQuery: string): string | undefined {
  const fromHeader = headerValue(headers.apikey);
  if (fromHeader) return fromHeader;
  const fromQuery = new URLSearchParams(rawQuery).get('apikey');
  return fromQuery ?? undefined;
}

type KeyCheck = { ok: true; jwt: string } | { ok: false; status: number; body: unknown };

function checkApiKey(ctx: StackContext, headers: IncomingHttpHeaders, rawQuery: string): KeyCheck {
  const apikey = findApiKey(headers, rawQuery);
  if (!apikey) return { ok: false, status: 401, body: NO_API_KEY };
  const resolved = ctx.resolveApiKey(apikey);
  if (!resolved) return { ok: false, status: 401, body: INVALID_API_KEY };
  return { ok: true, jwt: resolved.jwt };
}

/**
 * As the Supabase CLI's gateway: a user's Bearer token passes through; a `Bearer sb_...` (the
 * client sends its key as Bearer when signed out) becomes the role JWT the apikey stands for.
 */
function mapAuthorization(headers: IncomingHttpHeaders, roleJwt: string, injectWhenMissing: boolean): void {
  const authorization = headerValue(headers.authorization);
  if (authorization === undefined) {
    if (injectWhenMissing) headers.authorization = `Bearer ${roleJwt}`;
    return;
  }
  if (/^bearer sb_/i.test(authorization)) headers.authorization = `Bearer ${roleJwt}`;
}

/** Drops `apikey` from a raw query string and keeps every other byte as sent. */
function withoutApiKeyParam(rawQuery: string): string {
  if (!rawQuery.includes('apikey')) return rawQuery;
  return rawQuery
    .split('&')
    .filter((part) => part.split('=')[0] !== 'apikey')
    .join('&');
}

function forwardableHeaders(headers: IncomingHttpHeaders): IncomingHttpHeaders {
  const connectionScoped = new Set(
    (headerValue(headers.connection) ?? '')
      .split(',')
      .map((name) => name.trim().toLowerCase())
      .filter(Boolean),
  );
  const forwarded: IncomingHttpHeaders = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined || HOP_BY_HOP.has(name) || connectionScoped.has(name)) continue;
    forwarded[name] = value;
  }
  return forwarded;
}

export function startGateway(parts: GatewayParts, port: number): Promise<Gateway> {
  const { ctx } = parts;
  // Reused upstream connections: a new TCP handshake per request would dominate small queries.
  const upstreamAgent = new http.Agent({ keepAlive: true, maxSockets: 128, maxFreeSockets: 32 });
  const sockets = new Set<Socket | Duplex>();

  const proxyToPostgrest = (req: IncomingMessage, res: ServerResponse, restPath: string, rawQuery: string, roleJwt: string) => {
    const headers = forwardableHeaders(req.headers);
    mapAuthorization(headers, roleJwt, true);
    headers['x-forwarded-for'] = req.socket.remoteAddress ?? '127.0.0.1';
    headers['x-forwarded-proto'] = 'http';
    const query = withoutApiKeyParam(rawQuery);
    const upstream = http.request(
      {
        host: '127.0.0.1',
        port: parts.postgrestPort(),
        method: req.method,
        path: (restPath || '/') + (query ? `?${query}` : ''),
        headers,
        agent: upstreamAgent,
      },
      (upstreamResponse) => {
        const responseHeaders: Record<string, string | string[]> = {};
        for (const [name, value] of Object.entries(upstreamResponse.headers)) {
          if (value === undefined || name === 'connection' || name === 'keep-alive' || name === 'transfer-encoding') continue;
          if (name.startsWith('access-control-')) continue;
          responseHeaders[name] = value;
        }
        res.writeHead(upstreamResponse.statusCode ?? 502, responseHeaders);
        upstreamResponse.pipe(res);
      },
    );
    upstream.on('error', (error) => {
      ctx.log('gateway', `PostgREST request failed: ${error.message}`);
      if (!res.headersSent) sendJson(res, 502, UPSTREAM_UNREACHABLE);
      else res.destroy(error);
    });
    req.pipe(upstream);
  };

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const rawUrl = req.url ?? '/';
    const queryStart = rawUrl.indexOf('?');
    const pathname = queryStart === -1 ? rawUrl : rawUrl.slice(0, queryStart);
    const rawQuery = queryStart === -1 ? '' : rawUrl.slice(queryStart + 1);

    const route = /^\/(rest|auth|realtime)\/v1(\/.*)?$/.exec(pathname);
    if (!route) {
      if (pathname === '/health' && (req.method === 'GET' || req.method === 'HEAD')) {
        setCors(res);
        const report = await parts.health();
        return sendJson(res, report.status === 'ok' ? 200 : 503, report);
      }
      return sendJson(res, 404, NO_ROUTE);
    }
    const service = route[1]!;
    const subPath = route[2] ?? '/';

    setCors(res);
    if (req.method === 'OPTIONS') {
      res.writeHead(200, {
        'Access-Control-Allow-Methods': CORS_ALLOW_METHODS,
        'Access-Control-Allow-Headers': CORS_ALLOW_HEADERS,
        'Access-Control-Max-Age': '3600',
        'Content-Length': '0',
      });
      return res.end();
    }

    const openAuthPath = service === 'auth' && OPEN_AUTH_PATHS.has(subPath);
    const keyCheck = checkApiKey(ctx, req.headers, rawQuery);
    if (!keyCheck.ok && !openAuthPath) return sendJson(res, keyCheck.status, keyCheck.body);

    if (service === 'rest') {
      return proxyToPostgrest(req, res, subPath, rawQuery, (keyCheck as { jwt: string }).jwt);
    }
    if (keyCheck.ok) mapAuthorization(req.headers, keyCheck.jwt, false);
    const query = new URLSearchParams(rawQuery);
    if (service === 'auth') return parts.auth.handle(req, res, subPath, query);
    return parts.realtime.handle(req, res, subPath, query);
  };

  const server = http.createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      ctx.log('gateway', `unhandled error for ${req.method} ${req.url}: ${(error as Error).stack ?? String(error)}`);
      if (!res.headersSent) sendJson(res, 500, { message: 'An unexpected error occurred' });
      else res.destroy();
    });
  });
  server.keepAliveTimeout = 65_000;

  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    const rawUrl = req.url ?? '/';
    const queryStart = rawUrl.indexOf('?');
    const pathname = queryStart === -1 ? rawUrl : rawUrl.slice(0, queryStart);
    const rawQuery = queryStart === -1 ? '' : rawUrl.slice(queryStart + 1);
    const refuse = (status: number, reason: string, body: unknown) => {
      const text = JSON.stringify(body);
      socket.end(
        `HTTP/1.1 ${status} ${reason}\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(text)}\r\nConnection: close\r\n\r\n${text}`,
      );
    };
    if (pathname !== '/realtime/v1/websocket' && pathname !== '/realtime/v1/websocket/') return refuse(404, 'Not Found', NO_ROUTE);
    const keyCheck = checkApiKey(ctx, req.headers, rawQuery);
    if (!keyCheck.ok) return refuse(keyCheck.status, 'Unauthorized', keyCheck.body);
    parts.realtime.handleUpgrade(req, socket, head);
  });

  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });

  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      server.off('error', reject);
      const address = server.address();
      const boundPort = typeof address === 'object' && address ? address.port : port;
      resolve({
        port: boundPort,
        async close() {
          const closed = new Promise<void>((done) => server.close(() => done()));
          // Keep-alive and upgraded sockets would hold close() open forever.
          server.closeIdleConnections();
          for (const socket of sockets) socket.destroy();
          upstreamAgent.destroy();
          await closed;
        },
      });
    });
  });
}
