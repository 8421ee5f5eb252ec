'use strict';
// Converts the nsfwjs MobileNetV2's stem..block_10 (the frozen, ImageNet-initialised Keras layers) into
// models/mobilenet_v2_imagenet_b10.safetensors with torchvision MobileNetV2 names and torch layouts.
// Run fetch-nsfwjs.js first.
const fs = require('fs');
const path = require('path');
const { loadNsfwjsModel } = require('./lib/nsfwjs-model');
const { mobileNetV2B10Mapping, toTorchLayout } = require('./lib/name-map');
const { writeSafetensors } = require('./lib/safetensors');
const { MODEL_DIR, WEIGHTS_FILE, PACKAGE_SPEC, TARBALL_SHA1 } = require('./lib/paths');

const { topology, weights } = loadNsfwjsModel(MODEL_DIR);
const layers = topology.model_config.config.layers;
const layerByName = new Map(layers.map((l) => [l.name, l]));

const mapping = mobileNetV2B10Mapping();
const tensors = [];
const kerasNames = {};
for (const { torch, keras, kind } of mapping) {
  const layerName = keras.split('/')[0];
  const layer = layerByName.get(layerName);
  if (!layer) throw new Error(`layer ${layerName} is not in the nsfwjs topology`);
  // Only frozen layers carry Keras' ImageNet weights; nsfwjs fine-tuned the layers above block_10.
  if (layer.config.trainable !== false) throw new Error(`layer ${layerName} was trainable in nsfwjs; refusing to ship it`);
  if (kind === 'bn' && layer.config.epsilon !== 0.001) throw new Error(`${layerName}: epsilon ${layer.config.epsilon}, expected 0.001`);
  const w = weights.get(keras);
  if (!w) throw new Error(`weight ${keras} is not in the manifest`);
  const t = toTorchLayout(kind, w.shape, w.values);
  tensors.push({ name: torch, shape: t.shape, values: t.values });
  kerasNames[torch] = keras;
}

// Everything in the manifest that belongs to stem..block_10 must have been taken.
const taken = new Set(Object.values(kerasNames));
const inRange = /^(Conv1|bn_Conv1|expanded_conv_|block_([1-9]|10)_)/;
const missed = [...weights.keys()].filter((k) => inRange.test(k) && !taken.has(k));
if (missed.length) throw new Error(`manifest weights of stem..block_10 not converted: ${missed.join(', ')}`);

const metadata = {
  format: 'pt',
  architecture: 'torchvision MobileNetV2 (width 1.0), features.0 .. features.11 (Keras stem .. block_10)',
  source: `npm package ${PACKAGE_SPEC} (MIT, tarball sha1 ${TARBALL_SHA1}), dist/models/mobilenet_v2 (TF.js layers model, uint8-quantised)`,
  origin: 'Keras Applications MobileNetV2 alpha 1.0 ImageNet weights (frozen in nsfwjs training), Keras ' + topology.keras_version,
  license: 'MIT (nsfwjs); see models/mobilenet_v2_imagenet_b10.md for the licence chain of the original weights',
  dequantisation: 'value = q * scale + min per tensor, float32 (as tfjs-core io.decodeWeights)',
  layout: 'conv OIHW, depthwise [C,1,kh,kw] (transposed from Keras HWIO / HWC1)',
  keras_compat: 'zero padding (top 0, bottom 1, left 0, right 1) before each stride-2 3x3 conv with no further padding; BatchNorm epsilon 1e-3; ReLU6',
  preprocessing: 'RGB, x / 127.5 - 1',
  output: 'features.11 output (Keras block_10_project_BN): [N, 96, H/16, W/16]',
  keras_names: JSON.stringify(kerasNames),
  produced_by: 'tools/nsfwjs-mobilenetv2: node fetch-nsfwjs.js && node convert.js',
};

fs.mkdirSync(path.dirname(WEIGHTS_FILE), { recursive: true });
writeSafetensors(WEIGHTS_FILE, tensors, metadata);
const params = tensors.reduce((a, t) => a + t.values.length, 0);
console.log(`wrote ${WEIGHTS_FILE}: ${tensors.length} tensors, ${params} values, ${fs.statSync(WEIGHTS_FILE).size} bytes`);
