import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // The integration tests spawn bin/fedcheck.js, which runs the compiled dist/; every test's temp files go into one
    // folder of the run's, and any left there at the end fail the run.
    globalSetup: ['test/support/build.ts', 'test/support/temp-dir.ts'],
    testTimeout: 60000,
    hookTimeout: 120000,
  },
});
