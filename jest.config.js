// One jest run over every project, so `npm test` shares workers across them.
module.exports = {
  projects: ['<rootDir>/libs/core', '<rootDir>/libs/testing', '<rootDir>/apps/api'],
};
