// Draws the toolbar icons (a yellow canary head) as PNG files, so that no binary comes
// from elsewhere. Run `npm run icons` after changing the drawing; the output is committed.
import { writeFileSync } from 'node:fs';
import { deflateSync } from 'node:zlib';

const SIZES = [16, 32, 48, 128];
const SUPERSAMPLING = 4;

/** @typedef {[number, number, number]} Rgb */
/** @typedef {{ color: Rgb, contains: (x: number, y: number) => boolean }} Shape */

/**
 * @param {number} cx @param {number} cy @param {number} r @param {Rgb} color
 * @returns {Shape}
 */
const circle = (cx, cy, r, color) => ({ color, contains: (x, y) => (x - cx) ** 2 + (y - cy) ** 2 <= r * r });

/**
 * A beak pointing right: tip at (tipX, cy), base from (baseX, cy - half) to (baseX, cy + half).
 * @param {number} baseX @param {number} tipX @param {number} cy @param {number} half @param {Rgb} color
 * @returns {Shape}
 */
const beak = (baseX, tipX, cy, half, color) => ({
  color,
  contains: (x, y) => x >= baseX && x <= tipX && Math.abs(y - cy) <= half * (tipX - x) / (tipX - baseX),
});

/** Painted in order, later shapes on top; coordinates are fractions of the icon size. */
const SHAPES = [
  circle(0.30, 0.22, 0.12, [250, 204, 21]),
  circle(0.44, 0.56, 0.40, [250, 204, 21]),
  beak(0.76, 0.99, 0.50, 0.12, [234, 88, 12]),
  circle(0.58, 0.44, 0.075, [31, 41, 55]),
];

/** @param {number} size */
function drawRgba(size) {
  const pixels = Buffer.alloc(size * size * 4);
  const samples = SUPERSAMPLING * SUPERSAMPLING;
  for (let py = 0; py < size; py++) {
    for (let px = 0; px < size; px++) {
      let r = 0, g = 0, b = 0, covered = 0;
      for (let sy = 0; sy < SUPERSAMPLING; sy++) {
        for (let sx = 0; sx < SUPERSAMPLING; sx++) {
          const x = (px + (sx + 0.5) / SUPERSAMPLING) / size;
          const y = (py + (sy + 0.5) / SUPERSAMPLING) / size;
          const top = SHAPES.findLast((shape) => shape.contains(x, y));
          if (top === undefined) continue;
          r += top.color[0]; g += top.color[1]; b += top.color[2]; covered++;
        }
      }
      const offset = (py * size + px) * 4;
      if (covered > 0) {
        pixels[offset] = Math.round(r / covered);
        pixels[offset + 1] = Math.round(g / covered);
        pixels[offset + 2] = Math.round(b / covered);
        pixels[offset + 3] = Math.round((255 * covered) / samples);
      }
    }
  }
  return pixels;
}

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

/** @param {Buffer} bytes */
function crc32(bytes) {
  let c = 0xffffffff;
  for (const byte of bytes) c = CRC_TABLE[(c ^ byte) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

/** @param {string} type @param {Buffer} data */
function chunk(type, data) {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}

/** @param {number} size @param {Buffer} rgba */
function encodePng(size, rgba) {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(size, 0);
  header.writeUInt32BE(size, 4);
  header[8] = 8; // bits per channel
  header[9] = 6; // RGBA
  const rows = [];
  for (let y = 0; y < size; y++) {
    rows.push(Buffer.from([0]), rgba.subarray(y * size * 4, (y + 1) * size * 4)); // filter: none
  }
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(Buffer.concat(rows), { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

for (const size of SIZES) {
  const file = new URL(`../extension/icons/icon-${size}.png`, import.meta.url);
  writeFileSync(file, encodePng(size, drawRgba(size)));
  console.log(`wrote ${file.pathname}`);
}
