// JWE bodies beyond the core `encrypt`/`decrypt`: encryption to a client's public key and the
// client-side reading of an encrypted response.
export type { DecryptedValue } from './content-type.js';
export {
  decryptResponse,
  JOSE_MEDIA_TYPE,
  type FetchResponseLike,
  type ResponseDecryptionKey,
  type ResponseDecryptionKeys,
} from './decrypt-response.js';
export {
  encryptForPublicKey,
  decryptWithPrivateKey,
  importPrivateKey,
  PUBLIC_KEY_ALGORITHM,
  type EcdhJwk,
  type PublicKeyEncryptOptions,
} from './public-key.js';
