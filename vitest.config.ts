import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // The integration tests spawn bin/fedcheck.js, which runs the compiled dist/.
    globalSetup: ['test/support/build.ts'],
    testTimeout: 60000,
    hookTimeout: 120000,
  },
});
