// bulwark/core: the security primitives, free of any HTTP framework.
export * from './errors.js';
export * from './crypto/index.js';
export * from './jwt/index.js';
export * from './password/index.js';
export * from './validate/index.js';
export * from './jwe/index.js';
export * from './revocation/index.js';
