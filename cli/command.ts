import { parseArgs, type ParseArgsConfig } from 'node:util';

import { UsageError } from './errors.js';

/** The options of one command, in the form `node:util` `parseArgs` takes them. */
export type CommandOptions = NonNullable<ParseArgsConfig['options']>;

/** What a command receives after parsing: option values by name and the positional arguments. */
export interface ParsedArguments {
  readonly values: Readonly<Record<string, string | boolean | Array<string | boolean> | undefined>>;
  readonly positionals: readonly string[];
}

/** One `bulwark` command: its name, help text, options and the function that runs it. */
export interface Command {
  /** The words that select the command, such as `secret` or `jwt verify`. */
  readonly name: string;
  /** One line for the command list. */
  readonly summary: string;
  /** The full `--help` text. */
  readonly help: string;
  readonly options: CommandOptions;
  /** The most positional arguments the command takes. */
  readonly maxPositionals: number;
  /** Runs the command; a thrown `CliError` sets the exit code, success exits 0. */
  run(parsed: ParsedArguments): Promise<void>;
}

const HELP_OPTION: CommandOptions = { help: { type: 'boolean', short: 'h' } };

/**
 * Parses a command's arguments with `parseArgs` in strict mode.
 * Returns undefined when `--help` was given, so the caller prints the help instead.
 *
 * @throws UsageError for an unknown option, a missing option value or too many arguments. The
 * message names the option but never repeats a value, which could be a secret typed by mistake.
 */
export function parseCommandArguments(command: Command, args: readonly string[]): ParsedArguments | undefined {
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs({
      args: [...args],
      options: { ...command.options, ...HELP_OPTION },
      allowPositionals: true,
      strict: true,
    });
  } catch (error) {
    throw new UsageError(`${describeParseError(error)}; see bulwark ${command.name} --help`);
  }

  if (parsed.values.help === true) {
    return undefined;
  }
  if (parsed.positionals.length > command.maxPositionals) {
    const expected = command.maxPositionals === 0 ? 'no arguments' : `at most ${command.maxPositionals} argument`;
    throw new UsageError(`bulwark ${command.name} takes ${expected}; see bulwark ${command.name} --help`);
  }
  return { values: parsed.values, positionals: parsed.positionals };
}

/** Reads an option that may be given once, or throws when it was given more than once. */
export function singleValue(parsed: ParsedArguments, name: string): string | undefined {
  const value = parsed.values[name];
  if (Array.isArray(value)) {
    throw new UsageError(`--${name} may be given only once`);
  }
  return typeof value === 'string' ? value : undefined;
}

/** Checks that `value` is one of `choices`, naming the option and the choices otherwise. */
export function chooseOne<T extends string>(option: string, value: string | undefined, choices: readonly T[], fallback: T): T {
  if (value === undefined) {
    return fallback;
  }
  if (!(choices as readonly string[]).includes(value)) {
    throw new UsageError(`--${option} must be one of ${choices.join(', ')}`);
  }
  return value as T;
}

function describeParseError(error: unknown): string {
  const { code, message } = error as { code?: string; message?: string };
  const option = /'(-{1,2}[A-Za-z0-9-]+)/.exec(message ?? '')?.[1];

  switch (code) {
    case 'ERR_PARSE_ARGS_UNKNOWN_OPTION':
      return option === undefined ? 'unknown option' : `unknown option ${option}`;
    case 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE':
      return option === undefined ? 'an option is missing its value' : `option ${option} is missing its value or takes none`;
    case 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL':
      return 'unexpected argument';
    default:
      return 'invalid arguments';
  }
}
