import { execFile } from 'node:child_process';
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
const fixtures = join(repoRoot, 'test/fixtures/package');
const tsc = join(repoRoot, 'node_modules/typescript/bin/tsc');

const PACK_TIMEOUT_MS = 240_000;
const INSTALL_TIMEOUT_MS = 180_000;
const RUN_TIMEOUT_MS = 60_000;

let workDir = '';
let tarball = '';

/** Runs a command with a time limit and returns its stdout; a failure carries stdout and stderr. */
async function runCommand(command: string, args: string[], cwd: string, timeout: number): Promise<string> {
  const { stdout } = await run(command, args, { cwd, timeout, maxBuffer: 16 * 1024 * 1024, env: { ...process.env, npm_config_update_notifier: 'false' } });
  return stdout;
}

/**
 * Copies a fixture project into the work folder and installs the packed tarball into it, from the
 * npm cache when every dependency is there, and otherwise letting npm fill the gaps.
 */
async function makeProject(name: string): Promise<string> {
  const project = join(workDir, name);
  await cp(join(fixtures, name), project, { recursive: true });

  const common = ['install', tarball, '--no-audit', '--no-fund', '--ignore-scripts', '--no-package-lock'];
  try {
    await runCommand('npm', [...common, '--offline'], project, INSTALL_TIMEOUT_MS);
    console.log(`${name}: installed the tarball from the npm cache (--offline)`);
  } catch {
    await runCommand('npm', [...common, '--prefer-offline'], project, INSTALL_TIMEOUT_MS);
    console.log(`${name}: installed the tarball with --prefer-offline, because the cache lacked a dependency`);
  }
  return project;
}

describe('the packed package', () => {
  beforeAll(async () => {
    workDir = await mkdtemp(join(tmpdir(), 'bulwark-pack-'));

    // `npm pack` runs the prepack script, which builds dist/ with tsup.
    const output = await runCommand('npm', ['pack', '--json', '--pack-destination', workDir], repoRoot, PACK_TIMEOUT_MS);
    // The build's log comes first on stdout; npm's JSON report starts at a line that is only "[".
    const [packed] = JSON.parse(output.slice(output.search(/^\[$/m))) as Array<{ filename: string }>;
    tarball = join(workDir, packed?.filename ?? '');
  }, PACK_TIMEOUT_MS + 10_000);

  afterAll(async () => {
    if (workDir !== '') {
      await rm(workDir, { recursive: true, force: true });
    }
  });

  it('imports bulwark, bulwark/koa and bulwark/core from an ESM project', async () => {
    const project = await makeProject('esm');

    const output = await runCommand(process.execPath, ['check.js'], project, RUN_TIMEOUT_MS);

    expect(JSON.parse(output)).toEqual({
      decrypted: { hello: 'esm' },
      expressErrorHandler: 'function',
      koaErrorHandler: 'function',
      sharedErrorClass: true,
    });
  }, INSTALL_TIMEOUT_MS * 2 + RUN_TIMEOUT_MS);

  it('requires bulwark/core from a CommonJS project', async () => {
    const project = await makeProject('cjs');

    const output = await runCommand(process.execPath, ['check.js'], project, RUN_TIMEOUT_MS);

    expect(JSON.parse(output)).toEqual({
      digest: 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad',
      expressErrorHandler: 'function',
      sharedErrorClass: true,
    });
  }, INSTALL_TIMEOUT_MS * 2 + RUN_TIMEOUT_MS);

  it('type-checks and runs in a TypeScript project with moduleResolution nodenext', async () => {
    const project = await makeProject('ts');

    // The fresh project has no @types/node of its own, so it borrows this repository's.
    const tsconfigPath = join(project, 'tsconfig.json');
    const tsconfig = JSON.parse(await readFile(tsconfigPath, 'utf8')) as { compilerOptions: Record<string, unknown> };
    tsconfig.compilerOptions.typeRoots = [join(repoRoot, 'node_modules/@types')];
    await writeFile(tsconfigPath, JSON.stringify(tsconfig));

    await runCommand(process.execPath, [tsc, '-p', 'tsconfig.json'], project, RUN_TIMEOUT_MS * 2);
    const output = await runCommand(process.execPath, ['out/check.js'], project, RUN_TIMEOUT_MS);
    const digest = await runCommand(process.execPath, ['-p', "require('./out/require-check.cjs')"], project, RUN_TIMEOUT_MS);

    expect(JSON.parse(output)).toEqual({ userId: 7, kid: 'k1', errorHandler: 'function' });
    expect(digest.trim()).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  }, INSTALL_TIMEOUT_MS * 2 + RUN_TIMEOUT_MS * 4);
});
