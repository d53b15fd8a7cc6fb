import { defineConfig } from 'tsup';

// One build for both module systems: ESM (.js) and CommonJS (.cjs), each with its own declarations.
// `clean` empties dist/ first, so that no chunk of an older build lands in the package.
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
  clean: true,
  outDir: 'dist',
  // esbuild drops the `with { type: 'json' }` attribute for a `node20` target (Node has it from
  // 20.10), and Node's ESM loader refuses a JSON import without it, so JSON files from
  // dependencies are bundled into the output instead of imported at run time.
  noExternal: [/\.json$/],
});
