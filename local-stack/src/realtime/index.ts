// The local stack's Supabase Realtime: /realtime/v1/websocket and the REST broadcast endpoints.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer } from 'ws';
import type { RealtimeService, StackContext } from '../context.ts';
import { confirmToken } from './auth.ts';
import { Connection } from './channel.ts';
import { RealtimeHub } from './hub.ts';
import type { Vsn } from './protocol.ts';

const MAX_BODY_BYTES = 3 * 1024 * 1024;

function refuseUpgrade(socket: Duplex, status: number, reason: string, body: Record<string, unknown>): void {
  const text = JSON.stringify(body);
  socket.end(
    `HTTP/1.1 ${status} ${reason}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(text)}\r\nConnection: close\r\n\r\n${text}`,
  );
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text) });
  res.end(text);
}

class BodyTooLarge extends Error {}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buffer = chunk as Buffer;
    size += buffer.length;
    if (size > MAX_BODY_BYTES) throw new BodyTooLarge();
    chunks.push(buffer);
  }
  return Buffer.concat(chunks);
}

function header(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

interface IncomingMessageShape {
  topic: string;
  event: string;
  payload: unknown;
  private: boolean;
  id?: string;
}

/** Validates `{messages: [...]}` as hosted's BatchBroadcast changeset does. */
function parseMessages(body: unknown): IncomingMessageShape[] | Record<string, unknown> {
  if (body === null || typeof body !== 'object' || !Array.isArray((body as { messages?: unknown }).messages)) {
    return { messages: ["can't be blank"] };
  }
  const raw = (body as { messages: unknown[] }).messages;
  if (raw.length === 0) return { messages: ["can't be blank"] };
  const errors: Record<string, string[]>[] = [];
  const messages: IncomingMessageShape[] = [];
  for (const item of raw) {
    const entry = (item ?? {}) as Record<string, unknown>;
    const problems: Record<string, string[]> = {};
    if (typeof entry.topic !== 'string' || entry.topic === '') problems.topic = ["can't be blank"];
    if (typeof entry.event !== 'string' || entry.event === '') problems.event = ["can't be blank"];
    if (entry.payload === undefined || entry.payload === null) problems.payload = ["can't be blank"];
    else if (typeof entry.payload !== 'object' || Array.isArray(entry.payload)) problems.payload = ['is invalid'];
    if (entry.private !== undefined && entry.private !== null && typeof entry.private !== 'boolean') problems.private = ['is invalid'];
    errors.push(problems);
    messages.push({
      topic: entry.topic as string,
      event: entry.event as string,
      payload: entry.payload,
      private: entry.private === true,
      ...(typeof entry.id === 'string' ? { id: entry.id } : {}),
    });
  }
  return errors.some((problems) => Object.keys(problems).length > 0) ? { messages: errors } : messages;
}

export function createRealtimeService(ctx: StackContext): RealtimeService {
  const hub = new RealtimeHub(ctx);
  const wss = new WebSocketServer({ noServer: true, perMessageDeflate: false });

  return {
    handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
      const url = new URL(req.url ?? '/', 'http://localhost');
      const apikey = url.searchParams.get('apikey') ?? header(req, 'apikey');
      if (!apikey) {
        refuseUpgrade(socket, 401, 'Unauthorized', { message: 'No API key found in request' });
        return;
      }
      const resolved = ctx.resolveApiKey(apikey);
      if (!resolved) {
        refuseUpgrade(socket, 401, 'Unauthorized', { message: 'Invalid API key' });
        return;
      }
      const vsnParam = url.searchParams.get('vsn') ?? '1.0.0';
      if (vsnParam !== '1.0.0' && vsnParam !== '2.0.0') {
        refuseUpgrade(socket, 400, 'Bad Request', { message: `Unsupported serializer version: ${vsnParam}` });
        return;
      }
      wss.handleUpgrade(req, socket, head, (ws) => {
        hub.connections.add(new Connection(hub, ws, vsnParam as Vsn, apikey));
      });
    },

    async handle(req: IncomingMessage, res: ServerResponse, path: string, query: URLSearchParams): Promise<void> {
      const broadcastPath = /^\/api\/broadcast(?:\/([^/]+)\/events\/([^/]+))?\/?$/.exec(path);
      if (!broadcastPath) {
        sendJson(res, 404, { message: 'Not Found' });
        return;
      }
      if (req.method !== 'POST') {
        sendJson(res, 405, { message: 'Method Not Allowed' });
        return;
      }
      const apikey = header(req, 'apikey') ?? query.get('apikey');
      if (!apikey) {
        sendJson(res, 401, { message: 'No API key found in request' });
        return;
      }
      const resolved = ctx.resolveApiKey(apikey);
      if (!resolved) {
        sendJson(res, 401, { message: 'Invalid API key' });
        return;
      }
      const bearer = /^Bearer\s+(.+)$/i.exec(header(req, 'authorization') ?? '')?.[1]?.trim();
      const token = bearer && !bearer.startsWith('sb_') ? bearer : resolved.jwt;
      const check = await confirmToken(ctx, token);
      if (!check.ok) {
        sendJson(res, 401, { message: check.message });
        return;
      }

      let body: Buffer;
      try {
        body = await readBody(req);
      } catch (error) {
        if (error instanceof BodyTooLarge) {
          sendJson(res, 413, { message: 'Payload too large' });
          return;
        }
        throw error;
      }

      if (broadcastPath[1] !== undefined) {
        const topic = decodeURIComponent(broadcastPath[1]);
        const event = decodeURIComponent(broadcastPath[2]!);
        const isPrivate = query.get('private') === 'true';
        const contentType = header(req, 'content-type') ?? '';
        if (contentType.startsWith('application/octet-stream')) {
          if (isPrivate && !(await hub.restBroadcastAllowed(topic, check.claims))) {
            res.writeHead(202).end();
            return;
          }
          hub.restBinaryBroadcast(topic, isPrivate, { userEvent: event, bytes: body });
          res.writeHead(202).end();
          return;
        }
        let payload: unknown;
        try {
          payload = JSON.parse(body.toString('utf8'));
        } catch {
          sendJson(res, 400, { message: 'Request body must be JSON' });
          return;
        }
        await hub.restBroadcast([{ topic, event, payload, private: isPrivate }], check.claims);
        res.writeHead(202).end();
        return;
      }

      let parsed: unknown;
      try {
        parsed = JSON.parse(body.toString('utf8'));
      } catch {
        sendJson(res, 400, { message: 'Request body must be JSON' });
        return;
      }
      const messages = parseMessages(parsed);
      if (!Array.isArray(messages)) {
        sendJson(res, 422, { errors: messages });
        return;
      }
      await hub.restBroadcast(messages, check.claims);
      res.writeHead(202).end();
    },

    async close(): Promise<void> {
      await hub.close();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
    },
  };
}
