// One jest run over every project, so `npm test` shares workers across them.
module.exports = {
  projects: ['<rootDir>/libs/core', '<rootDir>/libs/testing', '<rootDir>/apps/api'],
  // A global option: jest reads it here, not from the projects. Specs start the app, spawn the built
  // service or drive a browser, which on a loaded two-core machine can take far longer than jest's
  // 5 s default. This guards against hangs; it measures nothing.
  testTimeout: 60_000,
};
