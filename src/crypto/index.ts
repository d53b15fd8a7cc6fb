// bulwark/core crypto: symmetric encryption, digests, MACs, randomness and signatures on node:crypto.
export { type SecretKeyInput, generateSecretKey } from './secret-key.js';
export { type Keyring, type KeyringOptions, createKeyring } from './keyring.js';
export { type EncryptOptions, encrypt } from './encrypt.js';
export { type DecryptOptions, decrypt } from './decrypt.js';
export type { ContentEncryption } from './jwe-header.js';
export { type OpenInput, type SealOptions, type SealedBox, open, seal } from './aead.js';
export type { JsonValue, Jwk } from './types.js';
export {
  type Digest,
  type DigestEncoding,
  type HashAlgorithm,
  type DigestOptions,
  type HmacAlgorithm,
  type HmacOptions,
  hash,
  hmac,
} from './hash.js';
export { timingSafeEqual } from './compare.js';
export { MAX_RANDOM_LENGTH, type RandomOptions, random, randomBytes, randomInt } from './random.js';
export {
  type GenerateKeypairOptions,
  type KeyFormat,
  type Keypair,
  type KeypairAlgorithm,
  generateKeypair,
  jwkThumbprint,
} from './keypair.js';
export { type SignatureOptions, sign, verify } from './signature.js';
export type { AsymmetricKeyInput, SignatureAlgorithm } from './signing-key.js';
