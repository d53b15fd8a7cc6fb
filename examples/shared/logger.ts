import type { Logger } from 'bulwark';

/**
 * Creates a logger that writes one JSON line per event to stderr, in the `{ info, warn, error }`
 * shape that bulwark's `logger` options take. pino has the same shape and fits here in production.
 */
export function createConsoleLogger(app: string): Logger {
  const write = (level: string) => (fields: Record<string, unknown>, message?: string) => {
    const line = JSON.stringify({ time: new Date().toISOString(), level, app, msg: message, ...serialize(fields) });
    process.stderr.write(`${line}\n`);
  };
  return { info: write('info'), warn: write('warn'), error: write('error') };
}

// Error objects have no enumerable members, so JSON.stringify would print `{}` for them.
function serialize(fields: Record<string, unknown>): Record<string, unknown> {
  const result: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(fields)) {
    result[name] = value instanceof Error ? { name: value.name, message: value.message, stack: value.stack } : value;
  }
  return result;
}
