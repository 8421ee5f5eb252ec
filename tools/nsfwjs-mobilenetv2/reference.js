'use strict';
// Runs the original nsfwjs TF.js model (pure-JS cpu backend) up to block_10_project_BN on fixed synthetic
// images and writes inputs and outputs (NCHW) to models/reference/ as safetensors, for the C# port test.
const fs = require('fs');
const path = require('path');
const { tf, useCpuBackend, loadTruncatedModel } = require('./lib/tfjs-truncated');
const { referenceBatches } = require('./lib/reference-images');
const { nhwcToNchw } = require('./lib/layout');
const { writeSafetensors } = require('./lib/safetensors');
const { MODEL_DIR, REFERENCE_FILE, PACKAGE_SPEC } = require('./lib/paths');

const LAST_LAYER = 'block_10_project_BN';

async function main() {
  await useCpuBackend();
  const model = await loadTruncatedModel(MODEL_DIR, LAST_LAYER);
  const tensors = [];
  const names = {};
  for (const batch of referenceBatches()) {
    const n = batch.images.length;
    const nhwc = new Float32Array(n * batch.height * batch.width * 3);
    batch.images.forEach((img, i) => nhwc.set(img.pixels, i * img.pixels.length));
    const out = tf.tidy(() => {
      const x = tf.tensor4d(nhwc, [n, batch.height, batch.width, 3]).div(127.5).sub(1);
      return model.predict(x);
    });
    const [on, oh, ow, oc] = out.shape;
    const outValues = out.dataSync();
    out.dispose();
    tensors.push({ name: `pixels_${batch.key}`, shape: [n, 3, batch.height, batch.width], values: nhwcToNchw(nhwc, n, batch.height, batch.width, 3) });
    tensors.push({ name: `block_10_${batch.key}`, shape: [on, oc, oh, ow], values: nhwcToNchw(outValues, on, oh, ow, oc) });
    names[batch.key] = batch.images.map((im) => im.name).join(',');
    let maxAbs = 0;
    for (const v of outValues) maxAbs = Math.max(maxAbs, Math.abs(v));
    console.log(`${batch.key}: input [${n},3,${batch.height},${batch.width}] -> block_10 [${on},${oc},${oh},${ow}], max |out| ${maxAbs.toFixed(4)}`);
  }
  const metadata = {
    description: 'Reference activations of the nsfwjs TF.js MobileNetV2 at block_10_project_BN for models/mobilenet_v2_imagenet_b10.safetensors',
    source: `${PACKAGE_SPEC} dist/models/mobilenet_v2, run with @tensorflow/tfjs ${tf.version.tfjs} (backend ${tf.getBackend()})`,
    pixels: 'pixels_<size>: RGB values 0..255 as float32, NCHW, synthetic images painted by tools/nsfwjs-mobilenetv2/lib/reference-images.js',
    preprocessing: 'network input = pixels / 127.5 - 1 (float32)',
    outputs: 'block_10_<size>: output of Keras layer block_10_project_BN (torchvision features.11), NCHW',
    images: JSON.stringify(names),
    produced_by: 'tools/nsfwjs-mobilenetv2: node reference.js',
  };
  fs.mkdirSync(path.dirname(REFERENCE_FILE), { recursive: true });
  writeSafetensors(REFERENCE_FILE, tensors, metadata);
  console.log(`wrote ${REFERENCE_FILE} (${fs.statSync(REFERENCE_FILE).size} bytes)`);
}

main().catch((e) => { console.error(e); process.exit(1); });
