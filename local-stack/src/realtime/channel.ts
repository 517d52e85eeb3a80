// One WebSocket connection and its channels: the Phoenix channel lifecycle as hosted Realtime runs
// it (join, leave, heartbeat, access_token, broadcast, presence, postgres_changes, system).
import type { WebSocket } from 'ws';
import { randomUUID } from 'node:crypto';
import { canWrite, confirmToken, readPolicies, type Claims, type ReadPolicies } from './auth.ts';
import type { ChangeSubscription, ChangeSubscriber } from './changes.ts';
import { decodeBinary, decodeText, encodeBinaryBroadcast, encodeText, FrameError, type BinaryBroadcast, type Frame, type Vsn } from './protocol.ts';
import type { RealtimeHub } from './hub.ts';

// setTimeout cannot take delays beyond ~24.8 days; hosted re-confirms at least hourly anyway.
const MAX_CONFIRM_INTERVAL_MS = 60 * 60 * 1000;

interface JoinConfig {
  broadcast?: { ack?: unknown; self?: unknown };
  presence?: { key?: unknown; enabled?: unknown };
  postgres_changes?: unknown;
  private?: unknown;
}

interface PgChangeParams {
  event?: unknown;
  schema?: unknown;
  table?: unknown;
  filter?: unknown;
  [key: string]: unknown;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** A stable small integer per parameter set, standing in for hosted's :erlang.phash2(params). */
export function paramsId(params: Record<string, unknown>): number {
  const canonical = (value: unknown): unknown =>
    isObject(value) ? Object.fromEntries(Object.keys(value).sort().map((key) => [key, canonical(value[key])])) : value;
  const text = JSON.stringify(canonical(params));
  let hash = 0x811c9dc5;
  for (let index = 0; index < text.length; index++) {
    hash ^= text.charCodeAt(index);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash % 2 ** 27;
}

export class Channel implements ChangeSubscriber {
  claims: Claims;
  accessToken: string;
  /**
   * True while the channel runs on the token the apikey stands for (no user token offered).
   * The gateway re-mints that token before it expires, so it is renewed rather than expiring.
   */
  tokenFromKey: boolean;
  policies: (ReadPolicies & { broadcastWrite?: boolean; presenceWrite?: boolean }) | null = null;
  presenceEnabled: boolean;
  presenceTracked: Record<string, unknown> | null = null;
  readonly presenceKey: string;
  readonly selfBroadcast: boolean;
  readonly ackBroadcast: boolean;
  readonly isPrivate: boolean;
  readonly pgParams: PgChangeParams[];
  pgSubscriptions: ChangeSubscription[] = [];
  /** The topic without `realtime:`, as policies see it through realtime.topic(). */
  readonly subTopic: string;
  private confirmTimer: NodeJS.Timeout | null = null;
  closed = false;

  constructor(
    readonly connection: Connection,
    readonly topic: string,
    readonly joinRef: string | null,
    config: JoinConfig,
    claims: Claims,
    accessToken: string,
    tokenFromKey: boolean,
  ) {
    this.subTopic = topic.slice('realtime:'.length);
    this.claims = claims;
    this.accessToken = accessToken;
    this.tokenFromKey = tokenFromKey;
    this.isPrivate = config.private === true;
    this.selfBroadcast = config.broadcast?.self === true;
    this.ackBroadcast = config.broadcast?.ack === true;
    const key = config.presence?.key;
    this.presenceKey = typeof key === 'string' && key !== '' ? key : randomUUID();
    this.presenceEnabled = config.presence?.enabled === true;
    this.pgParams = Array.isArray(config.postgres_changes) ? (config.postgres_changes.filter(isObject) as PgChangeParams[]) : [];
  }

  /** Hosted keeps public and private channels of the same name apart. */
  get hubTopic(): string {
    return `${this.isPrivate ? 'private' : 'public'}:${this.subTopic}`;
  }

  push(event: string, payload: unknown, ref: string | null = null): void {
    this.connection.send({ joinRef: this.joinRef, ref, topic: this.topic, event, payload });
  }

  deliver(ids: number[], data: Record<string, unknown>): void {
    if (this.closed) return;
    this.push('postgres_changes', { ids, data });
  }

  system(extension: 'system' | 'postgres_changes', status: 'ok' | 'error', message: string): void {
    this.push('system', { extension, status, message, channel: this.subTopic });
  }

  scheduleConfirm(onExpired: () => void): void {
    if (this.confirmTimer) clearTimeout(this.confirmTimer);
    const untilExpiry = this.claims.exp * 1000 - Date.now();
    this.confirmTimer = setTimeout(onExpired, Math.max(0, Math.min(MAX_CONFIRM_INTERVAL_MS, untilExpiry)));
    this.confirmTimer.unref();
  }

  stopTimers(): void {
    if (this.confirmTimer) clearTimeout(this.confirmTimer);
    this.confirmTimer = null;
  }
}

export class Connection {
  readonly channels = new Map<string, Channel>();
  private queue: Promise<void> = Promise.resolve();
  private closed = false;

  constructor(
    readonly hub: RealtimeHub,
    readonly ws: WebSocket,
    readonly vsn: Vsn,
    /** The socket's apikey; the JWT it stands for is every channel's fallback token. */
    private readonly apikey: string,
  ) {
    ws.on('message', (data, isBinary) => {
      const buffer = Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data as ArrayBuffer);
      // Phoenix handles a socket's messages one at a time; a push right after a join must see it.
      this.queue = this.queue.then(() => this.receive(buffer, isBinary)).catch((error: Error) => hub.log(`message handling failed: ${error.stack ?? error.message}`));
    });
    ws.on('close', () => this.teardown());
    ws.on('error', () => this.teardown());
  }

  private keyJwt(): string | null {
    return this.hub.ctx.resolveApiKey(this.apikey)?.jwt ?? null;
  }

  send(frame: Frame): void {
    this.sendText(encodeText(frame, this.vsn));
  }

  /** A frame already encoded for this socket's vsn (fan-out encodes once for many sockets). */
  sendText(text: string): void {
    if (this.closed || this.ws.readyState !== this.ws.OPEN) return;
    this.ws.send(text);
  }

  sendBinaryBroadcast(topic: string, broadcast: BinaryBroadcast): boolean {
    if (this.vsn !== '2.0.0') return false;
    if (this.closed || this.ws.readyState !== this.ws.OPEN) return true;
    this.ws.send(encodeBinaryBroadcast(topic, broadcast));
    return true;
  }

  private reply(frame: Frame, status: 'ok' | 'error', response: unknown = {}): void {
    this.send({ joinRef: frame.joinRef, ref: frame.ref, topic: frame.topic, event: 'phx_reply', payload: { status, response } });
  }

  private async receive(data: Buffer, isBinary: boolean): Promise<void> {
    let frame: Frame;
    let binary: BinaryBroadcast | null = null;
    try {
      if (isBinary) ({ frame, binary } = decodeBinary(data));
      else frame = decodeText(data.toString('utf8'), this.vsn);
    } catch (error) {
      if (error instanceof FrameError) {
        this.hub.log(`dropping malformed frame: ${error.message}`);
        return;
      }
      throw error;
    }

    if (frame.topic === 'phoenix' && frame.event === 'heartbeat') {
      this.reply(frame, 'ok');
      return;
    }
    if (frame.event === 'phx_join') {
      await this.join(frame);
      return;
    }
    const channel = this.channels.get(frame.topic);
    if (!channel || (frame.joinRef !== null && channel.joinRef !== null && frame.joinRef !== channel.joinRef)) {
      // What Phoenix answers for a push to a topic the socket has not joined.
      if (frame.ref !== null) this.reply(frame, 'error', { reason: 'unmatched topic' });
      return;
    }
    switch (frame.event) {
      case 'phx_leave':
        this.reply(frame, 'ok');
        this.closeChannel(channel);
        return;
      case 'access_token':
        await this.updateToken(channel, frame.payload);
        return;
      case 'broadcast':
        await this.broadcast(channel, frame, binary);
        return;
      case 'presence':
        await this.presence(channel, frame);
        return;
      default:
        return;
    }
  }

  private async join(frame: Frame): Promise<void> {
    const fail = (reason: string): void => this.reply(frame, 'error', { reason });
    if (!frame.topic.startsWith('realtime:')) {
      fail('unmatched topic');
      return;
    }
    if (frame.topic === 'realtime:') {
      fail('TopicNameRequired: You must provide a topic name');
      return;
    }
    const existing = this.channels.get(frame.topic);
    if (existing) this.removeChannel(existing);

    const payload = isObject(frame.payload) ? frame.payload : {};
    const config = (isObject(payload.config) ? payload.config : {}) as JoinConfig;
    const offered = typeof payload.access_token === 'string' ? payload.access_token : typeof payload.user_token === 'string' ? payload.user_token : null;
    const tokenFromKey = !offered || offered.startsWith('sb_');
    const accessToken = tokenFromKey ? this.keyJwt() : offered;
    if (accessToken === null) {
      fail('InvalidJWTToken: The token provided is not a valid JWT');
      return;
    }

    const check = await confirmToken(this.hub.ctx, accessToken);
    if (!check.ok) {
      fail(
        check.kind === 'signature'
          ? 'JwtSignatureError: Failed to validate JWT signature'
          : check.kind === 'malformed'
            ? `MalformedJWT: ${check.message}`
            : `InvalidJWTToken: ${check.message}`,
      );
      return;
    }
    const channel = new Channel(this, frame.topic, frame.joinRef, config, check.claims, accessToken, tokenFromKey);
    if (channel.isPrivate) {
      const policies = await readPolicies(this.hub.ctx.adminPool, { subTopic: channel.subTopic, claims: channel.claims }, (message) => this.hub.log(message));
      if (!policies.broadcast && !(channel.presenceEnabled && policies.presence)) {
        fail(`Unauthorized: You do not have permissions to read from this Channel topic: ${channel.subTopic}`);
        return;
      }
      channel.policies = policies;
    }
    if (this.closed) return;

    this.channels.set(channel.topic, channel);
    this.hub.addChannel(channel);
    const echoed = channel.pgParams.map((params) => ({ ...params, id: paramsId(params) }));
    this.reply(frame, 'ok', { postgres_changes: echoed });
    channel.scheduleConfirm(() => void this.reconfirm(channel));
    if (channel.presenceEnabled) this.hub.syncPresence(channel);
    if (channel.pgParams.length > 0) await this.subscribeChanges(channel);
  }

  /** Registers the channel's postgres_changes, then tells the client with a `system` message. */
  private async subscribeChanges(channel: Channel): Promise<void> {
    for (const subscription of channel.pgSubscriptions) this.hub.changes.remove(subscription);
    channel.pgSubscriptions = [];
    try {
      await this.hub.changes.ready;
    } catch {
      channel.system('postgres_changes', 'error', 'Realtime was unable to connect to the project database');
      return;
    }
    const subscriptions: ChangeSubscription[] = [];
    for (const params of channel.pgParams) {
      const result = await this.hub.validateSubscription(params, channel, paramsId(params));
      if (typeof result === 'string') {
        channel.system('postgres_changes', 'error', result);
        return;
      }
      subscriptions.push(result);
    }
    if (channel.closed) return;
    channel.pgSubscriptions = subscriptions;
    for (const subscription of subscriptions) this.hub.changes.add(subscription);
    channel.system('postgres_changes', 'ok', 'Subscribed to PostgreSQL');
  }

  private async updateToken(channel: Channel, payload: unknown): Promise<void> {
    const token = isObject(payload) ? payload.access_token : undefined;
    if (typeof token !== 'string' || token.startsWith('sb_') || token === channel.accessToken) return;
    const check = await confirmToken(this.hub.ctx, token);
    if (!check.ok) {
      // Hosted reports a bad signature here by its internal reason.
      this.shutdown(channel, check.kind === 'signature' ? ':signature_error' : check.message);
      return;
    }
    const previous = channel.policies;
    channel.accessToken = token;
    channel.tokenFromKey = false;
    channel.claims = check.claims;
    if (channel.isPrivate) {
      const policies = await readPolicies(this.hub.ctx.adminPool, { subTopic: channel.subTopic, claims: channel.claims }, (message) => this.hub.log(message));
      if (!policies.broadcast && !(channel.presenceEnabled && policies.presence)) {
        this.shutdown(channel, `You do not have permissions to read from this Channel topic: ${channel.subTopic}`);
        return;
      }
      if ((previous?.broadcast && !policies.broadcast) || (previous?.presence && !policies.presence)) {
        this.shutdown(channel, `You no longer have permission to read from this Channel topic: ${channel.subTopic}`);
        return;
      }
      channel.policies = policies;
    }
    if (channel.closed) return;
    channel.scheduleConfirm(() => void this.reconfirm(channel));
    if (channel.pgParams.length > 0) await this.subscribeChanges(channel);
  }

  /** Runs when the token's `exp` is reached (or hourly): an expired token closes the channel. */
  private async reconfirm(channel: Channel): Promise<void> {
    if (channel.closed) return;
    if (channel.tokenFromKey) channel.accessToken = this.keyJwt() ?? channel.accessToken;
    const check = await confirmToken(this.hub.ctx, channel.accessToken);
    if (channel.closed) return;
    if (!check.ok) {
      this.shutdown(channel, check.kind === 'signature' ? ':signature_error' : check.message);
      return;
    }
    channel.claims = check.claims;
    channel.scheduleConfirm(() => void this.reconfirm(channel));
  }

  private async broadcast(channel: Channel, frame: Frame, binary: BinaryBroadcast | null): Promise<void> {
    const payload = isObject(frame.payload) ? frame.payload : null;
    if (!payload) return;
    if (channel.isPrivate) {
      const policies = channel.policies!;
      policies.broadcastWrite ??= await canWrite(this.hub.ctx.adminPool, { subTopic: channel.subTopic, claims: channel.claims }, 'broadcast', (message) =>
        this.hub.log(message),
      );
      // Hosted neither delivers nor acknowledges a send the INSERT policy refuses.
      if (!policies.broadcastWrite) return;
    }
    const message = { type: 'broadcast' as const, event: payload.event, payload: payload.payload ?? {} };
    this.hub.fanOutBroadcast(channel.hubTopic, message, binary, channel.selfBroadcast ? null : channel);
    if (channel.ackBroadcast) this.reply(frame, 'ok');
  }

  private async presence(channel: Channel, frame: Frame): Promise<void> {
    const payload = isObject(frame.payload) ? frame.payload : {};
    const event = typeof payload.event === 'string' ? payload.event.toLowerCase() : '';
    if (event === 'untrack') {
      channel.presenceTracked = null;
      this.hub.untrackPresence(channel);
      this.reply(frame, 'ok');
      return;
    }
    if (event !== 'track') {
      this.reply(frame, 'error', {});
      return;
    }
    const meta = payload.payload ?? {};
    if (!isObject(meta)) {
      this.reply(frame, 'error', { reason: 'Presence track payload must be a map' });
      return;
    }
    if (channel.isPrivate) {
      const policies = channel.policies!;
      policies.presenceWrite ??= await canWrite(this.hub.ctx.adminPool, { subTopic: channel.subTopic, claims: channel.claims }, 'presence', (message) =>
        this.hub.log(message),
      );
      if (!policies.presenceWrite) {
        this.reply(frame, 'error', {});
        return;
      }
    }
    const enabling = !channel.presenceEnabled;
    channel.presenceEnabled = true;
    if (JSON.stringify(meta) !== JSON.stringify(channel.presenceTracked)) {
      channel.presenceTracked = meta;
      this.hub.trackPresence(channel, meta);
    }
    this.reply(frame, 'ok');
    // A track can be what enables presence: the client then still needs the current state.
    if (enabling) this.hub.syncPresence(channel);
  }

  /** Hosted's shutdown_response: a `system` error, then the channel stops (phx_close). */
  shutdown(channel: Channel, message: string): void {
    if (channel.closed) return;
    channel.system('system', 'error', message);
    this.closeChannel(channel);
  }

  /** Ends the channel on the server and tells the client, as a stopped Phoenix channel does. */
  private closeChannel(channel: Channel): void {
    if (channel.closed) return;
    this.removeChannel(channel);
    this.send({ joinRef: channel.joinRef, ref: channel.joinRef, topic: channel.topic, event: 'phx_close', payload: {} });
  }

  private removeChannel(channel: Channel): void {
    channel.closed = true;
    channel.stopTimers();
    if (this.channels.get(channel.topic) === channel) this.channels.delete(channel.topic);
    for (const subscription of channel.pgSubscriptions) this.hub.changes.remove(subscription);
    channel.pgSubscriptions = [];
    this.hub.removeChannel(channel);
  }

  teardown(): void {
    if (this.closed) return;
    this.closed = true;
    for (const channel of [...this.channels.values()]) this.removeChannel(channel);
    this.hub.connections.delete(this);
  }
}
