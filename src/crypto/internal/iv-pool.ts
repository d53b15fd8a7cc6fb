import { randomBytes as nodeRandomBytes } from 'node:crypto';

import { IV_BYTES } from './aes-gcm.js';

// One call into OpenSSL's CSPRNG costs about as much as encrypting a 1 KiB message, so IVs are drawn
// 512 at a time and handed out once each. A used pool is dropped, never refilled in place, so an IV
// already handed out can never change or be handed out again.
const IVS_PER_POOL = 512;

let pool = Buffer.alloc(0);
let offset = 0;

/** Returns a fresh random 96-bit IV that no other call receives. */
export function nextIv(): Buffer {
  if (offset + IV_BYTES > pool.length) {
    pool = nodeRandomBytes(IV_BYTES * IVS_PER_POOL);
    offset = 0;
  }

  const iv = pool.subarray(offset, offset + IV_BYTES);
  offset += IV_BYTES;
  return iv;
}
