// TOTP against RFC 6238's published vectors, and the QR encoder read back module by module
// (format bits, Reed-Solomon syndromes, the byte-mode payload) without trusting the encoder's own
// helpers for the checks that matter.
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  alignmentPatternPositions,
  dataCodewordCapacity,
  dataModuleOrder,
  encodeQr,
  gfMultiply,
  maskApplies,
  qrSvg,
  rawDataModules,
  type ErrorCorrectionLevel,
} from './mfa-qr.ts';
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

/** Evaluates a codeword block (highest power first) at alpha^i; a valid Reed-Solomon block gives 0. */
function syndrome(block: number[], i: number): number {
  let alphaI = 1;
  for (let k = 0; k < i; k++) alphaI = gfMultiply(alphaI, 2);
  return block.reduce((acc, byte) => gfMultiply(acc, alphaI) ^ byte, 0);
}

// The standard's table of format information (level, mask 0) after masking with 101010000010010.
const FORMAT_MASK_0: Record<ErrorCorrectionLevel, number> = {
  L: 0b111011111000100,
  M: 0b101010000010010,
  Q: 0b011010101011111,
  H: 0b001011010001001,
};

/** Undoes the interleaving: short blocks first, each one codeword shorter in its data part. */
function deinterleave(codewords: number[], raw: number, blockCount: number, eccPerBlock: number): number[][] {
  const shortBlocks = blockCount - (raw % blockCount);
  const shortLength = Math.floor(raw / blockCount);
  const blocks: number[][] = Array.from({ length: blockCount }, () => []);
  let k = 0;
  for (let i = 0; i <= shortLength; i++) {
    for (let b = 0; b < blockCount; b++) {
      const isShort = b < shortBlocks;
      if (isShort && i === shortLength - eccPerBlock) continue;
      if (k < raw) blocks[b]!.push(codewords[k++]!);
    }
  }
  return blocks;
}

/** Reads the payload back out of a code: the inverse of every step the encoder takes. */
function readBack(text: string, level: ErrorCorrectionLevel) {
  const code = encodeQr(text, level);
  const { modules, size, version, mask } = code;
  // Function modules, rebuilt here from the standard's geometry.
  const isFunction = Array.from({ length: size }, () => new Array<boolean>(size).fill(false));
  const mark = (x: number, y: number) => {
    if (x >= 0 && y >= 0 && x < size && y < size) isFunction[y]![x] = true;
  };
  for (let i = 0; i < size; i++) {
    mark(6, i);
    mark(i, 6);
  }
  for (let y = 0; y < 9; y++) for (let x = 0; x < 9; x++) mark(x, y);
  for (let y = 0; y < 9; y++) for (let x = size - 8; x < size; x++) mark(x, y);
  for (let y = size - 8; y < size; y++) for (let x = 0; x < 9; x++) mark(x, y);
  const positions = alignmentPatternPositions(version);
  const last = positions.length - 1;
  positions.forEach((cx, i) => {
    positions.forEach((cy, j) => {
      if ((i === 0 && j === 0) || (i === 0 && j === last) || (i === last && j === 0)) return;
      for (let dy = -2; dy <= 2; dy++) for (let dx = -2; dx <= 2; dx++) mark(cx + dx, cy + dy);
    });
  });
  if (version >= 7) {
    for (let i = 0; i < 18; i++) {
      mark(size - 11 + (i % 3), Math.floor(i / 3));
      mark(Math.floor(i / 3), size - 11 + (i % 3));
    }
  }
  const order = dataModuleOrder(isFunction);
  expect(order.length).toBe(rawDataModules(version));

  const bits = order.map(([x, y]) => modules[y]![x] !== maskApplies(mask, x, y));
  const codewords: number[] = [];
  for (let i = 0; i + 8 <= bits.length; i += 8) codewords.push(bits.slice(i, i + 8).reduce((b, bit) => (b << 1) | (bit ? 1 : 0), 0));
  return { code, codewords };
}

describe('QR encoder', () => {
  const uri = 'otpauth://totp/Suoja:coordinator@suoja.example?algorithm=SHA1&digits=6&issuer=Suoja&period=30&secret=JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP';

  it('draws the three finder patterns and the timing patterns', () => {
    const { modules, size } = encodeQr(uri);
    const finderRow = [true, true, true, true, true, true, true];
    expect(modules[0]!.slice(0, 7)).toEqual(finderRow);
    expect(modules[0]!.slice(size - 7)).toEqual(finderRow);
    expect(modules[size - 1]!.slice(0, 7)).toEqual(finderRow);
    expect(modules[3]!.slice(0, 8)).toEqual([true, false, true, true, true, false, true, false]);
    for (let i = 8; i < size - 8; i++) {
      expect(modules[6]![i]).toBe(i % 2 === 0);
      expect(modules[i]![6]).toBe(i % 2 === 0);
    }
    expect(modules[size - 8]![8]).toBe(true);
  });

  it.each(['L', 'M', 'Q', 'H'] as const)('writes format bits that match the standard’s table (level %s)', (level) => {
    // Search for a text whose best mask is 0, then compare against the table.
    const found = Array.from({ length: 60 }, (_, i) => `suoja-${i}`)
      .map((text) => encodeQr(text, level))
      .find((code) => code.mask === 0);
    expect(found).toBeDefined();
    const { modules } = found!;
    let bits = 0;
    // Copy 1, bits 14..0 read along row 8 and column 8 around the top-left finder.
    const positions: Array<[number, number]> = [];
    for (let i = 0; i <= 5; i++) positions.push([8, i]);
    positions.push([8, 7], [8, 8], [7, 8]);
    for (let i = 9; i < 15; i++) positions.push([14 - i, 8]);
    positions.forEach(([x, y], i) => {
      if (modules[y]![x]) bits |= 1 << i;
    });
    expect(bits).toBe(FORMAT_MASK_0[level]);
  });

  it.each([
    ['HELLO', 'L'],
    ['Suoja 🏠 turvakoti – skyddshem', 'M'],
    [uri, 'M'],
    [uri, 'H'],
    ['x'.repeat(900), 'Q'],
  ] as const)('encodes %j at level %s so that every block passes its Reed-Solomon check and the bytes read back', (text, level) => {
    const { code, codewords } = readBack(text, level);
    const raw = Math.floor(rawDataModules(code.version) / 8);
    const eccTotal = raw - dataCodewordCapacity(code.version, level);
    // The block layout is not taken from the encoder: every split the standard allows (7 to 30
    // correction codewords per block) is tried, and only the right one passes the syndrome check.
    const layouts = Array.from({ length: 81 }, (_, i) => i + 1)
      .filter((count) => eccTotal % count === 0 && eccTotal / count >= 7 && eccTotal / count <= 30)
      .map((count) => ({ blocks: deinterleave(codewords, raw, count, eccTotal / count), eccPerBlock: eccTotal / count }))
      .filter(({ blocks, eccPerBlock }) => blocks.every((block) => Array.from({ length: eccPerBlock }, (_, i) => syndrome(block, i)).every((s) => s === 0)));
    expect(layouts).toHaveLength(1);
    const { blocks, eccPerBlock } = layouts[0]!;
    const data = blocks.flatMap((block) => block.slice(0, block.length - eccPerBlock));
    const bits = data.flatMap((byte) => Array.from({ length: 8 }, (_, i) => (byte >>> (7 - i)) & 1));
    const read = (from: number, length: number) => bits.slice(from, from + length).reduce((v, bit) => v * 2 + bit, 0);
    expect(read(0, 4)).toBe(0b0100);
    const lengthBits = code.version <= 9 ? 8 : 16;
    const count = read(4, lengthBits);
    const bytes = Array.from({ length: count }, (_, i) => read(4 + lengthBits + i * 8, 8));
    expect(new TextDecoder().decode(Uint8Array.from(bytes))).toBe(text);
  });

  it('picks the smallest version that fits', () => {
    expect(encodeQr('HELLO', 'M').version).toBe(1);
    expect(encodeQr('x'.repeat(14), 'M').version).toBe(1);
    expect(encodeQr('x'.repeat(15), 'M').version).toBe(2);
    expect(() => encodeQr('x'.repeat(3000), 'M')).toThrow(/too long/);
  });

  it('renders an SVG without `#` (it travels in a data: URL) that stays the same for the same input', () => {
    const svg = qrSvg(uri);
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    expect(svg).not.toContain('#');
    // This exact image was decoded back to the URI with zbarimg (zbar-tools) when it was written.
    expect(createHash('sha256').update(svg).digest('hex')).toBe('d4d421fb5745a7058341639dd513079c39ac5ce67ebcf9a8928c684c73e90701');
  });
});
