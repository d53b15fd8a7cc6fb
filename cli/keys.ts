import { readFile } from 'node:fs/promises';

import { UsageError } from './errors.js';

const SECRET_KEY_BYTES = 32;
const BASE64URL_TEXT = /^[A-Za-z0-9_-]+$/;

/**
 * Reads the 32-byte secret key for encrypt and decrypt from `--key-file FILE` or `--key-env NAME`,
 * exactly one of them. A file or variable holds the base64url text that `bulwark secret` prints
 * (surrounding whitespace is ignored); a file may also hold the 32 raw bytes.
 *
 * @throws UsageError when neither or both are given, the file cannot be read or the variable is
 * unset. The message names the file or variable, never its content.
 */
export async function readSecretKey(keyFile: string | undefined, keyEnv: string | undefined): Promise<string | Uint8Array> {
  if ((keyFile === undefined) === (keyEnv === undefined)) {
    throw new UsageError('pass the key with exactly one of --key-file FILE or --key-env NAME');
  }

  if (keyEnv !== undefined) {
    const text = process.env[keyEnv]?.trim();
    if (text === undefined || text === '') {
      throw new UsageError(`environment variable ${keyEnv} is not set or empty`);
    }
    return text;
  }

  const bytes = await readKeyFile(keyFile!);
  const text = bytes.toString('latin1').trim();
  if (BASE64URL_TEXT.test(text)) {
    return text;
  }
  if (bytes.length === SECRET_KEY_BYTES) {
    return new Uint8Array(bytes);
  }
  throw new UsageError(`key file ${keyFile} must hold a 32-byte key as base64url text, as bulwark secret prints it`);
}

/**
 * Reads a verification key for `jwt verify --key FILE`: a JWK as JSON, or PEM text (a public key or
 * certificate) passed on as it is.
 *
 * @throws UsageError when the file cannot be read or holds invalid JSON.
 */
export async function readVerificationKey(keyFile: string): Promise<string | Record<string, unknown>> {
  const text = (await readKeyFile(keyFile)).toString('utf8');
  if (!text.trimStart().startsWith('{')) {
    return text;
  }

  try {
    return JSON.parse(text) as Record<string, unknown>;
  } catch {
    throw new UsageError(`key file ${keyFile} starts with "{" but is not valid JSON; pass a JWK or a PEM file`);
  }
}

async function readKeyFile(path: string): Promise<Buffer> {
  try {
    return await readFile(path);
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    throw new UsageError(`cannot read key file ${path}${typeof code === 'string' ? ` (${code})` : ''}`);
  }
}
