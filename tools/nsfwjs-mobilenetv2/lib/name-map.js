'use strict';
// Keras MobileNetV2 layer names (stem through block_10) -> torchvision MobileNetV2 state_dict names.
// torchvision: features.0 = Conv2dNormActivation(3, 32, stride 2) -> .0 conv, .1 BN;
// features.1 = InvertedResidual(t=1): conv.0 = [dw conv, BN], conv.1 = project conv, conv.2 = BN;
// features.k, k >= 2 = InvertedResidual(t=6) = Keras block_{k-1}: conv.0 = [expand conv, BN],
// conv.1 = [dw conv, BN], conv.2 = project conv, conv.3 = BN.

const LAST_KERAS_BLOCK = 10;

const BN_FIELDS = [
  ['weight', 'gamma'],
  ['bias', 'beta'],
  ['running_mean', 'moving_mean'],
  ['running_var', 'moving_variance'],
];

// kind: 'conv' (Keras HWIO kernel) or 'depthwise' (Keras HWC1 kernel) or 'bn'.
function entriesFor(torchPrefix, kerasLayer, kind) {
  if (kind === 'conv') return [{ torch: `${torchPrefix}.weight`, keras: `${kerasLayer}/kernel`, kind }];
  if (kind === 'depthwise') return [{ torch: `${torchPrefix}.weight`, keras: `${kerasLayer}/depthwise_kernel`, kind }];
  return BN_FIELDS.map(([t, k]) => ({ torch: `${torchPrefix}.${t}`, keras: `${kerasLayer}/${k}`, kind }));
}

// Ordered list of { torch, keras, kind } for every tensor of the stem through block_10.
function mobileNetV2B10Mapping() {
  const m = [];
  m.push(...entriesFor('features.0.0', 'Conv1', 'conv'));
  m.push(...entriesFor('features.0.1', 'bn_Conv1', 'bn'));
  m.push(...entriesFor('features.1.conv.0.0', 'expanded_conv_depthwise', 'depthwise'));
  m.push(...entriesFor('features.1.conv.0.1', 'expanded_conv_depthwise_BN', 'bn'));
  m.push(...entriesFor('features.1.conv.1', 'expanded_conv_project', 'conv'));
  m.push(...entriesFor('features.1.conv.2', 'expanded_conv_project_BN', 'bn'));
  for (let b = 1; b <= LAST_KERAS_BLOCK; b++) {
    const f = `features.${b + 1}.conv`;
    m.push(...entriesFor(`${f}.0.0`, `block_${b}_expand`, 'conv'));
    m.push(...entriesFor(`${f}.0.1`, `block_${b}_expand_BN`, 'bn'));
    m.push(...entriesFor(`${f}.1.0`, `block_${b}_depthwise`, 'depthwise'));
    m.push(...entriesFor(`${f}.1.1`, `block_${b}_depthwise_BN`, 'bn'));
    m.push(...entriesFor(`${f}.2`, `block_${b}_project`, 'conv'));
    m.push(...entriesFor(`${f}.3`, `block_${b}_project_BN`, 'bn'));
  }
  return m;
}

// Keras Conv2D kernel [kh, kw, in, out] -> torch [out, in, kh, kw].
function hwioToOihw(shape, values) {
  const [kh, kw, ci, co] = shape;
  const out = new Float32Array(values.length);
  for (let y = 0; y < kh; y++) for (let x = 0; x < kw; x++) for (let i = 0; i < ci; i++) for (let o = 0; o < co; o++) {
    out[((o * ci + i) * kh + y) * kw + x] = values[((y * kw + x) * ci + i) * co + o];
  }
  return { shape: [co, ci, kh, kw], values: out };
}

// Keras DepthwiseConv2D kernel [kh, kw, C, 1] -> torch grouped conv weight [C, 1, kh, kw].
function hwc1ToC1hw(shape, values) {
  const [kh, kw, c, mult] = shape;
  if (mult !== 1) throw new Error(`depth multiplier ${mult} is not supported`);
  const out = new Float32Array(values.length);
  for (let y = 0; y < kh; y++) for (let x = 0; x < kw; x++) for (let ch = 0; ch < c; ch++) {
    out[(ch * kh + y) * kw + x] = values[(y * kw + x) * c + ch];
  }
  return { shape: [c, 1, kh, kw], values: out };
}

function toTorchLayout(kind, shape, values) {
  if (kind === 'conv') return hwioToOihw(shape, values);
  if (kind === 'depthwise') return hwc1ToC1hw(shape, values);
  if (shape.length !== 1) throw new Error(`batch-norm vector expected, got shape [${shape}]`);
  return { shape: shape.slice(), values };
}

module.exports = { mobileNetV2B10Mapping, toTorchLayout, LAST_KERAS_BLOCK };
