import { DEMO_USERS, type DemoUser } from './seed.js';

/**
 * Prints where the app listens and a first request to try. The passwords shown are the seeded demo
 * credentials, not secrets.
 */
export function printStartBanner(name: string, url: string, options: { readonly page: boolean }): void {
  const [user] = DEMO_USERS;
  const body = JSON.stringify({ username: user!.username, password: user!.password });
  const lines = [
    `${name} listening on ${url}`,
    ...(options.page ? [`Open ${url}/ in a browser for the orders page.`] : []),
    '',
    'Demo credentials (seeded on first start; not for real use):',
    ...DEMO_USERS.map(credentialLine),
    '',
    'Log in:',
    `  curl -s -X POST ${url}/login -H 'content-type: application/json' -d '${body}'`,
    '',
    'Run the whole flow with: npm run demo',
    ...(isLoopback(url) ? [] : ['', 'WARNING: this address may be reachable from other machines, and the demo passwords above are public.']),
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
}

function credentialLine(user: DemoUser): string {
  const note = user.algorithm === 'bcrypt' ? '  (legacy bcrypt hash, upgraded to argon2id on first login)' : '';
  return `  ${user.username.padEnd(6)} ${user.password}${note}`;
}

function isLoopback(url: string): boolean {
  const { hostname } = new URL(url);
  return hostname === 'localhost' || hostname === '[::1]' || hostname.startsWith('127.');
}
