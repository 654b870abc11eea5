const fs = require('fs');
const path = require('path');

// Unit specs live beside the code (*.spec.ts); integration and browser specs in test/ use the
// real toolchain, Docker Engine with runsc, SQLite and Chromium (see README).
module.exports = {
  testEnvironment: 'node',
  // legacy-nacl/ goes away on release day (`git rm -r legacy-nacl/`): only look where it is.
  roots: ['src', 'legacy-nacl', 'test'].filter((d) => fs.existsSync(path.join(__dirname, d))).map((d) => `<rootDir>/${d}`),
  testRegex: '.*\\.(spec|e2e-spec)\\.ts$',
  transform: { '^.+\\.ts$': ['ts-jest', { isolatedModules: true }] },
  moduleFileExtensions: ['ts', 'js', 'json'],
  testTimeout: 120000,
  reporters: ['default', '<rootDir>/test/support/summary-reporter.js'],
};
