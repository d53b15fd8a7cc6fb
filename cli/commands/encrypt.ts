import { singleValue, type Command, type ParsedArguments } from '../command.js';
import { CliError, EXIT_FAILURE } from '../errors.js';
import { readSecretKey } from '../keys.js';
import { readStdin, writeStdout } from '../io.js';

const KEY_OPTIONS_HELP = `  --key-file FILE      read the key from FILE (base64url text from bulwark secret, or 32 raw bytes)
  --key-env NAME       read the key from environment variable NAME (base64url text)`;

async function keyFrom(parsed: ParsedArguments): Promise<string | Uint8Array> {
  return readSecretKey(singleValue(parsed, 'key-file'), singleValue(parsed, 'key-env'));
}

/** `bulwark encrypt`: encrypts stdin into a compact JWE on stdout. */
export const encryptCommand: Command = {
  name: 'encrypt',
  summary: 'encrypt stdin to a JWE (dir + A256GCM) on stdout',
  help: `Usage: bulwark encrypt (--key-file FILE | --key-env NAME) [--content-type TYPE]

Encrypts stdin (up to 64 MiB, as bytes) into a JWE in compact serialization with alg "dir" and
enc "A256GCM", and prints it with a newline. Any JOSE library with the key can decrypt it.

Options:
${KEY_OPTIONS_HELP}
  --content-type TYPE  the media type recorded in the cty header (default: octet-stream);
                       stdin must then be valid JSON for a JSON type and UTF-8 for text/*,
                       and decrypt prints a JSON value as one line
  -h, --help           show this help

Example:
  bulwark secret > data.key
  echo '{"order":42}' | bulwark encrypt --key-file data.key --content-type application/json
`,
  options: { 'key-file': { type: 'string' }, 'key-env': { type: 'string' }, 'content-type': { type: 'string' } },
  maxPositionals: 0,
  async run(parsed) {
    const key = await keyFrom(parsed);
    const contentType = singleValue(parsed, 'content-type');
    const plaintext = new Uint8Array(await readStdin());

    const { encrypt } = await import('../../src/crypto/index.js');
    const token = encrypt(plaintext, key, contentType === undefined ? {} : { contentType });
    if (contentType !== undefined) {
      await assertReadableAs(plaintext, contentType);
    }
    await writeStdout(`${token}\n`);
  },
};

/** `bulwark decrypt`: decrypts a compact JWE from stdin onto stdout. */
export const decryptCommand: Command = {
  name: 'decrypt',
  summary: 'decrypt a JWE from stdin onto stdout',
  help: `Usage: bulwark decrypt (--key-file FILE | --key-env NAME)

Decrypts a compact JWE (alg "dir", enc "A256GCM") read from stdin and writes the plaintext to
stdout: bytes as they are, text as it is, JSON as one line of JSON. Surrounding whitespace around
the token is ignored. Any failure (a changed byte, a wrong key, a malformed token) exits with 1 and
the same message.

Options:
${KEY_OPTIONS_HELP}
  -h, --help           show this help

Example:
  bulwark decrypt --key-env RECEIPT_KEY < receipt.jwe
`,
  options: { 'key-file': { type: 'string' }, 'key-env': { type: 'string' } },
  maxPositionals: 0,
  async run(parsed) {
    const key = await keyFrom(parsed);
    const token = (await readStdin()).toString('latin1').trim();

    const { decrypt } = await import('../../src/crypto/index.js');
    const value = decrypt(token, key);
    await writeStdout(serializePlaintext(value));
  },
};

// decrypt parses a JSON or text cty, so a token whose bytes do not match it could never be read
// back and would fail there as if it had been altered. The check runs after encrypt has validated
// the media type, and the message does not quote the input.
async function assertReadableAs(plaintext: Uint8Array, contentType: string): Promise<void> {
  const { decodePayload } = await import('../../src/crypto/content-type.js');
  if (decodePayload(Buffer.from(plaintext), contentType) === undefined) {
    throw new CliError(
      'invalid stdin for --content-type: a JSON type needs valid JSON and a text type needs UTF-8 text',
      EXIT_FAILURE,
    );
  }
}

function serializePlaintext(value: unknown): string | Uint8Array {
  if (value instanceof Uint8Array || typeof value === 'string') {
    return value;
  }
  return `${JSON.stringify(value)}\n`;
}
