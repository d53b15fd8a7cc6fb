import { randomBytes } from 'node:crypto';

import { hashWithResolvedOptions } from './hash.js';
import { parametersKey, type ResolvedHashOptions } from './options.js';

// One dummy hash per parameter set for the life of the process. Its password is random and
// discarded, so no input ever matches it.
const dummyHashes = new Map<string, Promise<string>>();

/**
 * Returns a valid hash of a random password made with the given parameters, creating it on the first
 * call. Verifying a password against it costs the same as verifying against a real user's hash,
 * which is what keeps unknown users and malformed hashes as slow as a wrong password.
 */
export function dummyHashFor(options: ResolvedHashOptions): Promise<string> {
  const key = parametersKey(options);
  const existing = dummyHashes.get(key);
  if (existing !== undefined) {
    return existing;
  }

  const created = hashWithResolvedOptions(randomBytes(18).toString('base64url'), options);
  dummyHashes.set(key, created);

  // A failed creation is not cached, so the next login tries again.
  created.catch(() => dummyHashes.delete(key));
  return created;
}
