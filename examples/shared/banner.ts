import { DEMO_USERS } from './seed.js';

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
    ...DEMO_USERS.map((demo) => `  ${demo.username.padEnd(6)} ${demo.password}${demo.algorithm === 'bcrypt' ? '  (legacy bcrypt hash, upgraded to argon2id on first login)' : ''}`),
    '',
    'Log in:',
    `  curl -s -X POST ${url}/login -H 'content-type: application/json' -d '${body}'`,
    '',
    'Run the whole flow with: npm run demo',
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
}
