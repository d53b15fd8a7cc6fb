import { createHmac } from 'node:crypto';

import { describe, expect, it } from 'vitest';

import { createJwtVerifier, DEFAULT_MAX_TOKEN_BYTES, signJwt } from 'bulwark/core';

import { hmacSecret, rejectionCode } from './keys.js';

const verify = createJwtVerifier({ key: hmacSecret });

/** Signs arbitrary header and payload segments with the test secret, so only the tested flaw differs. */
function signSegments(headerSegment: string, payloadSegment: string): string {
  const signature = createHmac('sha256', hmacSecret).update(`${headerSegment}.${payloadSegment}`).digest('base64url');
  return `${headerSegment}.${payloadSegment}.${signature}`;
}

const b64 = (value: unknown) => Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)).toString('base64url');
const goodPayload = { sub: 'user-1', exp: Math.floor(Date.now() / 1000) + 600 };

describe('token size', () => {
  it('an oversized token is rejected before parsing', async () => {
    const huge = await signJwt({ filler: 'x'.repeat(DEFAULT_MAX_TOKEN_BYTES) }, hmacSecret, { expiresIn: 60 });
    await expect(rejectionCode(verify(huge))).resolves.toBe('ERR_JWT_TOO_LARGE');
  });

  it('applies a configured maxTokenBytes', async () => {
    const token = await signJwt({ filler: 'x'.repeat(200) }, hmacSecret, { expiresIn: 60 });
    await expect(rejectionCode(createJwtVerifier({ key: hmacSecret, maxTokenBytes: 256 })(token))).resolves.toBe('ERR_JWT_TOO_LARGE');
    await expect(createJwtVerifier({ key: hmacSecret, maxTokenBytes: 1024 })(token)).resolves.toHaveProperty('payload');
  });
});

describe('strict base64url', () => {
  it('rejects padding, the base64 alphabet and whitespace', async () => {
    const token = await signJwt({ n: 1 }, hmacSecret, { expiresIn: 60 });
    const [header, payload, signature] = token.split('.') as [string, string, string];
    const variants = [
      `${header}.${payload}.${signature}=`,
      `${header}=.${payload}.${signature}`,
      `${header}.${payload}.${signature.replace(/-/g, '+').replace(/_/g, '/')}+`,
      ` ${token}`,
      `${token}\n`,
      `${header}.${payload}.${signature.slice(0, 10)} ${signature.slice(10)}`,
      `${header}.${payload}`,
      `${header}.${payload}.${signature}.extra`,
      `${header}..${signature}`.replace('..', '...'),
      '',
    ];
    for (const variant of variants) {
      expect({ variant, code: await rejectionCode(verify(variant)) }).toEqual({ variant, code: 'ERR_JWT_MALFORMED' });
    }
  });

  it('rejects a non-canonical encoding of the same signature', async () => {
    const token = await signJwt({ n: 1 }, hmacSecret, { expiresIn: 60 });
    const [header, payload, signature] = token.split('.') as [string, string, string];
    // A 32-byte HMAC encodes to 43 characters, whose last one carries two unused bits.
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
    const last = alphabet.indexOf(signature.at(-1) as string);
    const twin = `${header}.${payload}.${signature.slice(0, -1)}${alphabet[last | 1]}`;

    expect(Buffer.from(twin.split('.')[2] as string, 'base64url')).toEqual(Buffer.from(signature, 'base64url'));
    await expect(rejectionCode(verify(twin))).resolves.toBe('ERR_JWT_MALFORMED');
    await expect(verify(token)).resolves.toHaveProperty('payload');
  });

  it('rejects a value that is not a string', async () => {
    for (const value of [undefined, null, 42, {}, Buffer.from('a.b.c')]) {
      await expect(rejectionCode(verify(value as unknown as string))).resolves.toBe('ERR_JWT_MALFORMED');
    }
  });
});

describe('header and payload structure', () => {
  it.each([
    ['a JSON list', b64(['HS256'])],
    ['a JSON string', b64('"HS256"')],
    ['JSON null', b64('null')],
    ['invalid JSON', b64('{"alg":"HS256"')],
    ['invalid UTF-8', Buffer.from([0x7b, 0xff, 0x7d]).toString('base64url')],
    ['no alg', b64({ typ: 'JWT' })],
    ['an empty alg', b64({ alg: '' })],
    ['a numeric alg', b64({ alg: 256 })],
  ])('rejects a header that is %s', async (_name, headerSegment) => {
    await expect(rejectionCode(verify(signSegments(headerSegment, b64(goodPayload))))).resolves.toBe('ERR_JWT_MALFORMED');
  });

  it.each([
    ['a JSON list', b64([1])],
    ['a JSON number', b64('5')],
    ['empty', ''],
    ['invalid UTF-8', Buffer.from([0x7b, 0xc3, 0x28, 0x7d]).toString('base64url')],
  ])('rejects a signed payload that is %s', async (_name, payloadSegment) => {
    await expect(rejectionCode(verify(signSegments(b64({ alg: 'HS256' }), payloadSegment)))).resolves.toBe('ERR_JWT_MALFORMED');
  });

  it('rejects a token that marks an unknown extension as critical', async () => {
    const token = signSegments(b64({ alg: 'HS256', crit: ['exp'], exp: 1 }), b64(goodPayload));
    await expect(rejectionCode(verify(token))).resolves.toBe('ERR_JWT_CRIT_UNSUPPORTED');
  });

  it('rejects an unencoded payload (b64 false), which would change what the signature covers', async () => {
    const token = signSegments(b64({ alg: 'HS256', b64: false, crit: ['b64'] }), b64(goodPayload));
    await expect(rejectionCode(verify(token))).resolves.toBe('ERR_JWT_CRIT_UNSUPPORTED');
  });

  it('accepts a critical b64 true, which keeps the standard encoding', async () => {
    const token = signSegments(b64({ alg: 'HS256', b64: true, crit: ['b64'] }), b64(goodPayload));
    await expect(verify(token)).resolves.toHaveProperty('payload.sub', 'user-1');
  });

  it('rejects a malformed crit header', async () => {
    for (const crit of [[], '', [''], [1], {}, ['x', 'x'], ['b64']]) {
      const token = signSegments(b64({ alg: 'HS256', crit }), b64(goodPayload));
      await expect(rejectionCode(verify(token))).resolves.toBe('ERR_JWT_MALFORMED');
    }
  });

  it('keeps a __proto__ claim as data without changing the prototype', async () => {
    const token = signSegments(b64({ alg: 'HS256' }), b64('{"exp":' + goodPayload.exp + ',"__proto__":{"admin":true}}'));
    const { payload } = await verify(token);

    expect(Object.getPrototypeOf(payload)).toBe(Object.prototype);
    expect((payload as { admin?: boolean }).admin).toBeUndefined();
  });
});
