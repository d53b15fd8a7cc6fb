import { BulwarkError } from '../src/errors.js';

/** Exit code of a command that succeeded. */
export const EXIT_OK = 0;

/** Exit code of a command that ran but failed: a token did not verify, a decryption failed. */
export const EXIT_FAILURE = 1;

/** Exit code of a command that was called wrongly: an unknown option, a missing key, a bad value. */
export const EXIT_USAGE = 2;

/** An error that ends the command with `exitCode` and prints `message` as one line on stderr. */
export class CliError extends Error {
  readonly exitCode: number;

  constructor(message: string, exitCode: number) {
    super(message);
    this.name = 'CliError';
    this.exitCode = exitCode;
  }
}

/** A mistake in how the command was called: exit code 2. */
export class UsageError extends CliError {
  constructor(message: string) {
    super(message, EXIT_USAGE);
    this.name = 'UsageError';
  }
}

// Core codes that mean the caller passed a wrong option or key, not that the input failed a check.
const USAGE_CODES = new Set(['ERR_OPTION_INVALID', 'ERR_KEY_INVALID', 'ERR_INVALID_ARGUMENT', 'ERR_ALGORITHM_UNSUPPORTED']);

/**
 * Maps any thrown value to the exit code and the one-line message to print. bulwark's own messages
 * never contain a secret or an input value. A foreign error shows only its name and code, because
 * its message may quote either.
 */
export function describeFailure(error: unknown): { exitCode: number; message: string } {
  if (error instanceof CliError) {
    return { exitCode: error.exitCode, message: oneLine(error.message) };
  }

  if (error instanceof BulwarkError) {
    const exitCode = USAGE_CODES.has(error.code) ? EXIT_USAGE : EXIT_FAILURE;
    return { exitCode, message: oneLine(`${error.message} (${error.code})`) };
  }

  const { name, code } = (error ?? {}) as { name?: unknown; code?: unknown };
  const label = [name, code].filter((part) => typeof part === 'string').join(' ');
  return { exitCode: EXIT_FAILURE, message: `unexpected error${label === '' ? '' : ` (${label})`}` };
}

function oneLine(text: string): string {
  return text.replace(/\s*[\r\n]+\s*/g, ' ').trim();
}
