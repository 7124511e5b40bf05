/** Type checking runs once in `npm test` (tsc --noEmit); jest only transpiles, which keeps the suite fast. */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  transform: {
    '^.+\\.ts$': ['ts-jest', { diagnostics: false }],
    // `jose` ships ES modules only. Node ≥ 20.19 require()s them natively (what the CLI does; a test runs
    // verify in a child process to prove it), but jest's module system does so only on Node ≥ 24.9: here
    // ts-jest compiles jose's JavaScript to CommonJS, for tests only.
    '/node_modules/jose/.+\\.js$': ['ts-jest', { diagnostics: false, tsconfig: { allowJs: true, module: 'commonjs' } }],
  },
  transformIgnorePatterns: ['/node_modules/(?!jose/)'],
  testTimeout: 60000,
  // The package's entry points by name (tsconfig.json "paths"), as the benchmark's "ours" imports them.
  moduleNameMapper: {
    '^okta-dynatrace-scim$': '<rootDir>/constructs/index.ts',
    '^okta-dynatrace-scim/(cdktf|pulumi)$': '<rootDir>/constructs/$1/index.ts',
  },
};
