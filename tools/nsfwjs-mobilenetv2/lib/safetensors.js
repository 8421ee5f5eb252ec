'use strict';
// Minimal safetensors writer/reader (https://github.com/huggingface/safetensors format):
// 8-byte little-endian header length, a UTF-8 JSON header, then the raw little-endian tensor bytes.
const fs = require('fs');
const os = require('os');

if (os.endianness() !== 'LE') throw new Error('this tool writes raw float32 bytes and assumes a little-endian machine');

// tensors: array of { name, shape, values: Float32Array } written as F32 in the given order.
// metadata: string -> string map stored under __metadata__.
function writeSafetensors(file, tensors, metadata) {
  const header = {};
  if (metadata) {
    for (const [k, v] of Object.entries(metadata)) {
      if (typeof v !== 'string') throw new Error(`metadata ${k} must be a string`);
    }
    header.__metadata__ = metadata;
  }
  let offset = 0;
  for (const t of tensors) {
    const count = t.shape.reduce((a, b) => a * b, 1);
    if (!(t.values instanceof Float32Array) || t.values.length !== count) {
      throw new Error(`${t.name}: shape [${t.shape}] needs ${count} float32 values, got ${t.values.length}`);
    }
    if (t.name in header) throw new Error(`duplicate tensor name ${t.name}`);
    header[t.name] = { dtype: 'F32', shape: t.shape, data_offsets: [offset, offset + count * 4] };
    offset += count * 4;
  }
  let json = JSON.stringify(header);
  // Pad the header with spaces so the data starts 8-byte aligned.
  while ((8 + Buffer.byteLength(json, 'utf8')) % 8 !== 0) json += ' ';
  const headerBytes = Buffer.from(json, 'utf8');
  const prefix = Buffer.alloc(8);
  prefix.writeBigUInt64LE(BigInt(headerBytes.length));
  const parts = [prefix, headerBytes];
  for (const t of tensors) parts.push(Buffer.from(t.values.buffer, t.values.byteOffset, t.values.byteLength));
  const tmp = `${file}.tmp-${process.pid}`;
  fs.writeFileSync(tmp, Buffer.concat(parts));
  fs.renameSync(tmp, file);
}

// Returns { metadata, tensors: Map name -> { shape, values: Float32Array } } (F32 only).
function readSafetensors(file) {
  const buf = fs.readFileSync(file);
  const n = Number(buf.readBigUInt64LE(0));
  const header = JSON.parse(buf.subarray(8, 8 + n).toString('utf8'));
  const dataStart = 8 + n;
  const tensors = new Map();
  let metadata = {};
  for (const [name, info] of Object.entries(header)) {
    if (name === '__metadata__') { metadata = info; continue; }
    if (info.dtype !== 'F32') throw new Error(`${name}: only F32 is read here, found ${info.dtype}`);
    const [b, e] = info.data_offsets;
    const count = info.shape.reduce((a, c) => a * c, 1);
    if (e - b !== count * 4) throw new Error(`${name}: offsets ${b}..${e} do not fit shape [${info.shape}]`);
    const copy = new Uint8Array(buf.subarray(dataStart + b, dataStart + e));
    tensors.set(name, { shape: info.shape, values: new Float32Array(copy.buffer) });
  }
  return { metadata, tensors };
}

module.exports = { writeSafetensors, readSafetensors };
