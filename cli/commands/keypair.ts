import type { KeypairAlgorithm } from '../../src/crypto/index.js';
import { chooseOne, singleValue, type Command } from '../command.js';
import { writeStdout } from '../io.js';

const ALGORITHMS: readonly KeypairAlgorithm[] = ['EdDSA', 'ES256', 'PS256', 'RS256', 'X25519'];
const FORMATS = ['pem', 'jwk'] as const;

/** `bulwark keypair`: prints a new asymmetric key pair. */
export const keypairCommand: Command = {
  name: 'keypair',
  summary: 'print a new key pair (EdDSA, ES256, PS256, RS256 or X25519) as PEM or JWK',
  help: `Usage: bulwark keypair [--alg EdDSA|ES256|PS256|RS256|X25519] [--format pem|jwk]

Generates a key pair and prints it to stdout. The private key is a secret: redirect the output to
a file that only its owner can read.

  pem  the private key (PKCS#8), then the public key (SPKI), as PEM blocks
  jwk  one JSON object {"kid", "publicKey", "privateKey"}; both JWKs carry the kid, and alg
       except for X25519

The kid is the RFC 7638 thumbprint of the public key.

Options:
  --alg NAME     EdDSA (default, Ed25519), ES256 (P-256), PS256 or RS256 (RSA, 3072 bits),
                 or X25519 (key agreement, as for encrypted responses)
  --format NAME  pem (default) or jwk
  -h, --help     show this help

Example:
  (umask 077; bulwark keypair --alg ES256 > signing.pem)
`,
  options: { alg: { type: 'string' }, format: { type: 'string' } },
  maxPositionals: 0,
  async run(parsed) {
    const algorithm = chooseOne('alg', singleValue(parsed, 'alg'), ALGORITHMS, 'EdDSA');
    const format = chooseOne('format', singleValue(parsed, 'format'), FORMATS, 'pem');
    const { generateKeypair } = await import('../../src/crypto/index.js');

    if (format === 'jwk') {
      const { kid, publicKey, privateKey } = generateKeypair(algorithm, { format: 'jwk' });
      await writeStdout(`${JSON.stringify({ kid, publicKey, privateKey }, null, 2)}\n`);
      return;
    }

    const { privateKey, publicKey } = generateKeypair(algorithm, { format: 'pem' });
    await writeStdout(`${privateKey}${publicKey}`);
  },
};
