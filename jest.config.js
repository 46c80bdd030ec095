// Two projects: node-side suites (core, emulator conformance, functions) and component
// suites that render mini-program pages with miniprogram-simulate in jsdom.
const swc = [
  '@swc/jest',
  {
    jsc: { parser: { syntax: 'typescript' }, target: 'es2022' },
    module: { type: 'commonjs' },
  },
]
const moduleNameMapper = { '^wal-core$': '<rootDir>/core/index.ts' }

module.exports = {
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
      transform: { '^.+\\.(t|j)s$': swc },
      transformIgnorePatterns: ['/node_modules/(?!tdesign-miniprogram)'],
      moduleNameMapper,
    },
  ],
}
