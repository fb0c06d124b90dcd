/**
 * The deploy verification (`npm run test:deploy`): `cdk bootstrap` + `cdk deploy` of the examples onto
 * a private moto server, then AWS SDK assertions on what was created. Kept out of `npm test` (whose
 * config matches `*.test.ts` only) because it takes minutes, not seconds.
 */
const base = require('./jest.config');

module.exports = {
  ...base,
  roots: ['<rootDir>/test/deploy'],
  testMatch: ['**/*.deploy.ts'],
  // One emulator and one CDK CLI at a time: the machine has two cores.
  maxWorkers: 1,
  // Synthesis and deployment of a whole fleet stack run in beforeAll.
  testTimeout: 600000,
};
