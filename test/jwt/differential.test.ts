// Differential test: bulwark's verifier and jose's jwtVerify must agree on accept or reject.
import { constants, createHmac, sign, type KeyObject } from 'node:crypto';

import { importJWK, jwtVerify, SignJWT, type JWK, type JWTVerifyOptions } from 'jose';
import { describe, expect, it } from 'vitest';

import { createJwtVerifier, JWT_ALGORITHMS, signJwt, type JwtAlgorithm } from 'bulwark/core';

import { KEY_PAIRS } from './keys.js';

const NOW_MS = Date.UTC(2030, 0, 1, 12);
const NOW = NOW_MS / 1000;
const ISSUER = 'https://auth.example/';
const AUDIENCE = 'https://api.example/';
const CLOCK_TOLERANCE = 30;
const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

const CLAIMS = { sub: 'user-1', iss: ISSUER, aud: AUDIENCE, iat: NOW, exp: NOW + 600 };

interface Tally {
  cases: number;
  accepted: number;
  /** Tokens that jose accepts and bulwark rejects because they are not strict, canonical base64url. */
  stricterEncoding: number;
  disagreements: string[];
}

/**
 * Tells whether a compact token breaks a bulwark encoding rule that jose does not apply: a
 * character outside the base64url alphabet, or a segment that is not the canonical encoding.
 */
function breaksStrictEncoding(token: string): boolean {
  const segments = token.split('.');
  if (segments.length !== 3 || !/^[A-Za-z0-9_.-]+$/.test(token)) {
    return true;
  }
  return segments.some((segment) => Buffer.from(segment, 'base64url').toString('base64url') !== segment);
}

/** Options shared by both sides, in jose's names; `requiredClaims: ['exp']` matches bulwark's default. */
function joseOptions(algorithm: JwtAlgorithm): JWTVerifyOptions {
  return {
    algorithms: [algorithm],
    issuer: ISSUER,
    audience: AUDIENCE,
    clockTolerance: CLOCK_TOLERANCE,
    currentDate: new Date(NOW_MS),
    requiredClaims: ['exp'],
  };
}

async function joseAccepts(token: string, key: Uint8Array | CryptoKey, options: JWTVerifyOptions): Promise<boolean> {
  try {
    await jwtVerify(token, key, options);
    return true;
  } catch {
    return false;
  }
}

async function bulwarkAccepts(verify: (token: string) => Promise<unknown>, token: string): Promise<boolean> {
  try {
    await verify(token);
    return true;
  } catch (error) {
    if (!(error as { code?: string }).code?.startsWith('ERR_')) throw error;
    return false;
  }
}

async function compare(
  tally: Tally,
  label: string,
  token: string,
  algorithm: JwtAlgorithm,
  verify: (token: string) => Promise<unknown>,
  jose: { key: Uint8Array | CryptoKey; options: JWTVerifyOptions },
) {
  const [ours, theirs] = await Promise.all([bulwarkAccepts(verify, token), joseAccepts(token, jose.key, jose.options)]);
  tally.cases += 1;
  if (ours) tally.accepted += 1;

  if (ours === theirs) return;
  if (!ours && theirs && breaksStrictEncoding(token)) {
    tally.stricterEncoding += 1;
    return;
  }
  tally.disagreements.push(`${algorithm} ${label}: bulwark ${ours ? 'accepts' : 'rejects'}, jose ${theirs ? 'accepts' : 'rejects'}`);
}

/** Signs header and payload objects with the algorithm's private key, bypassing signJwt's checks. */
function signRaw(algorithm: JwtAlgorithm, header: object, payload: unknown): string {
  const input = `${Buffer.from(JSON.stringify(header)).toString('base64url')}.${Buffer.from(JSON.stringify(payload)).toString('base64url')}`;
  const pair = KEY_PAIRS[algorithm];
  const hash = `sha${algorithm.slice(2)}`;
  let signature: Buffer;
  if (algorithm.startsWith('HS')) {
    signature = createHmac(hash, pair.privateKey as Buffer).update(input).digest();
  } else if (algorithm === 'EdDSA') {
    signature = sign(null, Buffer.from(input), pair.privateKey as KeyObject);
  } else if (algorithm.startsWith('ES')) {
    signature = sign(hash, Buffer.from(input), { key: pair.privateKey as KeyObject, dsaEncoding: 'ieee-p1363' });
  } else if (algorithm.startsWith('PS')) {
    signature = sign(hash, Buffer.from(input), { key: pair.privateKey as KeyObject, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: Number(algorithm.slice(2)) / 8 });
  } else {
    signature = sign(hash, Buffer.from(input), pair.privateKey as KeyObject);
  }
  return `${input}.${signature.toString('base64url')}`;
}

function characterMutations(token: string): Array<[string, string]> {
  const mutations: Array<[string, string]> = [];
  for (let index = 0; index < token.length; index++) {
    const char = token[index] as string;
    const neighbour = ALPHABET[(ALPHABET.indexOf(char) + 1) % ALPHABET.length] ?? 'A';
    const flipped = String.fromCharCode(char.charCodeAt(0) ^ 1);
    mutations.push([`char ${index} to neighbour`, token.slice(0, index) + neighbour + token.slice(index + 1)]);
    mutations.push([`char ${index} bit flip`, token.slice(0, index) + flipped + token.slice(index + 1)]);
  }
  return mutations;
}

function segmentMutations(token: string): Array<[string, string]> {
  const [h, p, s] = token.split('.') as [string, string, string];
  return [
    ['swap header and payload', `${p}.${h}.${s}`],
    ['rotate segments', `${s}.${h}.${p}`],
    ['header twice', `${h}.${h}.${s}`],
    ['payload as signature', `${h}.${p}.${p}`],
    ['no signature', `${h}.${p}.`],
    ['no payload', `${h}..${s}`],
    ['two segments', `${h}.${p}`],
    ['four segments', `${token}.${s}`],
    ['truncated signature', `${h}.${p}.${s.slice(0, -2)}`],
    ['extended signature', `${h}.${p}.${s}AA`],
    ['padded signature', `${h}.${p}.${s}=`],
    ['leading space', ` ${token}`],
  ];
}

function headerVariants(algorithm: JwtAlgorithm, signingPayload: object): Array<[string, string]> {
  const [, p, s] = signRaw(algorithm, { alg: algorithm, typ: 'JWT' }, signingPayload).split('.') as [string, string, string];
  const unsigned = (header: object) => `${Buffer.from(JSON.stringify(header)).toString('base64url')}.${p}.${s}`;
  const variants: Array<[string, string]> = [];

  for (const other of [...JWT_ALGORITHMS, 'none', 'HS256 ', 'hs256']) {
    variants.push([`alg ${other}, old signature`, unsigned({ alg: other, typ: 'JWT' })]);
    variants.push([`alg ${other}, re-signed`, signRaw(algorithm, { alg: other, typ: 'JWT' }, signingPayload)]);
  }
  const headers: Array<[string, object]> = [
    ['kid added', { alg: algorithm, kid: 'k1' }],
    ['typ at+jwt', { alg: algorithm, typ: 'at+jwt' }],
    ['unknown parameter', { alg: algorithm, x: 1 }],
    ['crit exp', { alg: algorithm, crit: ['exp'], exp: 1 }],
    ['crit empty', { alg: algorithm, crit: [] }],
    ['crit b64', { alg: algorithm, crit: ['b64'], b64: true }],
    ['no alg', { typ: 'JWT' }],
    ['jku header', { alg: algorithm, jku: 'http://127.0.0.1:9/keys' }],
  ];
  for (const [label, header] of headers) {
    variants.push([`${label}, old signature`, unsigned(header)]);
    variants.push([`${label}, re-signed`, signRaw(algorithm, header, signingPayload)]);
  }
  return variants;
}

function claimVariants(algorithm: JwtAlgorithm): Array<[string, string]> {
  const header = { alg: algorithm, typ: 'JWT' };
  const payloads: Array<[string, unknown]> = [
    ['valid', CLAIMS],
    ['expired', { ...CLAIMS, exp: NOW - 3600 }],
    ['exp within tolerance', { ...CLAIMS, exp: NOW - 10 }],
    ['exp at the tolerance edge', { ...CLAIMS, exp: NOW - CLOCK_TOLERANCE }],
    ['no exp', { ...CLAIMS, exp: undefined }],
    ['exp as a string', { ...CLAIMS, exp: String(NOW + 600) }],
    ['nbf in the future', { ...CLAIMS, nbf: NOW + 3600 }],
    ['nbf within tolerance', { ...CLAIMS, nbf: NOW + 10 }],
    ['nbf as a string', { ...CLAIMS, nbf: 'soon' }],
    ['iat as a string', { ...CLAIMS, iat: 'now' }],
    ['wrong issuer', { ...CLAIMS, iss: 'https://evil.example/' }],
    ['issuer as a list', { ...CLAIMS, iss: [ISSUER] }],
    ['no issuer', { ...CLAIMS, iss: undefined }],
    ['audience list containing ours', { ...CLAIMS, aud: ['https://x.example/', AUDIENCE] }],
    ['audience list without ours', { ...CLAIMS, aud: ['https://x.example/'] }],
    ['wrong audience', { ...CLAIMS, aud: 'https://x.example/' }],
    ['no audience', { ...CLAIMS, aud: undefined }],
    ['payload is a list', [CLAIMS]],
    ['payload is a number', 7],
    ['payload is null', null],
  ];
  return payloads.map(([label, payload]) => [label, signRaw(algorithm, header, payload)]);
}

async function joseKeyFor(algorithm: JwtAlgorithm): Promise<Uint8Array | CryptoKey> {
  const pair = KEY_PAIRS[algorithm];
  if (algorithm.startsWith('HS')) return new Uint8Array(pair.publicKey as Buffer);
  return (await importJWK((pair.publicKey as KeyObject).export({ format: 'jwk' }) as JWK, algorithm)) as CryptoKey;
}

async function joseSigningKeyFor(algorithm: JwtAlgorithm): Promise<Uint8Array | CryptoKey> {
  const pair = KEY_PAIRS[algorithm];
  if (algorithm.startsWith('HS')) return new Uint8Array(pair.privateKey as Buffer);
  return (await importJWK((pair.privateKey as KeyObject).export({ format: 'jwk' }) as JWK, algorithm)) as CryptoKey;
}

describe('differential test against jose jwtVerify', () => {
  it('agrees on every valid and mutated token', async () => {
    const tally: Tally = { cases: 0, accepted: 0, stricterEncoding: 0, disagreements: [] };

    for (const algorithm of JWT_ALGORITHMS) {
      const joseKey = await joseKeyFor(algorithm);
      const verify = createJwtVerifier({
        key: KEY_PAIRS[algorithm].publicKey,
        algorithms: [algorithm],
        issuer: ISSUER,
        audience: AUDIENCE,
        clockTolerance: CLOCK_TOLERANCE,
        now: () => NOW_MS,
      });

      const joseSigned = await new SignJWT(CLAIMS).setProtectedHeader({ alg: algorithm, typ: 'JWT' }).sign(await joseSigningKeyFor(algorithm));
      const ourSigned = await signJwt({ sub: 'user-1' }, KEY_PAIRS[algorithm].privateKey, {
        algorithm,
        issuer: ISSUER,
        audience: AUDIENCE,
        expiresIn: 600,
        now: () => NOW_MS,
      });

      const cases: Array<[string, string]> = [
        ['signed by jose', joseSigned],
        ['signed by bulwark', ourSigned],
        ...characterMutations(joseSigned),
        ...segmentMutations(joseSigned),
        ...segmentMutations(ourSigned),
        ...headerVariants(algorithm, CLAIMS),
        ...claimVariants(algorithm),
      ];
      for (const [label, token] of cases) {
        await compare(tally, label, token, algorithm, verify, { key: joseKey, options: joseOptions(algorithm) });
      }
    }

    console.log(
      `differential test: ${tally.cases} cases, ${tally.accepted} accepted by both, ` +
        `${tally.stricterEncoding} rejected only by bulwark for non-canonical base64url, ${tally.disagreements.length} disagreements`,
    );
    expect(tally.disagreements).toEqual([]);
    expect(tally.accepted).toBeGreaterThanOrEqual(JWT_ALGORITHMS.length * 2);
  }, 120_000);

  it('agrees under typ, maxTokenAge, lists and required claims', async () => {
    const tally: Tally = { cases: 0, accepted: 0, stricterEncoding: 0, disagreements: [] };
    const shared = { typ: 'at+jwt', maxTokenAge: 300, requiredClaims: ['sub', 'exp'], issuer: [ISSUER, 'https://b.example/'], audience: ['https://x.example/', AUDIENCE] };

    for (const algorithm of JWT_ALGORITHMS) {
      const joseKey = await joseKeyFor(algorithm);
      const verify = createJwtVerifier({
        key: KEY_PAIRS[algorithm].publicKey,
        algorithms: [algorithm],
        clockTolerance: CLOCK_TOLERANCE,
        now: () => NOW_MS,
        ...shared,
      });
      const jose = { key: joseKey, options: { ...joseOptions(algorithm), ...shared } };

      const typs: Array<string | undefined> = ['at+jwt', 'application/at+jwt', 'AT+JWT', 'JWT', 'application/jwt', undefined];
      const payloads: Array<[string, unknown]> = [
        ['valid', CLAIMS],
        ['issued long ago', { ...CLAIMS, iat: NOW - 3600 }],
        ['age within tolerance', { ...CLAIMS, iat: NOW - 300 - 10 }],
        ['issued in the future', { ...CLAIMS, iat: NOW + 3600 }],
        ['no iat', { ...CLAIMS, iat: undefined }],
        ['no sub', { ...CLAIMS, sub: undefined }],
        ['second issuer', { ...CLAIMS, iss: 'https://b.example/' }],
        ['first audience only', { ...CLAIMS, aud: 'https://x.example/' }],
        ['audience list with neither', { ...CLAIMS, aud: ['https://y.example/'] }],
      ];
      for (const typ of typs) {
        for (const [label, payload] of payloads) {
          const header = typ === undefined ? { alg: algorithm } : { alg: algorithm, typ };
          await compare(tally, `typ ${typ}, ${label}`, signRaw(algorithm, header, payload), algorithm, verify, jose);
        }
      }
    }

    console.log(`differential test with typ and maxTokenAge: ${tally.cases} cases, ${tally.accepted} accepted by both, ${tally.disagreements.length} disagreements`);
    expect(tally.disagreements).toEqual([]);
    expect(tally.accepted).toBeGreaterThan(0);
  }, 120_000);
});
