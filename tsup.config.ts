import { defineConfig } from 'tsup';

// One build for both module systems: ESM (.js) and CommonJS (.cjs), each with its own declarations.
// `clean` stays off so that a build never removes files that a running example or test still reads.
export default defineConfig({
  entry: {
    'src/index': 'src/index.ts',
    'middleware/express/index': 'middleware/express/index.ts',
    'middleware/koa/index': 'middleware/koa/index.ts',
    'cli/main': 'cli/main.ts',
  },
  format: ['esm', 'cjs'],
  dts: { entry: ['src/index.ts', 'middleware/express/index.ts', 'middleware/koa/index.ts'] },
  target: 'node20',
  platform: 'node',
  splitting: true,
  sourcemap: false,
  clean: false,
  outDir: 'dist',
});
