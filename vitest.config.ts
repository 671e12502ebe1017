import { defineConfig } from 'vitest/config';

// Three projects: `npm test` runs unit and integration (the lab, the CLI, the browser), what a developer runs often;
// `npm run test:interop` runs the suites against real third-party servers from Debian packages. CI runs both.
const timeouts = { testTimeout: 60000, hookTimeout: 120000 };

export default defineConfig({
  test: {
    // The integration tests spawn bin/fedcheck.js, which runs the built dist/; every test's temp files go into one
    // folder of the run's, and any left there at the end fail the run. Set here, not in the projects, these run once
    // for the whole run whichever projects it selects.
    globalSetup: ['test/support/build.ts', 'test/support/temp-dir.ts'],
    // Most of a test's time is spent waiting on a child process or a socket, so more files run at once than there
    // are cores (Vitest's default is one fewer than the cores: a single worker on a two-core machine).
    maxWorkers: 4,
    projects: [
      {
        // Unit tests touch no process-wide state, so one worker runs many files without loading the modules anew.
        test: { name: 'unit', include: ['test/unit/**/*.test.ts'], isolate: false, ...timeouts },
      },
      {
        test: {
          name: 'integration',
          include: ['test/integration/**/*.test.ts', 'test/browser/**/*.test.ts'],
          // One embedded lab for every file of the project (see shared-lab.ts), after the root setup has built dist/.
          globalSetup: ['test/support/shared-lab.ts'],
          ...timeouts,
        },
      },
      {
        test: { name: 'interop', include: ['test/interop/**/*.test.ts'], ...timeouts },
      },
    ],
  },
});
