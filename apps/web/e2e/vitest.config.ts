import { defineConfig } from 'vitest/config';

/** The browser journeys: one real server per file, run one file at a time (Chromium is heavy). */
export default defineConfig({
  test: {
    include: ['apps/web/e2e/**/*.e2e.ts'],
    root: new URL('../../../', import.meta.url).pathname,
    pool: 'forks',
    maxWorkers: 1,
    fileParallelism: false,
    testTimeout: 120_000,
    hookTimeout: 120_000,
    reporters: ['default'],
  },
});
