// bulwark/core JWT: signing and RFC 8725 verification of JSON Web Tokens on node:crypto.
export { signJwt } from './sign.js';
export { createJwtVerifier } from './verifier.js';
export { verifyJwt, validateJwt, type VerificationKeys } from './verify-jwt.js';
export { verifyJws, type VerifyJwsOptions, type VerifiedJws } from './verify-jws.js';
export {
  DEFAULT_CLOCK_TOLERANCE_SECONDS,
  MAX_CLOCK_TOLERANCE_SECONDS,
  DEFAULT_MAX_TOKEN_BYTES,
  DEFAULT_CACHE_MAX_ENTRIES,
} from './verifier-options.js';
export { MIN_HMAC_KEY_BYTES, MIN_RSA_MODULUS_BITS } from './key-types.js';
export {
  JWT_ALGORITHMS,
  type Duration,
  type JwkObject,
  type JwtAlgorithm,
  type JwtHeader,
  type JwtPayload,
  type JwtVerifierOptions,
  type KeyInput,
  type SignJwtOptions,
  type VerifiedJwt,
  type VerifyJwtOptions,
} from './types.js';
