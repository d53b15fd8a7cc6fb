import { describe, expect, it } from 'vitest';
import { z } from 'zod';

import * as expressBulwark from 'bulwark';
import * as koaBulwark from 'bulwark/koa';

function codeAndMessageOf(run: () => unknown): { code: unknown; message: string } {
  try {
    run();
  } catch (error) {
    return { code: (error as { code?: unknown }).code, message: (error as Error).message };
  }
  throw new Error('expected the factory to throw');
}

const schema = z.object({ name: z.string() });

describe.each([
  ['Express', expressBulwark],
  ['Koa', koaBulwark],
])('validate options on %s', (_name, bulwark) => {
  it('leaves frozen options unchanged', () => {
    const bodyOptions = Object.freeze({ unknownKeys: 'strip', limitBytes: 2048, maxDepth: 8, urlencoded: true, maxParameters: 10 } as const);
    const queryOptions = Object.freeze({ unknownKeys: 'strip', maxDepth: 3, maxParameters: 10 } as const);
    const bodyBefore = structuredClone(bodyOptions);
    const queryBefore = structuredClone(queryOptions);

    expect(typeof bulwark.validateBody(schema, bodyOptions)).toBe('function');
    expect(typeof bulwark.validateQuery(schema, queryOptions)).toBe('function');
    expect(bodyOptions).toEqual(bodyBefore);
    expect(queryOptions).toEqual(queryBefore);
  });

  it.each([
    [{ unknownKeys: 'allow' }, 'unknownKeys'],
    [{ limitBytes: 0 }, 'limitBytes'],
    [{ limitBytes: 1.5 }, 'limitBytes'],
    [{ limitBytes: '100kb' }, 'limitBytes'],
    [{ maxDepth: -1 }, 'maxDepth'],
    [{ urlencoded: 'yes' }, 'urlencoded'],
    [{ maxParameters: Number.POSITIVE_INFINITY }, 'maxParameters'],
    [{ limit: 10 }, 'limit'],
  ])('rejects body options %j naming the option', (options, option) => {
    const { code, message } = codeAndMessageOf(() => bulwark.validateBody(schema, options as never));
    expect(code).toBe('ERR_OPTION_INVALID');
    expect(message).toContain(`"${option}"`);
  });

  it.each([
    [{ unknownKeys: 'keep' }, 'unknownKeys'],
    [{ maxDepth: 0 }, 'maxDepth'],
    [{ urlencoded: true }, 'urlencoded'],
  ])('rejects query options %j naming the option', (options, option) => {
    const { code, message } = codeAndMessageOf(() => bulwark.validateQuery(schema, options as never));
    expect(code).toBe('ERR_OPTION_INVALID');
    expect(message).toContain(`"${option}"`);
  });

  it('rejects a schema that does not compile at setup', () => {
    const broken = { type: 'object', properties: { name: { type: 'strin' } } };
    expect(codeAndMessageOf(() => bulwark.validateBody(broken)).code).toBe('ERR_SCHEMA_INVALID');
    expect(codeAndMessageOf(() => bulwark.validateQuery(broken)).code).toBe('ERR_SCHEMA_INVALID');
  });
});
