// TOTP against RFC 6238's published vectors, and the QR code the enrol response carries.
import { describe, expect, it } from 'vitest';
import { qrSvg } from './mfa-qr.ts';
import { base32Decode, base32Encode, generateTotpSecret, hotp, otpauthUri, totpCode, verifyTotp } from './mfa-totp.ts';

describe('TOTP', () => {
  // RFC 6238 appendix B, SHA1 key "12345678901234567890"; six digits are the last six of eight.
  const rfcSecret = base32Encode(Buffer.from('12345678901234567890'));
  const vectors: Array<[number, string]> = [
    [59, '287082'],
    [1111111109, '081804'],
    [1111111111, '050471'],
    [1234567890, '005924'],
    [2000000000, '279037'],
    [20000000000, '353130'],
  ];

  it.each(vectors)('gives the RFC 6238 code at t=%i', (seconds, code) => {
    expect(totpCode(rfcSecret, seconds * 1000)).toBe(code);
  });

  it('accepts the code of the previous and next 30-second step and nothing further away', () => {
    const now = 1_700_000_015_000;
    const code = totpCode(rfcSecret, now);
    expect(verifyTotp(rfcSecret, code, now)).toBe(true);
    expect(verifyTotp(rfcSecret, code, now + 30_000)).toBe(true);
    expect(verifyTotp(rfcSecret, code, now - 30_000)).toBe(true);
    expect(verifyTotp(rfcSecret, code, now + 60_000)).toBe(false);
    expect(verifyTotp(rfcSecret, code, now - 60_000)).toBe(false);
  });

  it('refuses anything that is not exactly six digits', () => {
    const now = 1_700_000_015_000;
    const code = totpCode(rfcSecret, now);
    for (const bad of ['', `${code}0`, code.slice(1), ` ${code}`, '12345a', "' or 1=1 --", '１２３４５６']) {
      expect(verifyTotp(rfcSecret, bad, now)).toBe(false);
    }
  });

  it('round-trips base32 and makes 32-character secrets (20 random bytes), each different', () => {
    const bytes = Buffer.from([0, 1, 2, 250, 251, 252, 253, 254, 255]);
    expect(base32Decode(base32Encode(bytes))).toEqual(bytes);
    expect(base32Encode(Buffer.from('foobar'))).toBe('MZXW6YTBOI');
    expect(base32Decode('mzxw 6ytb oi======').toString()).toBe('foobar');
    const secret = generateTotpSecret();
    expect(secret).toMatch(/^[A-Z2-7]{32}$/);
    expect(generateTotpSecret()).not.toBe(secret);
  });

  it('builds the otpauth URI that authenticator apps read', () => {
    expect(otpauthUri('suoja.example', 'staff@suoja.example', 'JBSWY3DPEHPK3PXP')).toBe(
      'otpauth://totp/suoja.example:staff@suoja.example?algorithm=SHA1&digits=6&issuer=suoja.example&period=30&secret=JBSWY3DPEHPK3PXP',
    );
  });

  it('computes HOTP as RFC 4226 appendix D does', () => {
    const key = Buffer.from('12345678901234567890');
    expect([0, 1, 2, 9].map((counter) => hotp(key, counter))).toEqual(['755224', '287082', '359152', '520489']);
  });
});

describe('QR code', () => {
  it('draws the otpauth URI as an SVG that can travel unencoded in a data: URL', async () => {
    const uri = otpauthUri('Suoja', 'coordinator@suoja.example', generateTotpSecret());
    const svg = await qrSvg(uri);
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    expect(svg).toContain('<path');
    expect(svg).not.toContain('#');
    // The same secret always draws the same code, and another secret another one.
    expect(await qrSvg(uri)).toBe(svg);
    expect(await qrSvg(otpauthUri('Suoja', 'coordinator@suoja.example', generateTotpSecret()))).not.toBe(svg);
  });
});
