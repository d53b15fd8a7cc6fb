/**
 * The logger that the password functions report to: the `warn` and `error` methods that pino,
 * winston and `console` share. Nothing is logged without one.
 *
 * @example
 * ```ts
 * const logger: PasswordLogger = pino();
 * await verifyPassword(password, storedHash, { logger });
 * ```
 */
export interface PasswordLogger {
  warn(object: Record<string, unknown>, message?: string): void;
  error(object: Record<string, unknown>, message?: string): void;
}
