// Small HTTP helpers for the example tests: every request goes to an app the test started on
// 127.0.0.1, with a timeout.

/** The seeded demo credentials, as the apps print them. */
export const ALICE = { username: 'alice', password: 'alice-demo-password' } as const;
export const BOB = { username: 'bob', password: 'bob-demo-password' } as const;
export const CAROL = { username: 'carol', password: 'carol-legacy-password' } as const;

/** A valid order body. */
export const ORDER = {
  items: [
    { sku: 'TEA-GREEN-100', quantity: 2 },
    { sku: 'MUG-STONE', quantity: 1 },
  ],
  shipTo: { name: 'Alice Archer', line1: '1 Example Road', city: 'Berlin', postalCode: '10115', country: 'DE' },
};

/** Sends a request with an optional bearer token and JSON body. */
export function request(
  baseUrl: string,
  method: string,
  path: string,
  options: { token?: string; body?: unknown; headers?: Record<string, string> } = {},
): Promise<Response> {
  const headers: Record<string, string> = { ...options.headers };
  if (options.token) {
    headers.authorization = `Bearer ${options.token}`;
  }
  if (options.body !== undefined) {
    headers['content-type'] ??= 'application/json';
  }
  let body: string | undefined;
  if (typeof options.body === 'string') {
    body = options.body;
  } else if (options.body !== undefined) {
    body = JSON.stringify(options.body);
  }
  return fetch(`${baseUrl}${path}`, { method, headers, body, signal: AbortSignal.timeout(15_000) });
}

/** Logs in and returns the access token; fails the test on any status but 200. */
export async function logIn(baseUrl: string, credentials: { username: string; password: string }): Promise<string> {
  const response = await request(baseUrl, 'POST', '/login', { body: credentials });
  if (response.status !== 200) {
    throw new Error(`login as ${credentials.username} returned ${response.status}: ${await response.text()}`);
  }
  const body = (await response.json()) as { access_token: string };
  return body.access_token;
}
