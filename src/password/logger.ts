/**
 * The logger that the password functions report to: the `warn` and `error` methods that pino,
 * winston and `console` share. Nothing is logged without one.
 */
export interface PasswordLogger {
  warn(object: Record<string, unknown>, message?: string): void;
  error(object: Record<string, unknown>, message?: string): void;
}
