// The wire format against realtime-js's own serializer, and the postgres_changes filter syntax.
import { describe, expect, it } from 'vitest';
import Serializer from '@supabase/realtime-js/dist/main/lib/serializer.js';
import { parseFilter } from './changes.ts';
import { decodeBinary, decodeText, encodeBinaryBroadcast, encodeText } from './protocol.ts';

type EncodedBy<T> = (value: T) => void;
const serializer = new (Serializer as unknown as new () => {
  encode(message: Record<string, unknown>, callback: EncodedBy<ArrayBuffer | string>): void;
  decode(raw: ArrayBuffer | string, callback: EncodedBy<Record<string, unknown>>): void;
})();

function clientEncode(message: Record<string, unknown>): ArrayBuffer | string {
  let encoded: ArrayBuffer | string = '';
  serializer.encode(message, (value) => (encoded = value));
  return encoded;
}

describe('frames from realtime-js', () => {
  it('decodes the binary broadcast push the client sends for channel.send()', () => {
    const encoded = clientEncode({
      join_ref: '4',
      ref: '9',
      topic: 'realtime:sää',
      event: 'broadcast',
      payload: { type: 'broadcast', event: 'cursor', payload: { x: 1, text: 'hyvä' } },
    });
    expect(encoded).toBeInstanceOf(ArrayBuffer);
    const { frame, binary } = decodeBinary(Buffer.from(encoded as ArrayBuffer));
    expect(binary).toBeNull();
    expect(frame).toEqual({
      joinRef: '4',
      ref: '9',
      topic: 'realtime:sää',
      event: 'broadcast',
      payload: { type: 'broadcast', event: 'cursor', payload: { x: 1, text: 'hyvä' } },
    });
  });

  it('keeps an opaque binary payload as bytes', () => {
    const bytes = new Uint8Array([0, 1, 2, 255]).buffer;
    const encoded = clientEncode({ join_ref: '1', ref: '2', topic: 'realtime:b', event: 'broadcast', payload: { type: 'broadcast', event: 'blob', payload: bytes } });
    const { binary } = decodeBinary(Buffer.from(encoded as ArrayBuffer));
    expect(binary).toEqual({ userEvent: 'blob', bytes: Buffer.from([0, 1, 2, 255]) });
  });

  it('reads text frames in both protocol versions and writes what the client decodes', () => {
    expect(decodeText('[null,"3","phoenix","heartbeat",{}]', '2.0.0')).toEqual({ joinRef: null, ref: '3', topic: 'phoenix', event: 'heartbeat', payload: {} });
    expect(decodeText('{"join_ref":"1","ref":"1","topic":"realtime:a","event":"phx_join","payload":{}}', '1.0.0')).toMatchObject({ event: 'phx_join' });
    const text = encodeText({ joinRef: '1', ref: null, topic: 'realtime:a', event: 'system', payload: { status: 'ok' } }, '2.0.0');
    let decoded: Record<string, unknown> = {};
    serializer.decode(text, (value) => (decoded = value));
    expect(decoded).toEqual({ join_ref: '1', ref: null, topic: 'realtime:a', event: 'system', payload: { status: 'ok' } });
  });

  it('writes binary broadcasts the client decodes', () => {
    const frame = encodeBinaryBroadcast('realtime:b', { userEvent: 'blob', bytes: Buffer.from([7, 8]) });
    let decoded: Record<string, unknown> = {};
    const copy = new Uint8Array(frame).buffer;
    serializer.decode(copy, (value) => (decoded = value));
    expect(decoded).toMatchObject({ topic: 'realtime:b', event: 'broadcast', payload: { type: 'broadcast', event: 'blob' } });
    expect(new Uint8Array((decoded.payload as { payload: ArrayBuffer }).payload)).toEqual(new Uint8Array([7, 8]));
  });
});

describe('postgres_changes filters', () => {
  it('parses each operator and `in` lists', () => {
    expect(parseFilter('id=eq.5')).toEqual({ column: 'id', op: 'eq', value: '5' });
    expect(parseFilter('body=neq.a.b')).toEqual({ column: 'body', op: 'neq', value: 'a.b' });
    expect(parseFilter('n=gte.-1')).toEqual({ column: 'n', op: 'gte', value: '-1' });
    expect(parseFilter('tag=in.(a, "b c",d)')).toEqual({ column: 'tag', op: 'in', value: ['a', 'b c', 'd'] });
  });

  it('refuses malformed filters and `in` lists over 100 values', () => {
    expect(typeof parseFilter('id=like.5')).toBe('string');
    expect(typeof parseFilter('id')).toBe('string');
    expect(typeof parseFilter('id=in.1,2')).toBe('string');
    const many = Array.from({ length: 101 }, (_, index) => index).join(',');
    expect(parseFilter(`id=in.(${many})`)).toBe('too many values for `in` filter. Maximum 100');
  });
});
