import { describe, expect, it } from 'vitest';

import { compileScopes, grantedScopes, hasRequiredScopes } from '../../middleware/http/scopes.js';
import { isBulwarkError } from '../../src/errors.js';

describe('grantedScopes', () => {
  it('unites scope, scp and permissions', () => {
    const granted = grantedScopes({ scope: 'a  b', scp: ['c'], permissions: ['d', 'e'] });
    expect([...granted].sort()).toEqual(['a', 'b', 'c', 'd', 'e']);
  });

  it('reads scp as a space-separated string', () => {
    expect([...grantedScopes({ scp: 'read write' })]).toEqual(['read', 'write']);
  });

  it.each([
    ['a number', { scope: 42 }],
    ['an object', { scope: { admin: true } }],
    ['a list of non-strings', { permissions: [1, null, {}] }],
    ['nothing', {}],
  ])('grants nothing for %s', (_name, payload) => {
    expect(grantedScopes(payload).size).toBe(0);
  });

  it('ignores scope claims inherited from the prototype', () => {
    const payload = Object.create({ scope: 'admin' }) as Record<string, unknown>;
    expect(grantedScopes(payload).size).toBe(0);
  });
});

describe('hasRequiredScopes', () => {
  const allOf = compileScopes(['orders:read', 'orders:write'])!;
  const anyOf = compileScopes({ anyOf: ['admin', 'support'] })!;
  const both = compileScopes({ allOf: ['orders:read'], anyOf: ['admin', 'support'] })!;

  it('requires every scope of a list', () => {
    expect(hasRequiredScopes({ scope: 'orders:read orders:write' }, allOf)).toBe(true);
    expect(hasRequiredScopes({ scope: 'orders:read' }, allOf)).toBe(false);
  });

  it('combines scopes from several claims', () => {
    expect(hasRequiredScopes({ scope: 'orders:read', permissions: ['orders:write'] }, allOf)).toBe(true);
  });

  it('requires one scope of anyOf', () => {
    expect(hasRequiredScopes({ scp: ['support'] }, anyOf)).toBe(true);
    expect(hasRequiredScopes({ scp: ['orders:read'] }, anyOf)).toBe(false);
  });

  it('requires allOf and anyOf together', () => {
    expect(hasRequiredScopes({ scope: 'orders:read admin' }, both)).toBe(true);
    expect(hasRequiredScopes({ scope: 'admin' }, both)).toBe(false);
    expect(hasRequiredScopes({ scope: 'orders:read' }, both)).toBe(false);
  });

  it.each([
    ['a prefix of the scope', { scope: 'orders' }],
    ['a scope that contains it', { scope: 'orders:write:draft' }],
    ['another case', { scope: 'ORDERS:WRITE orders:READ' }],
    ['two scopes in one list item', { permissions: ['orders:read orders:write'] }],
    ['both scopes joined by a comma', { scope: 'orders:read,orders:write' }],
  ])('stops scope escalation through %s', (_name, payload) => {
    expect(hasRequiredScopes(payload, allOf)).toBe(false);
  });
});

describe('compileScopes', () => {
  it('returns undefined when the option is not set', () => {
    expect(compileScopes(undefined)).toBeUndefined();
  });

  it('names the required scopes for the challenge once each', () => {
    expect(compileScopes({ allOf: ['a', 'b'], anyOf: ['b', 'c'] })!.challenge).toEqual(['a', 'b', 'c']);
  });

  it.each([
    ['an empty list', []],
    ['an empty object', {}],
    ['a scope with a space', ['orders:read orders:write']],
    ['an empty scope', ['']],
    ['a scope with a quote', ['a"b']],
    ['a non-string', [42]],
    ['a plain string', 'orders:read'],
    ['an unknown key', { oneOf: ['a'] }],
    ['a non-list allOf', { allOf: 'a' }],
  ])('rejects %s', (_name, option) => {
    let thrown: unknown;
    try {
      compileScopes(option);
    } catch (error) {
      thrown = error;
    }
    expect(isBulwarkError(thrown, 'ERR_OPTION_INVALID')).toBe(true);
    expect((thrown as { details: { option: string } }).details.option).toBe('scopes');
  });

  it('keeps no reference to the caller list', () => {
    const list = ['a'];
    const compiled = compileScopes(list)!;
    list.push('b');
    expect(compiled.allOf).toEqual(['a']);
    expect(Object.isFrozen(compiled.allOf)).toBe(true);
  });
});
