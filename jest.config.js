/**
 * Three tiers, by file suffix: *.spec.ts (pure, fast), *.int-spec.ts (real PostgreSQL),
 * *.e2e-spec.ts (HTTP against the running app), and *.faults-spec.ts (fault injection, `npm run
 * test:faults`, each file with PostgreSQL servers of its own). Integration and e2e tiers share one PostgreSQL
 * started by test/support/global-setup.ts (embedded, or TEST_DATABASE_URL when set); each test
 * file gets a fresh database of its own.
 */
const tsJest = ['ts-jest', { tsconfig: 'tsconfig.json', diagnostics: false }];
const common = {
  rootDir: __dirname,
  testEnvironment: 'node',
  transform: {
    '^.+\\.ts$': tsJest,
    // NestJS 12 and a few dependencies are ESM-only: turned into CommonJS for Jest (see the file).
    '^.+\\.js$': '<rootDir>/test/jest/esm-to-cjs.transform.js',
  },
  transformIgnorePatterns: [
    '/node_modules/(?!(@nestjs|uid|load-esm|file-type|@standard-schema|token-types|strtok3|@tokenizer)/)',
  ],
  moduleFileExtensions: ['ts', 'js', 'json'],
  testPathIgnorePatterns: ['/node_modules/', '/dist/'],
};

module.exports = {
  testTimeout: 60000,
  reporters: ['default', '<rootDir>/test/jest/summary-reporter.js'],
  globalSetup: '<rootDir>/test/support/global-setup.js',
  globalTeardown: '<rootDir>/test/support/global-teardown.js',
  projects: [
    { ...common, displayName: 'unit', testMatch: ['<rootDir>/{apps,libs,test,tools}/**/*.spec.ts'] },
    { ...common, displayName: 'int', testMatch: ['<rootDir>/{apps,libs,test}/**/*.int-spec.ts'] },
    { ...common, displayName: 'e2e', testMatch: ['<rootDir>/test/e2e/**/*.e2e-spec.ts'] },
    // Fault injection (kill -9, PostgreSQL restarts, poison events): `npm run test:faults`, not `npm test`.
    { ...common, displayName: 'faults', testMatch: ['<rootDir>/test/faults/**/*.faults-spec.ts'] },
  ],
};
