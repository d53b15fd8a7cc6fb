import { chooseOne, singleValue, type Command } from '../command.js';
import { CliError, EXIT_FAILURE, UsageError } from '../errors.js';
import { promptHidden, readStdin, stdinIsTerminal, writeStdout } from '../io.js';

// The hash policy rejects passwords over 1,024 UTF-8 bytes by default, so this cap only bounds what
// is read from a pipe.
const MAX_PASSWORD_INPUT_BYTES = 64 * 1024;

const ALGORITHMS = ['argon2id', 'bcrypt'] as const;

const utf8Decoder = new TextDecoder('utf-8', { fatal: true });

/** `bulwark hash-password`: hashes a password read from stdin or a hidden prompt. */
export const hashPasswordCommand: Command = {
  name: 'hash-password',
  summary: 'hash a password from stdin or a hidden prompt (argon2id or bcrypt)',
  help: `Usage: bulwark hash-password [--algorithm argon2id|bcrypt]

Hashes a password for storage and prints the PHC string ($argon2id$...) or bcrypt string ($2b$...).

The password is never taken from the command line, where shell history and the process list
would keep it. On a terminal it is asked for twice at a prompt that does not echo; from a pipe,
stdin is read to its end and one trailing newline is removed.

Options:
  --algorithm NAME  argon2id (default: m=19456 KiB, t=2, p=1, the OWASP minimum) or bcrypt (cost 12)
  -h, --help        show this help

Example:
  printf '%s' "$PASSWORD" | bulwark hash-password --algorithm bcrypt
`,
  options: { algorithm: { type: 'string' } },
  // Arguments are rejected in run() with a message that says why the password is not one.
  maxPositionals: Number.POSITIVE_INFINITY,
  async run(parsed) {
    if (parsed.positionals.length > 0) {
      throw new UsageError(
        'bulwark hash-password takes no arguments: pipe the password on stdin or type it at the prompt, so that it stays out of shell history',
      );
    }
    const algorithm = chooseOne('algorithm', singleValue(parsed, 'algorithm'), ALGORITHMS, 'argon2id');
    const password = stdinIsTerminal() ? await promptTwice() : await readPipedPassword();

    const { hashPassword } = await import('../../src/password/index.js');
    const hash = await hashPassword(password, { algorithm });
    await writeStdout(`${hash}\n`);
  },
};

async function promptTwice(): Promise<string> {
  const password = await promptHidden('Password: ');
  const confirmation = await promptHidden('Repeat password: ');
  if (password !== confirmation) {
    throw new CliError('the passwords do not match', EXIT_FAILURE);
  }
  return password;
}

async function readPipedPassword(): Promise<string> {
  const bytes = await readStdin(MAX_PASSWORD_INPUT_BYTES);

  // Buffer's decoder replaces each invalid sequence with U+FFFD, so two different byte strings
  // would hash as the same password, and a check with the original bytes would fail later.
  let text: string;
  try {
    text = utf8Decoder.decode(bytes);
  } catch {
    throw new CliError('the password on stdin is not valid UTF-8 text', EXIT_FAILURE);
  }
  return text.replace(/\r?\n$/, '');
}
