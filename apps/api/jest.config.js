const preset = require('../../jest.preset.js');

module.exports = {
  ...preset,
  displayName: 'api',
  rootDir: __dirname,
  // Specs here start the app, spawn the built service or drive a browser; on a loaded two-core machine
  // that can take far longer than jest's 5 s default. This is a guard against hangs, not a measure.
  testTimeout: 60_000,
  testMatch: ['<rootDir>/src/**/*.spec.ts', '<rootDir>/test/**/*.spec.ts'],
};
