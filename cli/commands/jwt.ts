import { BulwarkError } from '../../src/errors.js';
import { JWT_ALGORITHMS, type JwtAlgorithm, type JwtVerifierOptions } from '../../src/jwt/types.js';
import { singleValue, type Command, type ParsedArguments } from '../command.js';
import { CliError, EXIT_FAILURE, UsageError } from '../errors.js';
import { readStdin, stdinIsTerminal, writeStdout } from '../io.js';
import { readVerificationKey } from '../keys.js';

// A token is read whole before any check; the verifier's own cap (8 KiB by default) applies after.
const MAX_TOKEN_INPUT_BYTES = 1024 * 1024;

// Core codes that mean the verifier was configured wrongly rather than that the token failed.
const CONFIGURATION_CODES = new Set(['ERR_OPTION_INVALID', 'ERR_KEY_INVALID', 'ERR_ALGORITHM_UNSUPPORTED']);

/** `bulwark jwt decode`: prints a token's header and payload without verifying it. */
export const jwtDecodeCommand: Command = {
  name: 'jwt decode',
  summary: 'print the header and payload of a JWT, unverified',
  help: `Usage: bulwark jwt decode [TOKEN]

Prints the protected header and the payload of a JWT as JSON, with "verified": false: nothing
about the token is checked, so never act on the output. Use bulwark jwt verify for that.
The token is the argument, or stdin when there is none.

Example:
  bulwark jwt decode < token.txt
`,
  options: {},
  maxPositionals: 1,
  async run(parsed) {
    const token = await readToken(parsed);
    const { decodeJwt, decodeProtectedHeader } = await import('jose');

    let header: unknown;
    let payload: unknown;
    try {
      header = decodeProtectedHeader(token);
      payload = decodeJwt(token);
    } catch {
      throw new CliError('the input is not a JWT in compact serialization', EXIT_FAILURE);
    }

    await writeStdout(`${JSON.stringify({ verified: false, header, payload }, null, 2)}\n`);
  },
};

/** `bulwark jwt verify`: verifies a token against a JWKS URL or a key file. */
export const jwtVerifyCommand: Command = {
  name: 'jwt verify',
  summary: 'verify a JWT against a JWKS URL or a key file',
  help: `Usage: bulwark jwt verify (--jwks URL | --key FILE) [--alg ALG]... [--issuer ISS] [--audience AUD] [TOKEN]

Verifies a JWT with RFC 8725 defaults: the signature first, then exp (required), nbf, iat, and the
issuer and audience when given. On success prints the header and payload as JSON with
"verified": true and exits 0; on failure prints the reason on stderr and exits 1.
The token is the argument, or stdin when there is none.

Options:
  --jwks URL      fetch the keys from this JSON Web Key Set URL (asymmetric algorithms only)
  --key FILE      verify with the key in FILE: a PEM public key or certificate, or a JWK as JSON
  --alg ALG       accept this algorithm; repeat for more (default: every algorithm the key allows)
                  one of ${JWT_ALGORITHMS.join(', ')}
  --issuer ISS    require this iss claim
  --audience AUD  require this aud claim
  -h, --help      show this help

Example:
  bulwark jwt verify --jwks https://issuer.example/.well-known/jwks.json --alg RS256 \\
    --issuer https://issuer.example/ --audience api < token.txt
`,
  options: {
    jwks: { type: 'string' },
    key: { type: 'string' },
    alg: { type: 'string', multiple: true },
    issuer: { type: 'string' },
    audience: { type: 'string' },
  },
  maxPositionals: 1,
  async run(parsed) {
    const { createJwtVerifier } = await import('../../src/jwt/index.js');
    const verify = createJwtVerifier(await verifierOptions(parsed));
    const token = await readToken(parsed);

    try {
      const { protectedHeader, payload } = await verify(token);
      await writeStdout(`${JSON.stringify({ verified: true, header: protectedHeader, payload }, null, 2)}\n`);
    } catch (error) {
      if (error instanceof BulwarkError && !CONFIGURATION_CODES.has(error.code)) {
        throw new CliError(`verification failed: ${error.message} (${error.code})`, EXIT_FAILURE);
      }
      throw error;
    }
  },
};

async function verifierOptions(parsed: ParsedArguments): Promise<JwtVerifierOptions> {
  const jwksUri = singleValue(parsed, 'jwks');
  const keyFile = singleValue(parsed, 'key');
  if ((jwksUri === undefined) === (keyFile === undefined)) {
    throw new UsageError('pass exactly one of --jwks URL or --key FILE');
  }

  const algorithms = readAlgorithms(parsed.values.alg);
  const issuer = singleValue(parsed, 'issuer');
  const audience = singleValue(parsed, 'audience');
  const keySource = jwksUri !== undefined ? { jwksUri } : { key: await readVerificationKey(keyFile!) };

  return {
    ...keySource,
    ...(algorithms === undefined ? {} : { algorithms }),
    ...(issuer === undefined ? {} : { issuer }),
    ...(audience === undefined ? {} : { audience }),
  } as JwtVerifierOptions;
}

function readAlgorithms(values: unknown): JwtAlgorithm[] | undefined {
  if (!Array.isArray(values) || values.length === 0) {
    return undefined;
  }

  const names = values.flatMap((value: string) => value.split(',')).map((name) => name.trim());
  for (const name of names) {
    if (!(JWT_ALGORITHMS as readonly string[]).includes(name)) {
      throw new UsageError(`--alg must be one of ${JWT_ALGORITHMS.join(', ')}`);
    }
  }
  return names as JwtAlgorithm[];
}

async function readToken(parsed: ParsedArguments): Promise<string> {
  const argument = parsed.positionals[0];
  if (argument !== undefined) {
    return argument.trim();
  }
  if (stdinIsTerminal()) {
    throw new UsageError('pass the token as an argument or on stdin');
  }

  const token = (await readStdin(MAX_TOKEN_INPUT_BYTES)).toString('latin1').trim();
  if (token === '') {
    throw new UsageError('stdin is empty; pass the token as an argument or on stdin');
  }
  return token;
}
