import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const fromRoot = (path: string) => fileURLToPath(new URL(path, import.meta.url));

export default defineConfig({
  resolve: {
    alias: {
      'bulwark/core': fromRoot('./src/index.ts'),
      'bulwark/koa': fromRoot('./middleware/koa/index.ts'),
      bulwark: fromRoot('./middleware/express/index.ts'),
    },
  },
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    reporters: ['default', 'json'],
    outputFile: { json: './.test-results/results.json' },
  },
});
