import { exportJWK, generateKeyPair } from 'jose';
import { afterEach, describe, expect, it } from 'vitest';

import { decryptResponse } from 'bulwark/core';

import { frameworks, type RunningApp } from '../helpers/frameworks.js';
import { AUDIENCE, ISSUER, mint, now, SECRET } from '../require-jwt/fixtures.js';
import { rawRequest } from './wire.js';

async function clientKeys() {
  const { publicKey, privateKey } = await generateKeyPair('ECDH-ES+A256KW', { crv: 'X25519', extractable: true });
  return { publicJwk: await exportJWK(publicKey), privateJwk: await exportJWK(privateKey) };
}

describe.each(frameworks)('encryptResponse to the token’s cnf.jwk on $name', (framework) => {
  const { encryptResponse, requireJwt } = framework.bulwark as any;
  const jwt = requireJwt({ key: SECRET, algorithms: ['HS256'], issuer: ISSUER, audience: AUDIENCE, now });
  const getPublicKey = (request: any) => (framework.kind === 'express' ? request.auth : request.state.auth)?.payload?.cnf?.jwk;
  let app: RunningApp | undefined;

  afterEach(async () => {
    await app?.close();
    app = undefined;
  });

  it('encrypts to the key that the verified token binds', async () => {
    const alice = await clientKeys();
    const mallory = await clientKeys();
    app = await framework.start([
      { method: 'get', path: '/me', middleware: [jwt, encryptResponse({ getPublicKey })], handle: (view: any) => ({ body: { sub: view.auth.payload.sub } }) },
    ]);
    const token = await mint({ sub: 'alice', cnf: { jwk: alice.publicJwk } });

    const response = await fetch(`${app.url}/me`, { headers: { authorization: `Bearer ${token}` } });
    const body = await response.text();

    expect(await decryptResponse(body, alice.privateJwk as any)).toEqual({ sub: 'alice' });
    await expect(decryptResponse(body, mallory.privateJwk as any)).rejects.toMatchObject({ code: 'ERR_DECRYPTION_FAILED' });
  });

  it('never sends the body for a token without cnf', async () => {
    app = await framework.start([
      { method: 'get', path: '/me', middleware: [jwt, encryptResponse({ getPublicKey })], handle: () => ({ body: { secret: 'PLAINTEXT-OF-ALICE' } }) },
    ]);
    const token = await mint({ sub: 'alice' });

    const response = await rawRequest(app.url, { path: '/me', headers: { authorization: `Bearer ${token}` } });

    expect(response.status).toBe(500);
    expect(response.raw.includes('PLAINTEXT-OF-ALICE')).toBe(false);
  });
});
