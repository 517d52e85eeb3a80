// Phoenix channel framing as @supabase/realtime-js speaks it.
// vsn 2.0.0: text frames are JSON arrays [join_ref, ref, topic, event, payload]; the client sends
// broadcast pushes as binary "user broadcast push" frames (kind 3), and accepts binary "user
// broadcast" frames (kind 4), which we only use for payloads that are binary themselves.
// vsn 1.0.0: text frames are JSON objects {join_ref, ref, topic, event, payload}.

export type Vsn = '1.0.0' | '2.0.0';

export interface Frame {
  joinRef: string | null;
  ref: string | null;
  topic: string;
  event: string;
  payload: unknown;
}

/** A broadcast whose user payload is opaque bytes (encoding 0 in the binary layout). */
export interface BinaryBroadcast {
  userEvent: string;
  bytes: Buffer;
}

const KIND_USER_BROADCAST_PUSH = 3;
const KIND_USER_BROADCAST = 4;
const ENCODING_BINARY = 0;
const ENCODING_JSON = 1;

export class FrameError extends Error {}

function asRef(value: unknown): string | null {
  if (value === null || value === undefined || value === '') return null;
  return String(value);
}

function frameFromParts(joinRef: unknown, ref: unknown, topic: unknown, event: unknown, payload: unknown): Frame {
  if (typeof topic !== 'string' || typeof event !== 'string') throw new FrameError('topic and event must be strings');
  return { joinRef: asRef(joinRef), ref: asRef(ref), topic, event, payload: payload ?? {} };
}

export function decodeText(text: string, vsn: Vsn): Frame {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new FrameError('frame is not JSON');
  }
  if (Array.isArray(parsed)) {
    if (parsed.length !== 5) throw new FrameError('frame must have 5 elements');
    return frameFromParts(parsed[0], parsed[1], parsed[2], parsed[3], parsed[4]);
  }
  if (vsn === '1.0.0' && parsed !== null && typeof parsed === 'object') {
    const message = parsed as Record<string, unknown>;
    return frameFromParts(message.join_ref, message.ref, message.topic, message.event, message.payload);
  }
  throw new FrameError('unsupported frame shape');
}

/**
 * Decodes a kind 3 frame: byte 0 = 3, then one length byte each for join_ref, ref, topic, user
 * event and metadata, one encoding byte, the five strings in that order, then the user payload.
 * The result is a `broadcast` push whose payload mirrors what the JSON form would carry.
 */
export function decodeBinary(data: Buffer): { frame: Frame; binary: BinaryBroadcast | null } {
  if (data.length < 7 || data[0] !== KIND_USER_BROADCAST_PUSH) throw new FrameError('unsupported binary frame');
  const sizes = [data[1]!, data[2]!, data[3]!, data[4]!, data[5]!];
  const encoding = data[6]!;
  let offset = 7;
  const strings: string[] = [];
  for (const size of sizes) {
    if (offset + size > data.length) throw new FrameError('truncated binary frame');
    strings.push(data.subarray(offset, offset + size).toString('utf8'));
    offset += size;
  }
  const [joinRef, ref, topic, userEvent, metadata] = strings as [string, string, string, string, string];
  const body = data.subarray(offset);
  const payload: Record<string, unknown> = { type: 'broadcast', event: userEvent };
  if (metadata !== '') {
    try {
      Object.assign(payload, JSON.parse(metadata) as Record<string, unknown>);
    } catch {
      throw new FrameError('binary frame metadata is not JSON');
    }
  }
  let binary: BinaryBroadcast | null = null;
  if (encoding === ENCODING_JSON) {
    try {
      payload.payload = body.length === 0 ? {} : JSON.parse(body.toString('utf8'));
    } catch {
      throw new FrameError('binary frame payload is not JSON');
    }
  } else if (encoding === ENCODING_BINARY) {
    binary = { userEvent, bytes: Buffer.from(body) };
  } else {
    throw new FrameError('unknown payload encoding');
  }
  return { frame: { joinRef: asRef(joinRef), ref: asRef(ref), topic, event: 'broadcast', payload }, binary };
}

export function encodeText(frame: Frame, vsn: Vsn): string {
  if (vsn === '1.0.0') {
    return JSON.stringify({ join_ref: frame.joinRef, ref: frame.ref, topic: frame.topic, event: frame.event, payload: frame.payload });
  }
  return JSON.stringify([frame.joinRef, frame.ref, frame.topic, frame.event, frame.payload]);
}

/** Kind 4: byte 0 = 4, lengths of topic, user event, metadata, the encoding byte, the strings, the payload. */
export function encodeBinaryBroadcast(topic: string, broadcast: BinaryBroadcast): Buffer {
  const topicBytes = Buffer.from(topic, 'utf8');
  const eventBytes = Buffer.from(broadcast.userEvent, 'utf8');
  if (topicBytes.length > 255 || eventBytes.length > 255) throw new FrameError('topic or event too long for a binary frame');
  const header = Buffer.from([KIND_USER_BROADCAST, topicBytes.length, eventBytes.length, 0, ENCODING_BINARY]);
  return Buffer.concat([header, topicBytes, eventBytes, broadcast.bytes]);
}
