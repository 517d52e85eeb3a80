// Marker and cluster labels drawn on a canvas and handed to MapLibre as images, on demand
// (`styleimagemissing`). Text layers would need glyph files from a server; images need nothing,
// so the labels show with every external request blocked and with any tile style.
import type { AvailabilityStatus } from '$lib/domain/availability';
import { isAvailabilityStatus } from '$lib/domain/availability';
import { CLUSTER_IMAGE_PREFIX, CLUSTER_STYLE, MARKER_IMAGE_PREFIX, STATUS_STYLE } from './layers';

export interface DrawnImage {
  width: number;
  height: number;
  data: Uint8ClampedArray;
}

const PIXEL_RATIO = 2;
const FONT = '700 13px system-ui, "Segoe UI", Roboto, Arial, sans-serif';

function drawText(text: string, colour: string, outline: string | null): DrawnImage | null {
  const canvas = document.createElement('canvas');
  const context = canvas.getContext('2d');
  if (!context) return null;
  context.font = FONT;
  const width = Math.ceil(context.measureText(text).width) + 6;
  const height = 18;
  canvas.width = width * PIXEL_RATIO;
  canvas.height = height * PIXEL_RATIO;
  context.scale(PIXEL_RATIO, PIXEL_RATIO);
  context.font = FONT;
  context.textAlign = 'center';
  context.textBaseline = 'middle';
  if (outline) {
    context.lineWidth = 3;
    context.strokeStyle = outline;
    context.lineJoin = 'round';
    context.strokeText(text, width / 2, height / 2 + 0.5);
  }
  context.fillStyle = colour;
  context.fillText(text, width / 2, height / 2 + 0.5);
  const pixels = context.getImageData(0, 0, canvas.width, canvas.height);
  return { width: canvas.width, height: canvas.height, data: pixels.data };
}

/** The image for an id this module made (see layers.ts), or null for anything else. */
export function drawMarkerImage(id: string): DrawnImage | null {
  if (id.startsWith(CLUSTER_IMAGE_PREFIX)) {
    return drawText(id.slice(CLUSTER_IMAGE_PREFIX.length), CLUSTER_STYLE.text, null);
  }
  if (id.startsWith(MARKER_IMAGE_PREFIX)) {
    const rest = id.slice(MARKER_IMAGE_PREFIX.length);
    const separator = rest.indexOf(':');
    const status = rest.slice(0, separator);
    if (!isAvailabilityStatus(status)) return null;
    const style = STATUS_STYLE[status as AvailabilityStatus];
    return drawText(rest.slice(separator + 1), style.text, null);
  }
  return null;
}

export const MARKER_PIXEL_RATIO = PIXEL_RATIO;
