'use strict';
// Locations and fixed facts shared by the scripts of this tool.
const path = require('path');

const TOOL_DIR = path.resolve(__dirname, '..');
const REPO_ROOT = path.resolve(TOOL_DIR, '..', '..');
const WORK_DIR = path.join(TOOL_DIR, 'work');

module.exports = {
  PACKAGE_SPEC: 'nsfwjs@4.4.0',
  TARBALL_NAME: 'nsfwjs-4.4.0.tgz',
  TARBALL_SHA1: '706017d11e44de0803b73a568819f800a50ae470',
  WORK_DIR,
  MODEL_DIR: path.join(WORK_DIR, 'package', 'dist', 'models', 'mobilenet_v2'),
  MODELS_OUT_DIR: path.join(REPO_ROOT, 'models'),
  WEIGHTS_FILE: path.join(REPO_ROOT, 'models', 'mobilenet_v2_imagenet_b10.safetensors'),
  REFERENCE_FILE: path.join(REPO_ROOT, 'models', 'reference', 'mobilenet_v2_imagenet_b10_reference.safetensors'),
};
