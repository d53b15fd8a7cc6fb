// bulwark: the Express middleware, the error handler and the error types.
export * from './require-jwt.js';
export * from './authenticate.js';
export * from './validate-body.js';
export * from './encrypt-response.js';
export * from './security-headers.js';
export * from './error-handler.js';
export type * from './types.js';
export { HttpError, type HttpErrorOptions } from '../http/errors.js';
export type { Logger } from '../http/logger.js';
export type { ProblemDetails } from '../http/problem.js';
export { BulwarkError, isBulwarkError, ERROR_CODES, type BulwarkErrorCode } from '../../src/errors.js';
