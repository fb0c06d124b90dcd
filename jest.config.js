/** Type-checking happens once in `npm run typecheck`; jest only transforms (swc), which keeps it fast. */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  transform: { '^.+\\.(t|j|mj)sx?$': ['@swc/jest', { jsc: { target: 'es2022' }, module: { type: 'commonjs' } }] },
  // jose ships ESM only: let swc turn it into CommonJS for jest.
  transformIgnorePatterns: ['/node_modules/(?!(jose)/)'],
  moduleFileExtensions: ['ts', 'js', 'mjs', 'json'],
  snapshotSerializers: [],
  setupFiles: ['<rootDir>/test/support/stack-trace-limit.ts'],
  // A directory per run for fixtures made once and shared by suites (test/support/once-per-run.ts).
  globalSetup: '<rootDir>/test/support/shared-dir.ts',
  globalTeardown: '<rootDir>/test/support/shared-dir-teardown.ts',
  // The longest suites first, also without jest's timing cache (fresh clones, CI): see the file.
  testSequencer: '<rootDir>/test/support/sequencer.js',
  testTimeout: 30000,
  // CDK synthesis and the Pulumi mocks leave a worker holding hundreds of MB; a worker above this after
  // a suite is replaced, which keeps the suite's peak memory bounded (issue 13: <= 1.5 GB on 2 cores).
  workerIdleMemoryLimit: '800MB',
  // Jest's default is one worker per core minus one: a single worker on CI's 2 cores. Most suites wait
  // on sockets, child processes and brokers rather than compute, so three workers keep both cores busy
  // (npm test measured 270 s of jest with one worker, 156 s with two, 127 s with three; BENCHMARKS.md).
  maxWorkers: 3,
};
