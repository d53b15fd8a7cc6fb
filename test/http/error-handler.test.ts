import { describe, expect, it } from 'vitest';

import { frameworks } from '../helpers/frameworks.js';

describe.each(frameworks)('errorHandler on $name', (framework) => {
  const { HttpError } = framework.bulwark;

  it('renders an HttpError as problem details', async () => {
    const app = await framework.start([
      {
        method: 'get',
        path: '/teapot',
        handle: () => {
          throw new HttpError(401, 'ERR_TOKEN_MISSING', 'A bearer token is required.', {
            headers: { 'www-authenticate': 'Bearer' },
          });
        },
      },
    ]);
    try {
      const response = await fetch(`${app.url}/teapot`, { headers: { 'x-request-id': 'req-1' } });
      expect(response.status).toBe(401);
      expect(response.headers.get('content-type')).toBe('application/problem+json');
      expect(response.headers.get('www-authenticate')).toBe('Bearer');
      expect(await response.json()).toEqual({
        type: 'about:blank',
        title: 'Unauthorized',
        status: 401,
        code: 'ERR_TOKEN_MISSING',
        detail: 'A bearer token is required.',
        requestId: 'req-1',
      });
    } finally {
      await app.close();
    }
  });

  it('hides the message and stack of an unknown error', async () => {
    const app = await framework.start([
      {
        method: 'get',
        path: '/boom',
        handle: () => {
          throw new Error('database password is hunter2');
        },
      },
    ]);
    try {
      const response = await fetch(`${app.url}/boom`);
      const text = await response.text();
      expect(response.status).toBe(500);
      expect(text).not.toContain('hunter2');
      expect(text).not.toContain('at ');
      expect(JSON.parse(text)).toMatchObject({ status: 500, code: 'ERR_INTERNAL', title: 'Internal Server Error' });
    } finally {
      await app.close();
    }
  });
});
