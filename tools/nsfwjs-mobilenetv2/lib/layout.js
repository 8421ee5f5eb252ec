'use strict';
// NHWC <-> NCHW for flat Float32Arrays.
function nhwcToNchw(values, n, h, w, c) {
  const out = new Float32Array(values.length);
  for (let b = 0; b < n; b++) for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) for (let ch = 0; ch < c; ch++) {
    out[((b * c + ch) * h + y) * w + x] = values[((b * h + y) * w + x) * c + ch];
  }
  return out;
}
module.exports = { nhwcToNchw };
