// Shared jest settings for every project. TypeScript is transpiled without type
// checking here; `npm run typecheck` checks types once for the whole workspace.
const path = require('node:path');

const root = __dirname;

module.exports = {
  testEnvironment: 'node',
  transform: {
    '^.+\\.ts$': [
      'ts-jest',
      {
        tsconfig: path.join(root, 'tsconfig.jest.json'),
      },
    ],
  },
  moduleFileExtensions: ['ts', 'js', 'json'],
  moduleNameMapper: {
    '^@member-phone/core$': path.join(root, 'libs/core/src/index.ts'),
    '^@member-phone/testing$': path.join(root, 'libs/testing/src/index.ts'),
  },
  setupFilesAfterEnv: [path.join(root, 'tools/jest/release-http-interceptors.js')],
  clearMocks: true,
  restoreMocks: true,
};
