#!/usr/bin/env node
import { parseCommandArguments, type Command } from './command.js';
import { COMMANDS } from './commands/index.js';
import { describeFailure, EXIT_OK, EXIT_USAGE, UsageError } from './errors.js';

const GENERAL_HELP = `Usage: bulwark <command> [options]

Commands:
${COMMANDS.map((command) => `  ${command.name.padEnd(15)} ${command.summary}`).join('\n')}

Run bulwark <command> --help for a command's options.

Exit codes: 0 success, 1 failure (verification or decryption failed, invalid input),
2 usage error (unknown command or option, missing or invalid key).
`;

/**
 * Runs the `bulwark` command line with `args` (without the node and script paths) and returns the
 * exit code. Results go to stdout; help for a usage error and every error message go to stderr,
 * one line each.
 */
export async function runCli(args: readonly string[]): Promise<number> {
  try {
    const found = findCommand(args);
    if (found === undefined) {
      return printGeneralHelp(args);
    }

    const { command, rest } = found;
    const parsed = parseCommandArguments(command, rest);
    if (parsed === undefined) {
      process.stdout.write(command.help);
      return EXIT_OK;
    }

    await command.run(parsed);
    return EXIT_OK;
  } catch (error) {
    const { exitCode, message } = describeFailure(error);
    process.stderr.write(`bulwark: ${message}\n`);
    return exitCode;
  }
}

// Matches the longest command name at the start of `args`, so `jwt verify` wins over `jwt`.
function findCommand(args: readonly string[]): { command: Command; rest: readonly string[] } | undefined {
  for (const command of COMMANDS) {
    const words = command.name.split(' ');
    if (words.every((word, index) => args[index] === word)) {
      return { command, rest: args.slice(words.length) };
    }
  }
  return undefined;
}

function printGeneralHelp(args: readonly string[]): number {
  const [first] = args;
  if (first === '--help' || first === '-h' || first === 'help' || (first === 'jwt' && isHelp(args[1]))) {
    process.stdout.write(GENERAL_HELP);
    return EXIT_OK;
  }
  if (first === undefined || (first === 'jwt' && args[1] === undefined)) {
    process.stderr.write(GENERAL_HELP);
    return EXIT_USAGE;
  }

  // The unknown word is not repeated: it could be a secret typed in the wrong place.
  const { message } = describeFailure(new UsageError('unknown command; run bulwark --help for the list'));
  process.stderr.write(`bulwark: ${message}\n`);
  return EXIT_USAGE;
}

function isHelp(word: string | undefined): boolean {
  return word === '--help' || word === '-h';
}

// No top-level await: the same entry is also built as CommonJS.
void runCli(process.argv.slice(2)).then((exitCode) => {
  process.exitCode = exitCode;
});
