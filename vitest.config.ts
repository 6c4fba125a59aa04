import { defineConfig } from 'vitest/config';
import { integrationSlots } from './test/support/slots.js';

// Tests that need the shared PostgreSQL and Temporal servers started by the global setup.
const integrationFolders = ['db', 'runtime', 'activities', 'workflows', 'api', 'seed', 'web'];
const integration = integrationFolders.map((folder) => `test/${folder}/**/*.test.ts`);

export default defineConfig({
  test: {
    pool: 'forks',
    projects: [
      {
        test: {
          name: 'unit',
          include: ['test/**/*.test.ts'],
          exclude: integration,
          sequence: { groupOrder: 0 },
          testTimeout: 30_000,
        },
      },
      {
        test: {
          name: 'integration',
          include: integration,
          globalSetup: ['test/support/global-setup.ts'],
          // Each file has its own database; each slot its own Temporal server (test/support/slots.ts).
          maxWorkers: integrationSlots,
          sequence: { groupOrder: 1 },
          testTimeout: 60_000,
          hookTimeout: 120_000,
        },
      },
    ],
  },
});
