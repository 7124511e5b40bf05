/** Type checking runs once in `npm test` (tsc --noEmit); jest only transpiles, which keeps the suite fast. */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  transform: { '^.+\\.ts$': ['ts-jest', { diagnostics: false }] },
  testTimeout: 60000,
  // The package's entry points by name (tsconfig.json "paths"), as the benchmark's "ours" imports them.
  moduleNameMapper: {
    '^okta-dynatrace-scim$': '<rootDir>/constructs/index.ts',
    '^okta-dynatrace-scim/(cdktf|pulumi)$': '<rootDir>/constructs/$1/index.ts',
  },
};
