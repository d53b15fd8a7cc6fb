// The password core: hashing, verification, rehash checks and the authenticator.
export { hashPassword } from './hash.js';
export { verifyPassword, needsRehash, type VerifyPasswordOptions } from './verify.js';
export { createAuthenticator, authenticate } from './authenticate.js';
export type { AuthenticateOptions, AuthenticateResult, AuthenticateFailureReason, Authenticator } from './authenticator-core.js';
export {
  OWASP_ARGON2ID,
  DEFAULT_BCRYPT_COST,
  DEFAULT_MAX_PASSWORD_BYTES,
  type HashOptions,
  type Argon2idOptions,
  type BcryptOptions,
} from './options.js';
export { BCRYPT_MAX_PASSWORD_BYTES } from './policy.js';
export type { PasswordLogger } from './logger.js';
