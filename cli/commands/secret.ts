import type { Command } from '../command.js';
import { writeStdout } from '../io.js';

/** `bulwark secret`: prints a new 32-byte key as base64url. */
export const secretCommand: Command = {
  name: 'secret',
  summary: 'print a new 32-byte secret key (base64url)',
  help: `Usage: bulwark secret

Prints a new 32-byte (256-bit) key from the operating system's CSPRNG as base64url text
(43 characters) and a newline. It is the key format of encrypt, decrypt and encryptResponse.

Example:
  bulwark secret > receipt.key
`,
  options: {},
  maxPositionals: 0,
  async run() {
    const { generateSecretKey } = await import('../../src/crypto/index.js');
    await writeStdout(`${generateSecretKey()}\n`);
  },
};
