import { CliError, EXIT_FAILURE, UsageError } from './errors.js';

/** The largest input read from stdin: 64 MiB, because encrypt and decrypt hold it in memory. */
export const MAX_STDIN_BYTES = 64 * 1024 * 1024;

/** Tells whether stdin is an interactive terminal rather than a pipe or a file. */
export function stdinIsTerminal(): boolean {
  return process.stdin.isTTY === true;
}

/**
 * Reads stdin to its end, up to `limitBytes`.
 *
 * @throws UsageError when the input is larger than the limit.
 */
export async function readStdin(limitBytes: number = MAX_STDIN_BYTES): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let received = 0;

  for await (const chunk of process.stdin) {
    const bytes = chunk as Buffer;
    received += bytes.length;
    if (received > limitBytes) {
      throw new UsageError(`stdin is larger than the limit of ${limitBytes} bytes`);
    }
    chunks.push(bytes);
  }
  return Buffer.concat(chunks, received);
}

// Keystrokes that arrived after the Enter that ended the previous prompt, such as a second line
// pasted or typed ahead. The next prompt reads them first.
let typedAhead = '';

/**
 * Reads one line from the terminal without echoing it, after printing `prompt` on stderr.
 * Backspace deletes a character; Ctrl-C, and Ctrl-D on an empty line, cancel.
 *
 * @throws CliError (exit code 1) when the prompt is cancelled.
 */
export function promptHidden(prompt: string): Promise<string> {
  const input = process.stdin;

  // Raw mode goes on before the prompt shows, so nothing typed after the prompt is ever echoed.
  input.setRawMode(true);
  input.setEncoding('utf8');
  process.stderr.write(prompt);

  return new Promise((resolve, reject) => {
    let value = '';

    const finish = () => {
      input.off('data', consume);
      input.setRawMode(false);
      input.pause();
      process.stderr.write('\n');
    };

    const consume = (chunk: string) => {
      const characters = Array.from(chunk);
      for (const [index, character] of characters.entries()) {
        if (character === '\r' || character === '\n') {
          typedAhead = characters.slice(index + 1).join('').replace(/^\n/, '');
          finish();
          resolve(value);
          return;
        }
        if (character === '\u0003' || (character === '\u0004' && value === '')) {
          finish();
          reject(new CliError('cancelled', EXIT_FAILURE));
          return;
        }
        if (character === '\u007f' || character === '\b') {
          value = Array.from(value).slice(0, -1).join('');
          continue;
        }
        value += character;
      }
    };

    input.on('data', consume);
    const pending = typedAhead;
    typedAhead = '';
    if (pending !== '') {
      consume(pending);
    }
    input.resume();
  });
}

/** Writes to stdout and waits until the data is handed to the operating system. */
export function writeStdout(data: string | Uint8Array): Promise<void> {
  return new Promise((resolve, reject) => {
    process.stdout.write(data, (error) => (error ? reject(error) : resolve()));
  });
}
