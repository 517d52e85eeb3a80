// The otpauth:// URI as an SVG QR code, for `totp.qr_code` in the enrol response. The `qrcode`
// package (a well-kept, widely used encoder) draws it; this module only fixes the options.
import QRCode from 'qrcode';

/**
 * SVG text of a QR code for `text`, error correction level H as GoTrue uses. Colours are named
 * rather than `#rrggbb`, because clients put the SVG into a `data:` URL unencoded, where `#`
 * would end the URL.
 */
export async function qrSvg(text: string): Promise<string> {
  const svg = await QRCode.toString(text, { type: 'svg', errorCorrectionLevel: 'H', margin: 4 });
  return svg.replaceAll('#ffffff', 'white').replaceAll('#000000', 'black').trim();
}
