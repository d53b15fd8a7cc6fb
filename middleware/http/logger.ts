import { BulwarkError } from '../../src/errors.js';

/**
 * The logger that bulwark reports security events to: the shape that pino, winston and `console`
 * share. bulwark logs nothing unless a logger is passed.
 */
export interface Logger {
  info(object: Record<string, unknown>, message?: string): void;
  warn(object: Record<string, unknown>, message?: string): void;
  error(object: Record<string, unknown>, message?: string): void;
}

/**
 * Checks a `logger` option at setup, so that a wrong one fails there and not as a 500 on the
 * first request that logs. Throws `ERR_OPTION_INVALID` unless it is undefined or has `info`,
 * `warn` and `error` methods.
 *
 * @example
 * ```ts
 * assertLogger(options.logger);
 * ```
 */
export function assertLogger(logger: unknown): asserts logger is Logger | undefined {
  if (logger === undefined) {
    return;
  }

  const candidate = logger as Partial<Logger> | null;
  const complete =
    typeof candidate === 'object' &&
    candidate !== null &&
    ['info', 'warn', 'error'].every((level) => typeof candidate[level as keyof Logger] === 'function');
  if (!complete) {
    throw new BulwarkError('ERR_OPTION_INVALID', 'logger must have info, warn and error methods, as pino and console do.', {
      option: 'logger',
    });
  }
}
