// Three projects: node-side suites (core, emulator conformance, functions), component suites
// that render mini-program pages with miniprogram-simulate in jsdom, and end-to-end journeys in
// real Chromium against the browser preview and the local cloud (test/e2e, docs/preview.md).
const swc = [
  '@swc/jest',
  {
    jsc: { parser: { syntax: 'typescript' }, target: 'es2022' },
    module: { type: 'commonjs' },
  },
]
const swcJs = [
  '@swc/jest',
  { jsc: { parser: { syntax: 'ecmascript' }, target: 'es2022' }, module: { type: 'commonjs' } },
]
const moduleNameMapper = { '^wal-core$': '<rootDir>/core/index.ts' }

module.exports = {
  // Integration suites seed a whole demo campaign in beforeAll (~1.5 s alone) and storms send a
  // thousand requests; on 2 busy cores that can pass jest's 5 s default. Speed goals live in the
  // benchmarks, not in test timeouts.
  testTimeout: 30_000,
  // Two workers on the 2-core machines: jest's default (cores − 1) ran every file in one process,
  // leaving a core idle while suites wait on I/O, Chromium or child processes. Measured on the
  // whole suite: 353 s with one worker, 221 s with two (2026-12-05).
  maxWorkers: 2,
  reporters: ['default', '<rootDir>/test/summary-reporter.js'],
  projects: [
    {
      displayName: 'node',
      testEnvironment: 'node',
      roots: ['<rootDir>/test'],
      testMatch: ['<rootDir>/test/{unit,conformance,integration}/**/*.test.ts'],
      transform: { '^.+\\.(t|j)s$': swc },
      moduleNameMapper,
    },
    {
      displayName: 'component',
      testEnvironment: 'jsdom',
      roots: ['<rootDir>/test'],
      testMatch: ['<rootDir>/test/component/**/*.test.ts'],
      // miniprogram-simulate runs component JS through jest's own require, so this transform
      // also turns TDesign's ES-module dist (copied into miniprogram/miniprogram_npm/, outside
      // node_modules) into CommonJS. Plain .js is parsed as JavaScript, not TypeScript.
      transform: { '^.+\\.ts$': swc, '^.+\\.js$': swcJs },
      // Bare imports inside miniprogram_npm/ (TDesign's `tslib`, wal-core's `zod`) resolve from
      // the nearest miniprogram_npm/, as in the mini-program runtime. It comes first because
      // jest tries each name up the whole tree before the next; code outside miniprogram/ has
      // no miniprogram_npm/ above it and falls through to node_modules.
      moduleDirectories: ['miniprogram_npm', 'node_modules'],
      moduleNameMapper,
      globalSetup: '<rootDir>/test/component/support/global-setup.ts',
      setupFiles: ['<rootDir>/test/component/support/setup.ts'],
    },
    {
      displayName: 'e2e',
      testEnvironment: 'node',
      roots: ['<rootDir>/test'],
      testMatch: ['<rootDir>/test/e2e/**/*.test.ts'],
      transform: { '^.+\\.(t|j)s$': swc },
      // The function bundles the worlds load (.data/e2e-bundles, ~11 MB of esbuild's CommonJS for
      // Node) need no transform: hashing and caching them cost seconds per run.
      transformIgnorePatterns: ['/node_modules/', '<rootDir>/\\.data/'],
      moduleNameMapper,
      globalSetup: '<rootDir>/test/e2e/support/global-setup.ts',
    },
  ],
}
