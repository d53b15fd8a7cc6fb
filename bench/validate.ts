// Validation: validate() against ajv and zod called directly, and validateBody against Express with
// express.json() alone and with express-validator, on one 10-field body.
import { validate } from 'bulwark/core';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';

import { HTTP_FULL, HTTP_QUICK, measureHttp, type HttpCase } from './lib/http.js';
import { MICRO_FULL, MICRO_QUICK, measureMicro } from './lib/micro.js';
import { runStandalone, type AreaReport, type BenchOptions, type TargetResult } from './lib/report.js';
import { formatRatio, formatSummary } from './lib/stats.js';
import { orderBody, orderJsonSchema, orderZodSchema } from './servers/order-body.js';

export async function run(options: BenchOptions): Promise<AreaReport> {
  const ajv = new Ajv2020({ strict: true });
  (addFormats as unknown as (instance: Ajv2020) => void)(ajv);
  const ajvValidate = ajv.compile(orderJsonSchema);
  if (!ajvValidate(orderBody) || !orderZodSchema.safeParse(orderBody).success) {
    throw new Error('the benchmark body does not match its own schemas');
  }

  const micro = await measureMicro(
    [
      { name: 'ajv compiled function', fn: () => ajvValidate(orderBody) },
      { name: 'validate, JSON Schema', fn: () => validate(orderBody, orderJsonSchema) },
      { name: 'zod safeParse', fn: () => orderZodSchema.safeParse(orderBody) },
      { name: 'validate, zod', fn: () => validate(orderBody, orderZodSchema) },
    ],
    options.quick ? MICRO_QUICK : MICRO_FULL,
  );

  const request = [{ method: 'POST' as const, path: '/orders', headers: { 'content-type': 'application/json' }, body: JSON.stringify(orderBody) }];
  const cases: HttpCase[] = [
    { name: 'express.json(), no validation', server: 'validate-express.ts', env: { BENCH_MODE: 'json' }, requests: request, expectStatus: 201 },
    { name: 'validateBody, JSON Schema', server: 'validate-express.ts', env: { BENCH_MODE: 'jsonschema' }, requests: request, expectStatus: 201 },
    { name: 'validateBody, zod', server: 'validate-express.ts', env: { BENCH_MODE: 'zod' }, requests: request, expectStatus: 201 },
    { name: 'express-validator', server: 'validate-express.ts', env: { BENCH_MODE: 'express-validator' }, requests: request, expectStatus: 201 },
  ];
  const http = await measureHttp(cases, options.quick ? HTTP_QUICK : HTTP_FULL);
  const baseline = http.get('express.json(), no validation')!.median;
  const ajvRate = micro.get('ajv compiled function')!.median;

  const jsonSchemaShare = http.get('validateBody, JSON Schema')!.median / baseline;
  const zodShare = http.get('validateBody, zod')!.median / baseline;
  const targets: TargetResult[] = [
    { measure: 'validateBody, JSON Schema, share of express.json()', target: '>= 0.90x', measured: formatRatio(jsonSchemaShare), met: jsonSchemaShare >= 0.9 },
    { measure: 'validateBody, zod, share of express.json()', target: '>= 0.85x', measured: formatRatio(zodShare), met: zodShare >= 0.85 },
  ];

  return {
    title: 'Validation',
    targets,
    tables: [
      {
        caption: 'validate(): calls a second on a 10-field body (ratio to ajv\'s compiled function)',
        columns: ['case', 'calls/s', 'vs ajv'],
        rows: [...micro].map(([name, summary]) => [name, formatSummary(summary), formatRatio(summary.median / ajvRate)]),
      },
      {
        caption: 'Express 5: requests a second of POST /orders (share of express.json() with no validation; targets 0.90x JSON Schema, 0.85x zod)',
        columns: ['case', 'req/s', 'share'],
        rows: [...http].map(([name, summary]) => [name, formatSummary(summary), formatRatio(summary.median / baseline)]),
      },
    ],
    notes: [
      'validateBody reads and parses the body itself; the other cases use express.json().',
    ],
  };
}

await runStandalone(import.meta.url, run);
