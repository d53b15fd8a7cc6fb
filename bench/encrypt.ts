// Encryption: encrypt and decrypt against jose's CompactEncrypt and compactDecrypt and against
// `openssl speed -evp aes-256-gcm` at the same sizes, and a 1 KiB JSON route with encryptResponse.
import { randomBytes } from 'node:crypto';

import { decrypt, encrypt, generateSecretKey, seal } from 'bulwark/core';
import { CompactEncrypt, compactDecrypt } from 'jose';

import { HTTP_FULL, HTTP_QUICK, measureHttp } from './lib/http.js';
import { opensslAesGcmSpeed } from './lib/machine.js';
import { MICRO_FULL, MICRO_QUICK, measureMicro } from './lib/micro.js';
import { runStandalone, type AreaReport, type BenchOptions, type TargetResult } from './lib/report.js';
import { formatRate, formatRatio, formatSummary } from './lib/stats.js';

const SIZES = [1024, 64 * 1024, 1024 * 1024];

function sizeLabel(size: number): string {
  return size >= 1024 * 1024 ? `${size / (1024 * 1024)} MiB` : `${size / 1024} KiB`;
}

export async function run(options: BenchOptions): Promise<AreaReport> {
  const micro = options.quick ? MICRO_QUICK : MICRO_FULL;
  const keyText = generateSecretKey();
  const keyBytes = Buffer.from(keyText, 'base64url');
  const openssl = opensslAesGcmSpeed(SIZES, options.quick ? 1 : 3);
  const rows: string[][] = [];
  const ratios = new Map<string, number>();

  for (const size of SIZES) {
    const plaintext = randomBytes(size);
    const ours = encrypt(plaintext, keyText);
    const theirs = await new CompactEncrypt(plaintext).setProtectedHeader({ alg: 'dir', enc: 'A256GCM' }).encrypt(keyBytes);
    const label = sizeLabel(size);

    const results = await measureMicro(
      [
        { name: `encrypt ${label}`, fn: () => encrypt(plaintext, keyText) },
        { name: `jose CompactEncrypt ${label}`, fn: () => new CompactEncrypt(plaintext).setProtectedHeader({ alg: 'dir', enc: 'A256GCM' }).encrypt(keyBytes) },
        { name: `decrypt ${label}`, fn: () => decrypt(ours, keyText) },
        { name: `jose compactDecrypt ${label}`, fn: () => compactDecrypt(theirs, keyBytes) },
      ],
      micro,
    );

    const ceiling = openssl.get(size);
    for (const [name, summary] of results) {
      const megabytes = (summary.median * size) / 1e6;
      const peer = name.startsWith('encrypt') ? results.get(`jose CompactEncrypt ${label}`)! : results.get(`jose compactDecrypt ${label}`)!;
      ratios.set(name, summary.median / peer.median);
      if (ceiling !== undefined) {
        ratios.set(`${name} vs openssl`, megabytes / ceiling);
      }
      rows.push([
        name,
        formatSummary(summary),
        formatRate(megabytes),
        formatRatio(summary.median / peer.median),
        ceiling === undefined ? 'n/a' : formatRatio(megabytes / ceiling),
      ]);
    }
  }

  // What bounds encrypt at 1 MiB: the AES-GCM step alone, and the base64url encoding JWE compact needs.
  const mebibyte = randomBytes(1024 * 1024);
  const parts = await measureMicro(
    [
      { name: 'seal', fn: () => seal(keyText, mebibyte) },
      { name: 'base64url', fn: () => mebibyte.toString('base64url') },
    ],
    micro,
  );
  const sealShare = (parts.get('seal')!.median * mebibyte.length) / 1e6 / (openssl.get(1024 * 1024) ?? Number.NaN);
  const encodeMicroseconds = 1e6 / parts.get('base64url')!.median;

  const http = options.quick ? HTTP_QUICK : HTTP_FULL;
  const httpResults = await measureHttp(
    [
      { name: 'Express 5, 1 KiB JSON', server: 'encrypt-express.ts', env: { BENCH_MODE: 'bare' }, requests: [{ path: '/' }] },
      { name: 'Express 5, 1 KiB JSON, encryptResponse', server: 'encrypt-express.ts', env: { BENCH_MODE: 'bulwark', BENCH_KEY: keyText }, requests: [{ path: '/' }] },
    ],
    http,
  );
  const bare = httpResults.get('Express 5, 1 KiB JSON')!.median;

  const oneKiB = ratios.get('encrypt 1 KiB') ?? Number.NaN;
  const oneMiB = ratios.get('encrypt 1 MiB vs openssl') ?? Number.NaN;
  const targets: TargetResult[] = [
    { measure: 'encrypt, 1 KiB messages a second against jose', target: '>= 10x', measured: formatRatio(oneKiB), met: oneKiB >= 10 },
    {
      measure: 'encrypt, MB/s at 1 MiB against openssl speed',
      target: '>= 0.40x',
      measured: formatRatio(oneMiB),
      met: oneMiB >= 0.4,
      bound: `the AES-256-GCM step alone (seal) reaches ${formatRatio(sealShare)} of openssl speed, and Node's base64url encoding of 1 MiB takes ${encodeMicroseconds.toFixed(0)} us more, which JWE compact serialization needs.`,
    },
  ];

  return {
    title: 'Encryption (JWE dir + A256GCM)',
    targets,
    tables: [
      {
        caption: 'encrypt and decrypt: messages a second, MB/s, ratio to jose, share of `openssl speed -evp aes-256-gcm`',
        columns: ['case', 'ops/s', 'MB/s', 'vs jose', 'vs openssl'],
        rows,
      },
      {
        caption: 'openssl speed -evp aes-256-gcm (the machine\'s ceiling)',
        columns: ['size', 'MB/s'],
        rows: SIZES.map((size) => [sizeLabel(size), formatRate(openssl.get(size) ?? Number.NaN)]),
      },
      {
        caption: 'Express 5: requests a second of a 1 KiB JSON route',
        columns: ['case', 'req/s', 'share'],
        rows: [...httpResults].map(([name, summary]) => [name, formatSummary(summary), formatRatio(summary.median / bare)]),
      },
    ],
    notes: [
      'The "vs jose" column of an encrypt row compares with CompactEncrypt, of a decrypt row with compactDecrypt, both with alg dir and enc A256GCM.',
      'MB/s counts plaintext bytes (10^6 bytes a second).',
    ],
  };
}

await runStandalone(import.meta.url, run);
