'use strict';
// Fetches the nsfwjs npm package (MIT) with `npm pack` into ./work (gitignored) and unpacks it.
// The tarball's SHA-1 is checked against the one recorded when the shipped weights were made.
const { execFileSync } = require('child_process');
const crypto = require('crypto');
const fs = require('fs');
const path = require('path');
const { PACKAGE_SPEC, TARBALL_NAME, TARBALL_SHA1, WORK_DIR } = require('./lib/paths');

fs.mkdirSync(WORK_DIR, { recursive: true });
const tarball = path.join(WORK_DIR, TARBALL_NAME);
if (!fs.existsSync(tarball)) {
  execFileSync('npm', ['pack', PACKAGE_SPEC, '--pack-destination', WORK_DIR], { stdio: 'inherit' });
}
const sha1 = crypto.createHash('sha1').update(fs.readFileSync(tarball)).digest('hex');
if (sha1 !== TARBALL_SHA1) {
  throw new Error(`${tarball}: SHA-1 ${sha1} differs from the recorded ${TARBALL_SHA1}`);
}
execFileSync('tar', ['xzf', tarball, '-C', WORK_DIR]);
console.log(`unpacked ${PACKAGE_SPEC} (sha1 ${sha1}) into ${path.join(WORK_DIR, 'package')}`);
