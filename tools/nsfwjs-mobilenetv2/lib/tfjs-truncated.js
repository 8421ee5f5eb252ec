'use strict';
// Builds the original nsfwjs TF.js layers model cut at a named layer (block_10_project_BN), with any
// input size, and loads its uint8-quantised weights through tfjs's own decoder (tf.io.fromMemory).
const fs = require('fs');
const path = require('path');
const tf = require('@tensorflow/tfjs');
const { evaluateUmdBundle } = require('./nsfwjs-model');

async function useCpuBackend() {
  await tf.setBackend('cpu');
  await tf.ready();
  if (tf.getBackend() !== 'cpu') throw new Error(`expected the pure-JS cpu backend, got ${tf.getBackend()}`);
}

async function loadTruncatedModel(modelDir, lastLayer) {
  const model = evaluateUmdBundle(path.join(modelDir, 'model.min.js'));
  const topology = JSON.parse(JSON.stringify(model.modelTopology));
  const config = topology.model_config.config;
  const cut = config.layers.findIndex((l) => l.name === lastLayer);
  if (cut < 0) throw new Error(`layer ${lastLayer} not found`);
  config.layers = config.layers.slice(0, cut + 1);
  config.layers[0].config.batch_input_shape = [null, null, null, 3];
  config.output_layers = [[lastLayer, 0, 0]];
  delete topology.training_config;

  // Keep the manifest entries (and their bytes) of the layers that remain.
  const kept = new Set(config.layers.map((l) => l.name));
  const specs = [];
  const chunks = [];
  for (const group of model.weightsManifest) {
    const data = Buffer.concat(group.paths.map((p) => Buffer.from(evaluateUmdBundle(path.join(modelDir, `${p}.min.js`)), 'base64')));
    let offset = 0;
    for (const spec of group.weights) {
      const count = spec.shape.reduce((a, b) => a * b, 1);
      const length = count * (spec.quantization ? 1 : 4);
      if (kept.has(spec.name.split('/')[0])) {
        specs.push(spec);
        chunks.push(data.subarray(offset, offset + length));
      }
      offset += length;
    }
  }
  const weightData = new Uint8Array(Buffer.concat(chunks)).buffer;
  return tf.loadLayersModel(tf.io.fromMemory({ modelTopology: topology, weightSpecs: specs, weightData }));
}

module.exports = { tf, useCpuBackend, loadTruncatedModel };
