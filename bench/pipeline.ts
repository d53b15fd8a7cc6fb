// The full pipeline: securityHeaders + requireJwt + validateBody against bare Express with
// express.json(), and helmet alone for reference.
import { randomBytes } from 'node:crypto';

import { SignJWT } from 'jose';

import { HTTP_FULL, HTTP_QUICK, measureHttp, type HttpCase } from './lib/http.js';
import { runStandalone, type AreaReport, type BenchOptions, type TargetResult } from './lib/report.js';
import { formatRatio, formatSummary } from './lib/stats.js';
import { orderBody } from './servers/order-body.js';

export async function run(options: BenchOptions): Promise<AreaReport> {
  const secret = randomBytes(32).toString('base64url');
  const now = Math.floor(Date.now() / 1000);
  const tokens = await Promise.all(
    Array.from({ length: options.quick ? 10 : 200 }, (_, index) =>
      new SignJWT({ scope: 'orders:write' })
        .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
        .setSubject(`user-${index}`)
        .setIssuedAt(now)
        .setExpirationTime(now + 3600)
        .sign(Buffer.from(secret)),
    ),
  );

  const body = JSON.stringify(orderBody);
  const requests = tokens.map((token) => ({
    method: 'POST' as const,
    path: '/orders',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body,
  }));
  const cases: HttpCase[] = [
    { name: 'bare Express 5 + express.json()', server: 'pipeline-express.ts', env: { BENCH_MODE: 'bare' }, requests, expectStatus: 201 },
    { name: 'helmet + express.json()', server: 'pipeline-express.ts', env: { BENCH_MODE: 'helmet' }, requests, expectStatus: 201 },
    {
      name: 'securityHeaders + requireJwt + validateBody',
      server: 'pipeline-express.ts',
      env: { BENCH_MODE: 'bulwark', BENCH_KEY: secret },
      requests,
      expectStatus: 201,
    },
  ];
  const results = await measureHttp(cases, options.quick ? HTTP_QUICK : HTTP_FULL);
  const bare = results.get('bare Express 5 + express.json()')!.median;

  const pipelineShare = results.get('securityHeaders + requireJwt + validateBody')!.median / bare;
  const targets: TargetResult[] = [
    {
      measure: 'securityHeaders + requireJwt + validateBody, share of bare Express',
      target: '>= 0.75x',
      measured: formatRatio(pipelineShare),
      met: pipelineShare >= 0.75,
      bound: 'each request pays an HS256 check and a body parse and validation; see the JWT and validation tables for each part\'s share.',
    },
  ];

  return {
    title: 'Full pipeline',
    targets,
    tables: [
      {
        caption: 'Express 5: requests a second of POST /orders with a 10-field body (share of bare Express; target 0.75x)',
        columns: ['case', 'req/s', 'share'],
        rows: [...results].map(([name, summary]) => [name, formatSummary(summary), formatRatio(summary.median / bare)]),
      },
    ],
    notes: ['Each request carries a distinct HS256 token from a pool, so no cache could serve it; requireJwt runs with its defaults.'],
  };
}

await runStandalone(import.meta.url, run);
