// The demo client: `npm run demo`. It walks through the whole flow against a running example app
// (BASE_URL, http://127.0.0.1:3000 by default) and prints each step. It exits with status 1 when a
// step does not behave as described.
import { decryptResponse, generateKeypair, type EcdhJwk } from 'bulwark/core';

const baseUrl = (process.env.BASE_URL ?? 'http://127.0.0.1:3000').replace(/\/+$/, '');

// The seeded demo credentials, as the app prints them on start.
const username = process.env.DEMO_USERNAME ?? 'alice';
const password = process.env.DEMO_PASSWORD ?? 'alice-demo-password';

let stepNumber = 0;

function step(title: string, detail: string): void {
  stepNumber += 1;
  process.stdout.write(`${String(stepNumber).padStart(2)}. ${title}\n    ${detail.replaceAll('\n', '\n    ')}\n`);
}

async function call(method: string, path: string, options: { token?: string; body?: unknown } = {}): Promise<Response> {
  const headers: Record<string, string> = {};
  if (options.token) {
    headers.authorization = `Bearer ${options.token}`;
  }
  if (options.body !== undefined) {
    headers['content-type'] = 'application/json';
  }
  return fetch(`${baseUrl}${path}`, {
    method,
    headers,
    body: options.body === undefined ? undefined : JSON.stringify(options.body),
    signal: AbortSignal.timeout(10_000),
  });
}

async function expectStatus(response: Response, status: number, request: string): Promise<void> {
  if (response.status !== status) {
    const body = await response.text();
    throw new Error(`${request}: expected status ${status}, got ${response.status}: ${body.slice(0, 300)}`);
  }
}

async function main(): Promise<void> {
  process.stdout.write(`bulwark demo against ${baseUrl}\n\n`);

  const login = await call('POST', '/login', { body: { username, password } });
  await expectStatus(login, 200, 'POST /login');
  const { access_token: token, token_type: tokenType, expires_in: expiresIn } = (await login.json()) as {
    access_token: string;
    token_type: string;
    expires_in: number;
  };
  const [header] = token.split('.');
  step('POST /login', `${tokenType} token, expires in ${expiresIn} s, header ${Buffer.from(header!, 'base64url').toString()}`);

  // The receipt key: an X25519 pair made here. Only the public half is sent to the server.
  const receiptKeys = await generateKeypair('X25519', { format: 'jwk' });
  const register = await call('PUT', '/me/key', { token, body: receiptKeys.publicKey });
  await expectStatus(register, 204, 'PUT /me/key');
  step('PUT /me/key', 'registered an X25519 public key for receipts; the private key stays in this process');

  const me = await call('GET', '/me', { token });
  await expectStatus(me, 200, 'GET /me');
  step('GET /me', JSON.stringify(await me.json()));

  const order = {
    items: [
      { sku: 'TEA-GREEN-100', quantity: 2 },
      { sku: 'MUG-STONE', quantity: 1 },
    ],
    shipTo: { name: 'Alice Archer', line1: '1 Example Road', city: 'Berlin', postalCode: '10115', country: 'DE' },
  };
  const created = await call('POST', '/orders', { token, body: order });
  await expectStatus(created, 201, 'POST /orders');
  const summary = (await created.json()) as { id: string; totalCents: number };
  step('POST /orders', `order ${summary.id}, total ${(summary.totalCents / 100).toFixed(2)}`);

  const invalid = await call('POST', '/orders', { token, body: { items: [{ sku: 'TEA-GREEN-100', quantity: 0 }] } });
  await expectStatus(invalid, 422, 'POST /orders with an invalid body');
  const problem = (await invalid.json()) as { code: string; errors?: { path: (string | number)[]; message: string }[] };
  const fields = (problem.errors ?? []).map((error) => `${error.path.join('.') || '(body)'}: ${error.message}`);
  step('POST /orders (invalid)', `422 ${problem.code}\n${fields.join('\n')}`);

  const list = await call('GET', '/orders', { token });
  await expectStatus(list, 200, 'GET /orders');
  const { orders } = (await list.json()) as { orders: unknown[] };
  step('GET /orders', `${orders.length} order(s)`);

  const receiptResponse = await call('GET', `/orders/${summary.id}/receipt`, { token });
  await expectStatus(receiptResponse, 200, 'GET /orders/:id/receipt');
  const contentType = receiptResponse.headers.get('content-type');
  // generateKeypair types its JWKs as Node's JsonWebKey, whose members are all optional; an X25519
  // private JWK always has kty, crv, x and d.
  const receipt = await decryptResponse(receiptResponse, receiptKeys.privateKey as EcdhJwk);
  step('GET /orders/:id/receipt', `received ${contentType}, decrypted with the client's private key:\n${JSON.stringify(receipt, null, 2)}`);

  const logout = await call('POST', '/logout', { token });
  await expectStatus(logout, 204, 'POST /logout');
  step('POST /logout', "the token's jti is on the denylist until the token expires");

  const afterLogout = await call('GET', '/me', { token });
  await expectStatus(afterLogout, 401, 'GET /me with the revoked token');
  step('GET /me (revoked token)', `401, WWW-Authenticate: ${afterLogout.headers.get('www-authenticate')}`);

  process.stdout.write('\nEvery step behaved as expected.\n');
}

main().catch((error: unknown) => {
  const message = error instanceof Error ? error.message : String(error);
  const hint = /fetch failed|ECONNREFUSED/.test(message) ? `. Is the app running at ${baseUrl}? Start it with npm start.` : '';
  process.stderr.write(`demo failed: ${message}${hint}\n`);
  process.exitCode = 1;
});
