// Tokens from a real OpenID provider (oidc-provider) on 127.0.0.1, verified through its JWKS URL.
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

import Provider from 'oidc-provider';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { createJwtVerifier } from 'bulwark/core';

import { rejectionCode } from './keys.js';

const RESOURCE = 'https://api.example/';
const CLIENT_ID = 'orders-service';
const CLIENT_SECRET = randomBytes(32).toString('base64url');

let server: Server;
let issuer: string;

beforeAll(async () => {
  let handle: (request: IncomingMessage, response: ServerResponse) => void = (_request, response) => {
    response.writeHead(503).end();
  };
  server = createServer((request, response) => handle(request, response));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const signingKey = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ format: 'jwk' });
  const provider = new Provider(issuer, {
    clients: [
      {
        client_id: CLIENT_ID,
        client_secret: CLIENT_SECRET,
        grant_types: ['client_credentials'],
        redirect_uris: [],
        response_types: [],
        token_endpoint_auth_method: 'client_secret_post',
      },
    ],
    jwks: { keys: [{ ...signingKey, kid: 'provider-rsa-1', alg: 'RS256', use: 'sig' }] },
    ttl: { ClientCredentials: 600 },
    features: {
      devInteractions: { enabled: false },
      clientCredentials: { enabled: true },
      resourceIndicators: {
        enabled: true,
        defaultResource: () => RESOURCE,
        useGrantedResource: () => true,
        getResourceServerInfo: () => ({
          scope: 'orders:read orders:write',
          audience: RESOURCE,
          accessTokenFormat: 'jwt',
          jwt: { sign: { alg: 'RS256' } },
        }),
      },
    },
  });
  handle = provider.callback();
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

async function requestAccessToken(): Promise<string> {
  const response = await fetch(`${issuer}/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'client_credentials',
      client_id: CLIENT_ID,
      client_secret: CLIENT_SECRET,
      resource: RESOURCE,
      scope: 'orders:read',
    }),
  });
  expect(response.status).toBe(200);
  const body = (await response.json()) as { access_token: string; token_type: string };
  expect(body.token_type).toBe('Bearer');
  return body.access_token;
}

describe('oidc-provider client credentials tokens', () => {
  it('verifies an access token through the provider JWKS', async () => {
    const token = await requestAccessToken();
    const verify = createJwtVerifier({
      jwksUri: `${issuer}/jwks`,
      issuer,
      audience: RESOURCE,
      algorithms: ['RS256'],
      typ: 'at+jwt',
    });

    const { payload, protectedHeader } = await verify(token);

    expect(protectedHeader).toMatchObject({ alg: 'RS256', typ: 'at+jwt', kid: 'provider-rsa-1' });
    expect(payload).toMatchObject({ iss: issuer, aud: RESOURCE, client_id: CLIENT_ID, scope: 'orders:read' });
    expect(typeof payload.exp).toBe('number');
  });

  it('rejects the token for another audience', async () => {
    const token = await requestAccessToken();
    const verify = createJwtVerifier({ jwksUri: `${issuer}/jwks`, issuer, audience: 'https://billing.example/' });

    await expect(rejectionCode(verify(token))).resolves.toBe('ERR_JWT_CLAIM_INVALID');
  });

  it('rejects the token for another issuer', async () => {
    const token = await requestAccessToken();
    const verify = createJwtVerifier({ jwksUri: `${issuer}/jwks`, issuer: 'https://other-issuer.example', audience: RESOURCE });

    await expect(rejectionCode(verify(token))).resolves.toBe('ERR_JWT_CLAIM_INVALID');
  });

  it('rejects the token with its signature altered', async () => {
    const token = await requestAccessToken();
    const verify = createJwtVerifier({ jwksUri: `${issuer}/jwks`, issuer, audience: RESOURCE });
    const index = token.lastIndexOf('.') + 10;
    const altered = token.slice(0, index) + (token[index] === 'A' ? 'B' : 'A') + token.slice(index + 1);

    await expect(rejectionCode(verify(altered))).resolves.toBe('ERR_JWT_SIGNATURE_INVALID');
  });
});
