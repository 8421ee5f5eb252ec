'use strict';
// Checks the converted file independently of the Keras topology: rebuilds torchvision's MobileNetV2
// features.0..11 from models/mobilenet_v2_imagenet_b10.safetensors (torch names and layouts), runs it
// with plain tfjs ops in Keras-compatible mode (bottom/right zero padding before stride-2 3x3 convs,
// BN eps 1e-3) and compares with the reference activations the original TF.js model produced.
// Also runs the symmetric-padding (plain torchvision) variant to show the comparison can tell them apart.
const { tf, useCpuBackend } = require('./lib/tfjs-truncated');
const { readSafetensors } = require('./lib/safetensors');
const { WEIGHTS_FILE, REFERENCE_FILE } = require('./lib/paths');

// torchvision inverted_residual_setting (t, c, n, s) up to the first 96-channel block (features.11).
const SETTING = [[1, 16, 1, 1], [6, 24, 2, 2], [6, 32, 3, 2], [6, 64, 4, 2], [6, 96, 1, 1]];

function makeForward(weights, kerasPadding) {
  const used = new Set();
  const get = (name) => {
    const t = weights.get(name);
    if (!t) throw new Error(`missing ${name}`);
    used.add(name);
    return tf.tensor(t.values, t.shape);
  };
  const convWeight = (name) => get(name).transpose([2, 3, 1, 0]); // OIHW -> HWIO
  const dwWeight = (name) => get(name).transpose([2, 3, 0, 1]); // [C,1,kh,kw] -> [kh,kw,C,1]
  const bn = (x, p) => tf.batchNorm(x, get(`${p}.running_mean`), get(`${p}.running_var`), get(`${p}.bias`), get(`${p}.weight`), 1e-3);
  const relu6 = (x) => tf.clipByValue(x, 0, 6);
  const pad3x3 = (x, stride) => {
    if (stride === 1) return [x, 'same'];
    return kerasPadding ? [tf.pad(x, [[0, 0], [0, 1], [0, 1], [0, 0]]), 'valid'] : [tf.pad(x, [[0, 0], [1, 1], [1, 1], [0, 0]]), 'valid'];
  };
  const forward = (x) => {
    let [p, mode] = pad3x3(x, 2);
    x = relu6(bn(tf.conv2d(p, convWeight('features.0.0.weight'), 2, mode), 'features.0.1'));
    let inp = 32;
    let idx = 1;
    for (const [t, c, n, s] of SETTING) {
      for (let i = 0; i < n; i++, idx++) {
        const stride = i === 0 ? s : 1;
        const pre = `features.${idx}.conv`;
        let h = x;
        let k = 0;
        if (t !== 1) {
          h = relu6(bn(tf.conv2d(h, convWeight(`${pre}.0.0.weight`), 1, 'same'), `${pre}.0.1`));
          k = 1;
        }
        [p, mode] = pad3x3(h, stride);
        h = relu6(bn(tf.depthwiseConv2d(p, dwWeight(`${pre}.${k}.0.weight`), stride, mode), `${pre}.${k}.1`));
        h = bn(tf.conv2d(h, convWeight(`${pre}.${k + 1}.weight`), 1, 'same'), `${pre}.${k + 2}`);
        x = stride === 1 && inp === c ? x.add(h) : h;
        inp = c;
      }
    }
    return x;
  };
  return { forward, used };
}

function compare(actual, expected) {
  let maxDiff = 0, maxRef = 0;
  for (let i = 0; i < expected.length; i++) {
    maxDiff = Math.max(maxDiff, Math.abs(actual[i] - expected[i]));
    maxRef = Math.max(maxRef, Math.abs(expected[i]));
  }
  return { maxDiff, maxRef, rel: maxDiff / maxRef };
}

async function main() {
  await useCpuBackend();
  const { tensors: weights } = readSafetensors(WEIGHTS_FILE);
  const { tensors: ref } = readSafetensors(REFERENCE_FILE);
  let ok = true;
  for (const keras of [true, false]) {
    const { forward, used } = makeForward(weights, keras);
    for (const key of ['64x64', '48x80']) {
      const pixels = ref.get(`pixels_${key}`);
      const expected = ref.get(`block_10_${key}`);
      const out = tf.tidy(() => forward(tf.tensor(pixels.values, pixels.shape).transpose([0, 2, 3, 1]).div(127.5).sub(1)).transpose([0, 3, 1, 2]));
      const same = JSON.stringify(out.shape) === JSON.stringify(expected.shape);
      const r = compare(out.dataSync(), expected.values);
      out.dispose();
      console.log(`${keras ? 'keras padding    ' : 'symmetric padding'} ${key}: shape [${out.shape}] ${same ? 'matches' : 'DIFFERS'}, max abs diff ${r.maxDiff.toExponential(3)}, max |ref| ${r.maxRef.toFixed(3)}, relative ${r.rel.toExponential(3)}`);
      if (keras && (!same || r.rel > 1e-4)) ok = false;
      if (!keras && r.rel < 1e-2) ok = false; // the check must be able to tell the paddings apart
    }
    if (keras && used.size !== weights.size) {
      console.log(`unused tensors in the file: ${[...weights.keys()].filter((k) => !used.has(k)).join(', ')}`);
      ok = false;
    }
  }
  if (!ok) { console.error('VERIFY FAILED'); process.exit(1); }
  console.log(`verified: all ${weights.size} tensors used; Keras-padded torch-layout forward matches TF.js`);
}

main().catch((e) => { console.error(e); process.exit(1); });
