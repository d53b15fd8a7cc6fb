// JWT verification: verifyJwt against fast-jwt, jose and jsonwebtoken, and requireJwt against bare
// Express and Koa, express-jwt, koa-jwt and a middleware on jose's jwtVerify.
import { createHmac, createPublicKey, createSecretKey, generateKeyPairSync, randomBytes, timingSafeEqual, verify, type KeyObject } from 'node:crypto';

import { createJwtVerifier } from 'bulwark/core';
import { createVerifier } from 'fast-jwt';
import { SignJWT, jwtVerify } from 'jose';
import jsonwebtoken from 'jsonwebtoken';

import { HTTP_FULL, HTTP_QUICK, measureHttp, type HttpCase } from './lib/http.js';
import { MICRO_FULL, MICRO_QUICK, measureMicro, type MicroCase } from './lib/micro.js';
import { runStandalone, type AreaReport, type BenchOptions, type TargetResult } from './lib/report.js';
import { formatRate, formatRatio, formatSummary, type Summary } from './lib/stats.js';

type Algorithm = 'HS256' | 'RS256' | 'ES256' | 'EdDSA';
const ALGORITHMS: Algorithm[] = ['HS256', 'RS256', 'ES256', 'EdDSA'];

interface KeyMaterial {
  algorithm: Algorithm;
  /** The verifier's key: the HMAC secret text or the public key PEM. */
  verifyKey: string;
  signKey: KeyObject;
  publicKey: KeyObject;
}

function makeKeys(algorithm: Algorithm): KeyMaterial {
  if (algorithm === 'HS256') {
    const secret = randomBytes(32).toString('base64url');
    const key = createSecretKey(Buffer.from(secret));
    return { algorithm, verifyKey: secret, signKey: key, publicKey: key };
  }

  const pair =
    algorithm === 'RS256'
      ? generateKeyPairSync('rsa', { modulusLength: 2048 })
      : algorithm === 'ES256'
        ? generateKeyPairSync('ec', { namedCurve: 'P-256' })
        : generateKeyPairSync('ed25519');
  const pem = pair.publicKey.export({ type: 'spki', format: 'pem' }).toString();
  return { algorithm, verifyKey: pem, signKey: pair.privateKey, publicKey: createPublicKey(pem) };
}

function makeTokens(keys: KeyMaterial, count: number): Promise<string[]> {
  const now = Math.floor(Date.now() / 1000);
  return Promise.all(
    Array.from({ length: count }, (_, index) =>
      new SignJWT({ scope: 'orders:read', n: index })
        .setProtectedHeader({ alg: keys.algorithm, typ: 'JWT' })
        .setSubject(`user-${index}`)
        .setIssuedAt(now)
        .setExpirationTime(now + 3600)
        .sign(keys.signKey),
    ),
  );
}

/** Builds the case that times OpenSSL's own signature check of one token through node:crypto. */
function opensslCheck(keys: KeyMaterial, token: string): MicroCase {
  const [header, payload, signature] = token.split('.') as [string, string, string];
  const data = Buffer.from(`${header}.${payload}`);
  const signatureBytes = Buffer.from(signature, 'base64url');
  if (keys.algorithm === 'HS256') {
    return {
      name: `${keys.algorithm} node:crypto HMAC`,
      fn: () => timingSafeEqual(createHmac('sha256', keys.signKey).update(data).digest(), signatureBytes),
    };
  }
  const digest = keys.algorithm === 'EdDSA' ? null : 'sha256';
  const options = keys.algorithm === 'ES256' ? { key: keys.publicKey, dsaEncoding: 'ieee-p1363' as const } : keys.publicKey;
  return { name: `${keys.algorithm} node:crypto verify`, fn: () => verify(digest, data, options, signatureBytes) };
}

async function microCases(keys: KeyMaterial, token: string): Promise<MicroCase[]> {
  const bulwark = createJwtVerifier({ key: keys.verifyKey, algorithms: [keys.algorithm] });
  const fast = createVerifier({ key: keys.verifyKey, algorithms: [keys.algorithm], cache: false });
  const joseKey = keys.publicKey;
  const cases: MicroCase[] = [
    { name: `${keys.algorithm} bulwark verifyJwt`, fn: () => bulwark(token) },
    { name: `${keys.algorithm} fast-jwt`, fn: () => fast(token) },
    { name: `${keys.algorithm} jose jwtVerify`, fn: () => jwtVerify(token, joseKey, { algorithms: [keys.algorithm] }) },
  ];
  if (keys.algorithm !== 'EdDSA') {
    cases.push({ name: `${keys.algorithm} jsonwebtoken`, fn: () => jsonwebtoken.verify(token, keys.verifyKey, { algorithms: [keys.algorithm as 'HS256'] }) });
  }
  cases.push(opensslCheck(keys, token));
  return cases;
}

function bearer(token: string): Record<string, string> {
  return { authorization: `Bearer ${token}` };
}

export async function run(options: BenchOptions): Promise<AreaReport> {
  const micro = options.quick ? MICRO_QUICK : MICRO_FULL;
  const http = options.quick ? HTTP_QUICK : HTTP_FULL;
  const keys = new Map(ALGORITHMS.map((algorithm) => [algorithm, makeKeys(algorithm)]));
  const tokens = new Map<Algorithm, string[]>();
  for (const [algorithm, material] of keys) {
    tokens.set(algorithm, await makeTokens(material, options.quick ? 20 : 400));
  }

  // Verifications a second, cache off.
  const microRows: string[][] = [];
  const microRatios = new Map<Algorithm, number>();
  const opensslRate = new Map<Algorithm, number>();
  for (const algorithm of ALGORITHMS) {
    const results = await measureMicro(await microCases(keys.get(algorithm)!, tokens.get(algorithm)![0]!), micro);
    const fast = results.get(`${algorithm} fast-jwt`)!.median;
    microRatios.set(algorithm, results.get(`${algorithm} bulwark verifyJwt`)!.median / fast);
    for (const [name, summary] of results) {
      microRows.push([name, formatSummary(summary), formatRatio(summary.median / fast)]);
      if (name.includes('node:crypto')) {
        opensslRate.set(algorithm, summary.median);
      }
    }
  }

  // Requests a second through Express 5.
  const env = (mode: string, algorithm: Algorithm, cache = 'off') => ({
    BENCH_MODE: mode,
    BENCH_ALG: algorithm,
    BENCH_KEY: keys.get(algorithm)!.verifyKey,
    BENCH_CACHE: cache,
  });
  const one = (algorithm: Algorithm) => [{ path: '/', headers: bearer(tokens.get(algorithm)![0]!) }];
  const many = (algorithm: Algorithm) => tokens.get(algorithm)!.map((token) => ({ path: '/', headers: bearer(token) }));
  const expressCases: HttpCase[] = [
    { name: 'bare Express 5', server: 'jwt-express.ts', env: env('bare', 'HS256'), requests: one('HS256') },
    { name: 'requireJwt HS256', server: 'jwt-express.ts', env: env('bulwark', 'HS256'), requests: many('HS256') },
    { name: 'express-jwt HS256', server: 'jwt-express.ts', env: env('express-jwt', 'HS256'), requests: many('HS256') },
    { name: 'jose middleware HS256', server: 'jwt-express.ts', env: env('jose', 'HS256'), requests: many('HS256') },
    { name: 'HMAC check only (floor) HS256', server: 'jwt-express.ts', env: env('hmac', 'HS256'), requests: many('HS256') },
    { name: 'express-jwt RS256', server: 'jwt-express.ts', env: env('express-jwt', 'RS256'), requests: one('RS256') },
  ];
  for (const algorithm of ['RS256', 'ES256', 'EdDSA'] as const) {
    expressCases.push(
      { name: `requireJwt ${algorithm}, one token, cache on`, server: 'jwt-express.ts', env: env('bulwark', algorithm, 'on'), requests: one(algorithm) },
      { name: `requireJwt ${algorithm}, fresh tokens, cache off`, server: 'jwt-express.ts', env: env('bulwark', algorithm), requests: many(algorithm) },
    );
  }
  const expressResults = await measureHttp(expressCases, http);
  const bareExpress = expressResults.get('bare Express 5')!.median;

  const koaCases: HttpCase[] = [
    { name: 'bare Koa 3', server: 'jwt-koa.ts', env: env('bare', 'HS256'), requests: one('HS256') },
    { name: 'requireJwt (Koa) HS256', server: 'jwt-koa.ts', env: env('bulwark', 'HS256'), requests: many('HS256') },
    { name: 'koa-jwt HS256', server: 'jwt-koa.ts', env: env('koa-jwt', 'HS256'), requests: many('HS256') },
    { name: 'jose middleware (Koa) HS256', server: 'jwt-koa.ts', env: env('jose', 'HS256'), requests: many('HS256') },
    { name: 'HMAC check only (floor, Koa) HS256', server: 'jwt-koa.ts', env: env('hmac', 'HS256'), requests: many('HS256') },
  ];
  const koaResults = await measureHttp(koaCases, http);
  const bareKoa = koaResults.get('bare Koa 3')!.median;

  const shareRows = (results: Map<string, Summary>, bare: number) =>
    [...results].map(([name, summary]) => [name, formatSummary(summary), formatRatio(summary.median / bare)]);

  // Added time per request for fresh tokens, against OpenSSL's own check of one signature.
  const addedRows = (['RS256', 'ES256', 'EdDSA'] as const).map((algorithm) => {
    const rate = expressResults.get(`requireJwt ${algorithm}, fresh tokens, cache off`)!.median;
    const addedMicroseconds = (1 / rate - 1 / bareExpress) * 1e6;
    const checkMicroseconds = 1e6 / (opensslRate.get(algorithm) ?? Number.NaN);
    const budget = 1.25 * checkMicroseconds + 10;
    return [algorithm, addedMicroseconds.toFixed(1), checkMicroseconds.toFixed(1), budget.toFixed(1), addedMicroseconds <= budget ? 'met' : 'missed'];
  });

  const share = (results: Map<string, Summary>, name: string, bare: number) => results.get(name)!.median / bare;
  const expressHmacFloor = share(expressResults, 'HMAC check only (floor) HS256', bareExpress);
  const koaHmacFloor = share(koaResults, 'HMAC check only (floor, Koa) HS256', bareKoa);
  const targets: TargetResult[] = [
    {
      measure: 'requireJwt, Express 5, HS256, share of bare Express',
      target: '>= 0.90x',
      measured: formatRatio(share(expressResults, 'requireJwt HS256', bareExpress)),
      met: share(expressResults, 'requireJwt HS256', bareExpress) >= 0.9,
      bound: `an HMAC check alone in front of the route reaches ${formatRatio(expressHmacFloor)} of bare Express in this run.`,
    },
    ...(['RS256', 'ES256', 'EdDSA'] as const).map((algorithm) => {
      const value = share(expressResults, `requireJwt ${algorithm}, one token, cache on`, bareExpress);
      return { measure: `requireJwt, Express 5, ${algorithm}, one token (cache), share of bare Express`, target: '>= 0.90x', measured: formatRatio(value), met: value >= 0.9 };
    }),
    ...addedRows.map(([algorithm, added, check, budget, result]) => ({
      measure: `requireJwt, Express 5, ${algorithm}, fresh tokens: added time per request`,
      target: `<= 1.25x OpenSSL's check + 10 us (${budget} us)`,
      measured: `${added} us (OpenSSL check ${check} us)`,
      met: result === 'met',
      bound: 'the server and autocannon share the two cores, so each microsecond of CPU in the request path costs several at the server; the verifier itself runs at the rate in the verifyJwt table.',
    })),
    {
      measure: 'requireJwt, Koa 3, HS256, share of bare Koa',
      target: '>= 0.80x',
      measured: formatRatio(share(koaResults, 'requireJwt (Koa) HS256', bareKoa)),
      met: share(koaResults, 'requireJwt (Koa) HS256', bareKoa) >= 0.8,
      bound: `an HMAC check alone in front of the response reaches ${formatRatio(koaHmacFloor)} of bare Koa in this run, so no HS256 verifier of every request can reach the target here.`,
    },
    ...ALGORITHMS.map((algorithm) => {
      const ratio = microRatios.get(algorithm)!;
      return { measure: `verifyJwt, ${algorithm}, verifications a second against fast-jwt`, target: '>= 1.00x', measured: formatRatio(ratio), met: ratio >= 1 };
    }),
  ];

  return {
    title: 'JWT verification',
    targets,
    tables: [
      { caption: 'verifyJwt: verifications a second, cache off (ratio to fast-jwt)', columns: ['case', 'ops/s', 'vs fast-jwt'], rows: microRows },
      { caption: 'Express 5: requests a second (share of bare Express)', columns: ['case', 'req/s', 'share'], rows: shareRows(expressResults, bareExpress) },
      { caption: 'Koa 3: requests a second (share of bare Koa)', columns: ['case', 'req/s', 'share'], rows: shareRows(koaResults, bareKoa) },
      {
        caption: 'Fresh tokens: time requireJwt adds per request against OpenSSL\'s signature check (target: at most 1.25x the check plus 10 us)',
        columns: ['algorithm', 'added us', 'OpenSSL check us', 'budget us', 'target'],
        rows: addedRows,
      },
    ],
    notes: [
      `HTTP: autocannon, ${http.connections} connections, ${http.durationSeconds} s per round after ${http.warmupSeconds} s of warm-up, ${http.rounds} rounds; the server runs in its own process.`,
      'Tokens carry sub, iat, exp and a scope; every verifier is configured with the key and the one algorithm, as each peer documents.',
      '"Fresh tokens" cycles through a pool of distinct tokens with the verified-token cache off, so every request pays for a full signature check.',
      `Peer rates for reference: ${formatRate(expressResults.get('express-jwt HS256')!.median)} req/s for express-jwt HS256.`,
    ],
  };
}

await runStandalone(import.meta.url, run);
