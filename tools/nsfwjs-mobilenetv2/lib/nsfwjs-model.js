'use strict';
// Reads the TF.js "layers" model that nsfwjs bundles as browserify UMD scripts:
// model.min.js (topology + weights manifest as a JS object literal) and group1-shard*.min.js
// (each wraps one base64 string literal with the uint8-quantised weight bytes).
const fs = require('fs');
const path = require('path');
const vm = require('vm');

// Evaluates one UMD bundle with nothing in scope but a stub CommonJS module, and returns what it exports.
// The bundles only build a literal; a fresh context without require/process keeps them from reaching anything else.
function evaluateUmdBundle(file) {
  const source = fs.readFileSync(file, 'utf8');
  const module = { exports: {} };
  const context = vm.createContext({ module, exports: module.exports });
  vm.runInContext(source, context, { filename: file, timeout: 10000 });
  return module.exports;
}

function shardFiles(modelDir, paths) {
  return paths.map((p) => path.join(modelDir, `${p}.min.js`));
}

// Dequantises one manifest entry exactly as tfjs-core's io.decodeWeights does:
// value = q * scale + min, computed in double and stored as float32.
function dequantise(spec, bytes) {
  const q = spec.quantization;
  if (!q) {
    if (spec.dtype !== 'float32') throw new Error(`${spec.name}: unsupported dtype ${spec.dtype}`);
    return new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
  }
  if (spec.dtype !== 'float32' || q.dtype !== 'uint8') {
    throw new Error(`${spec.name}: expected float32 weights quantised to uint8, found ${spec.dtype}/${q.dtype}`);
  }
  if (typeof q.min !== 'number' || typeof q.scale !== 'number') {
    throw new Error(`${spec.name}: uint8 quantisation without numeric min and scale`);
  }
  const values = new Float32Array(bytes.length);
  for (let i = 0; i < bytes.length; i++) values[i] = bytes[i] * q.scale + q.min;
  return values;
}

function bytesPerValue(spec) {
  if (spec.quantization) {
    if (spec.quantization.dtype === 'uint8') return 1;
    throw new Error(`${spec.name}: unsupported quantisation ${spec.quantization.dtype}`);
  }
  if (spec.dtype === 'float32') return 4;
  throw new Error(`${spec.name}: unsupported dtype ${spec.dtype}`);
}

// Returns { topology, manifest, weights } where weights maps each Keras weight name
// ("block_3_expand/kernel") to { shape, values: Float32Array, quantization }.
function loadNsfwjsModel(modelDir) {
  const model = evaluateUmdBundle(path.join(modelDir, 'model.min.js'));
  if (!model || !model.modelTopology || !Array.isArray(model.weightsManifest)) {
    throw new Error(`${modelDir}/model.min.js did not export { modelTopology, weightsManifest }`);
  }
  const weights = new Map();
  for (const group of model.weightsManifest) {
    const parts = shardFiles(modelDir, group.paths).map((f) => {
      const b64 = evaluateUmdBundle(f);
      if (typeof b64 !== 'string') throw new Error(`${f} did not export a base64 string`);
      return Buffer.from(b64, 'base64');
    });
    const data = Buffer.concat(parts);
    let offset = 0;
    for (const spec of group.weights) {
      const count = spec.shape.reduce((a, b) => a * b, 1);
      const length = count * bytesPerValue(spec);
      if (offset + length > data.length) throw new Error(`${spec.name}: runs past the end of the shards`);
      const bytes = new Uint8Array(data.buffer, data.byteOffset + offset, length);
      weights.set(spec.name, { shape: spec.shape.slice(), values: dequantise(spec, bytes), quantization: spec.quantization });
      offset += length;
    }
    if (offset !== data.length) {
      throw new Error(`weights group ${group.paths.join(',')}: manifest covers ${offset} bytes, shards hold ${data.length}`);
    }
  }
  return { topology: model.modelTopology, manifest: model.weightsManifest, weights };
}

module.exports = { loadNsfwjsModel, evaluateUmdBundle };
