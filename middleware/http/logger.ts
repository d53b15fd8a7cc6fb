/**
 * The logger that bulwark reports security events to: the shape that pino, winston and `console`
 * share. bulwark logs nothing unless a logger is passed.
 */
export interface Logger {
  info(object: Record<string, unknown>, message?: string): void;
  warn(object: Record<string, unknown>, message?: string): void;
  error(object: Record<string, unknown>, message?: string): void;
}
