/* global afterAll */
// nock patches Node's shared http and fetch globals when it is loaded. Jest gives every test file
// its own module registry but the same globals, so a file that used nock must take its patches
// off when it ends, or the next file runs over the previous file's (already torn down) interceptor.
afterAll(() => {
  const loaded = Object.keys(require.cache).some((path) => /[\\/]node_modules[\\/]nock[\\/]/.test(path));
  if (!loaded) return;
  const nock = require('nock');
  nock.cleanAll();
  nock.restore();
});
