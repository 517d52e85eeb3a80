// TOTP as GoTrue uses it (pquerna/otp with its defaults): RFC 6238 over HMAC-SHA1, 6 digits,
// 30-second steps, one step of skew either way, secrets of 20 random bytes in unpadded base32.
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

export const TOTP_PERIOD_SECONDS = 30;
export const TOTP_DIGITS = 6;
/** pquerna/otp's default secret size. */
const SECRET_BYTES = 20;
const BASE32_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

export function base32Encode(bytes: Uint8Array): string {
  let bits = 0;
  let value = 0;
  let out = '';
  for (const byte of bytes) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      out += BASE32_ALPHABET[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  if (bits > 0) out += BASE32_ALPHABET[(value << (5 - bits)) & 31];
  return out;
}

/** Accepts lower case, spaces and `=` padding, as authenticator apps and pquerna/otp do. */
export function base32Decode(text: string): Buffer {
  const clean = text.replace(/[\s=]/g, '').toUpperCase();
  let bits = 0;
  let value = 0;
  const out: number[] = [];
  for (const char of clean) {
    const index = BASE32_ALPHABET.indexOf(char);
    if (index < 0) throw new Error(`not base32: ${JSON.stringify(char)}`);
    value = ((value << 5) | index) & 0xffff;
    bits += 5;
    if (bits >= 8) {
      out.push((value >>> (bits - 8)) & 0xff);
      bits -= 8;
    }
  }
  return Buffer.from(out);
}

export function generateTotpSecret(): string {
  return base32Encode(randomBytes(SECRET_BYTES));
}

/** RFC 4226 HOTP with dynamic truncation. */
export function hotp(secret: Buffer, counter: number): string {
  const message = Buffer.alloc(8);
  message.writeBigUInt64BE(BigInt(counter));
  const digest = createHmac('sha1', secret).update(message).digest();
  const offset = digest[digest.length - 1]! & 0x0f;
  const binary =
    ((digest[offset]! & 0x7f) << 24) | (digest[offset + 1]! << 16) | (digest[offset + 2]! << 8) | digest[offset + 3]!;
  return String(binary % 10 ** TOTP_DIGITS).padStart(TOTP_DIGITS, '0');
}

/** The code an authenticator app shows at `atMs` (tests use it to play the app). */
export function totpCode(base32Secret: string, atMs: number = Date.now()): string {
  return hotp(base32Decode(base32Secret), Math.floor(atMs / 1000 / TOTP_PERIOD_SECONDS));
}

/**
 * Whether `code` is right for the step at `atMs` or the one before or after it (clock drift
 * between phone and server). Anything but exactly six digits is wrong; the comparison does not
 * leak through timing how many digits matched.
 */
export function verifyTotp(base32Secret: string, code: string, atMs: number = Date.now()): boolean {
  if (!/^[0-9]{6}$/.test(code)) return false;
  const secret = base32Decode(base32Secret);
  const step = Math.floor(atMs / 1000 / TOTP_PERIOD_SECONDS);
  let matched = false;
  for (const candidate of [step - 1, step, step + 1]) {
    if (candidate < 0) continue;
    if (timingSafeEqual(Buffer.from(hotp(secret, candidate)), Buffer.from(code))) matched = true;
  }
  return matched;
}

/** pquerna/otp's Key.URL(): what the QR code carries. */
export function otpauthUri(issuer: string, accountName: string, base32Secret: string): string {
  const label = encodeURIComponent(`${issuer}:${accountName}`).replaceAll('%3A', ':').replaceAll('%40', '@');
  const params = new URLSearchParams({
    algorithm: 'SHA1',
    digits: String(TOTP_DIGITS),
    issuer,
    period: String(TOTP_PERIOD_SECONDS),
    secret: base32Secret,
  });
  return `otpauth://totp/${label}?${params.toString()}`;
}
