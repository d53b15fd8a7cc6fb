import { randomUUID } from 'node:crypto';
import { linkSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { generateKeypair } from 'bulwark/core';

/** The app's token signing keypair: Ed25519, PEM-encoded, with its key id. */
export interface SigningKeys {
  readonly kid: string;
  readonly publicKey: string;
  readonly privateKey: string;
}

/** The file name of the signing keypair inside the data folder. */
export const SIGNING_KEY_FILE = 'signing-key.json';

/**
 * Loads the token signing keypair from `dataDir`, or generates and stores one on first start.
 *
 * The key is written to a temporary file with mode 0600 and then hard-linked into place, which fails
 * when the file exists. So when two instances start on one data folder at once, the second reads
 * the first one's complete file, and both sign and verify with the same key.
 */
export async function loadOrCreateSigningKeys(dataDir: string): Promise<SigningKeys> {
  const path = join(dataDir, SIGNING_KEY_FILE);
  const existing = readKeys(path);
  if (existing) {
    return existing;
  }

  const generated = await generateKeypair('EdDSA', { format: 'pem' });
  const keys: SigningKeys = {
    kid: generated.kid,
    publicKey: String(generated.publicKey),
    privateKey: String(generated.privateKey),
  };
  const temporaryPath = `${path}.${randomUUID()}.tmp`;
  writeFileSync(temporaryPath, `${JSON.stringify(keys, null, 2)}\n`, { flag: 'wx', mode: 0o600 });
  try {
    linkSync(temporaryPath, path);
    return keys;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') {
      return readKeys(path)!;
    }
    throw error;
  } finally {
    unlinkSync(temporaryPath);
  }
}

function readKeys(path: string): SigningKeys | undefined {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
      return undefined;
    }
    throw error;
  }

  const parsed = JSON.parse(text) as Partial<SigningKeys>;
  if (typeof parsed.kid !== 'string' || typeof parsed.publicKey !== 'string' || typeof parsed.privateKey !== 'string') {
    throw new Error(`${path} is not a signing key file; delete it to generate a new key.`);
  }
  return { kid: parsed.kid, publicKey: parsed.publicKey, privateKey: parsed.privateKey };
}
