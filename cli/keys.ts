import { readFile } from 'node:fs/promises';

import { decodeBase64url } from '../src/crypto/internal/base64url.js';
import { UsageError } from './errors.js';

const SECRET_KEY_BYTES = 32;
const BASE64URL_TEXT = /^[A-Za-z0-9_-]+$/;
const PEM_BLOCK_START = '-----BEGIN ';

/**
 * Reads the 32-byte secret key for encrypt and decrypt from `--key-file FILE` or `--key-env NAME`,
 * exactly one of them. A file or variable holds the base64url text that `bulwark secret` prints
 * (surrounding whitespace is ignored); a file may also hold the 32 raw bytes.
 *
 * @throws UsageError when neither or both are given, the file cannot be read, the variable is
 * unset, or the key is not 32 bytes. The message names the file or variable, never its content.
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
    return checkKeyText(text, `environment variable ${keyEnv}`);
  }

  // Text first: 32 raw bytes can also be valid base64url text of the wrong size, and are then
  // taken as the raw key.
  const bytes = await readKeyFile(keyFile!);
  const text = bytes.toString('latin1').trim();
  if (BASE64URL_TEXT.test(text) && decodeBase64url(text)?.length === SECRET_KEY_BYTES) {
    return text;
  }
  if (bytes.length === SECRET_KEY_BYTES) {
    return new Uint8Array(bytes);
  }
  throw keySizeError(`key file ${keyFile}`);
}

// Checked here rather than by the core, whose message speaks of Uint8Arrays and KeyObjects.
function checkKeyText(text: string, source: string): string {
  if (decodeBase64url(text)?.length !== SECRET_KEY_BYTES) {
    throw keySizeError(source);
  }
  return text;
}

function keySizeError(source: string): UsageError {
  return new UsageError(`${source} must contain a 32-byte key as base64url text; make one with bulwark secret`);
}

/**
 * Reads a verification key for `jwt verify --key FILE`: a JWK as JSON, or PEM text (a public key or
 * certificate) passed on as it is.
 *
 * @throws UsageError when the file cannot be read, contains invalid JSON, or contains neither a JWK nor PEM.
 */
export async function readVerificationKey(keyFile: string): Promise<string | Record<string, unknown>> {
  const text = (await readKeyFile(keyFile)).toString('utf8');
  if (!text.trimStart().startsWith('{')) {
    // Any other text would reach the verifier as an HMAC secret, and a wrong file would then read
    // as a token that failed to verify instead of a usage mistake.
    if (!text.includes(PEM_BLOCK_START)) {
      throw new UsageError(`key file ${keyFile} contains neither a JWK nor a PEM key; pass a JWK or a PEM file`);
    }
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
