'use strict';
// Deterministic synthetic RGB test images (uint8 values held as float32, NHWC), so the reference
// run needs no image files or decoders. Non-square images catch height/width mix-ups in a port.

function mulberry32(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const clamp = (v) => Math.max(0, Math.min(255, Math.round(v)));

// Each painter maps (x, y, w, h, rnd) to [r, g, b] in 0..255.
const PAINTERS = {
  gradient: (x, y, w, h) => [255 * x / (w - 1), 255 * y / (h - 1), 255 * (1 - (x + y) / (w + h - 2))],
  checker: (x, y) => ((Math.floor(x / 8) + Math.floor(y / 8)) % 2 === 0 ? [230, 40, 30] : [20, 60 + 2 * y, 220]),
  sunset: (x, y, w, h) => {
    const cx = 0.35 * w, cy = 0.4 * h, r = 0.22 * Math.min(w, h);
    const d = Math.hypot(x - cx, y - cy);
    if (d < r) return [255, 220 - 60 * d / r, 60];
    if (y > 0.65 * h) return [30, 90 + 40 * Math.sin(x / 3), 40];
    return [80 + 100 * y / h, 120 + 60 * y / h, 230 - 80 * y / h];
  },
  noise: (x, y, w, h, rnd) => [255 * rnd(), 255 * rnd(), 255 * rnd()],
  waves: (x, y, w, h) => [128 + 120 * Math.sin(x / 4 + y / 9), 128 + 120 * Math.cos(y / 3), 128 + 120 * Math.sin((x - y) / 7)],
  corner: (x, y, w, h, rnd) => {
    // An L-shaped bright mark in the top-left on dim noise: flips and transposes move it.
    const mark = (x < w / 4 && y < h / 2) || (y < h / 6 && x < w / 2);
    const n = 40 * rnd();
    return mark ? [250 - n, 245 - n, 120 + n] : [30 + n, 20 + n, 50 + n];
  },
};

// Returns { name, width, height, pixels: Float32Array NHWC (one image) }.
function paint(name, width, height, seed) {
  const rnd = mulberry32(seed);
  const painter = PAINTERS[name];
  const pixels = new Float32Array(width * height * 3);
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) {
    const rgb = painter(x, y, width, height, rnd);
    for (let c = 0; c < 3; c++) pixels[(y * width + x) * 3 + c] = clamp(rgb[c]);
  }
  return { name, width, height, pixels };
}

// Two batches: four 64x64 images and two 48 (high) x 80 (wide) images.
function referenceBatches() {
  return [
    { key: '64x64', height: 64, width: 64, images: ['gradient', 'checker', 'sunset', 'noise'].map((n, i) => paint(n, 64, 64, 1000 + i)) },
    { key: '48x80', height: 48, width: 80, images: ['waves', 'corner'].map((n, i) => paint(n, 80, 48, 2000 + i)) },
  ];
}

module.exports = { referenceBatches };
