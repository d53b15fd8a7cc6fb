import { resolve } from 'node:path';

import { describe, expect, it } from 'vitest';

import { readConfig } from '../../examples/shared/config.js';

describe('example app config', () => {
  it('defaults to 127.0.0.1:3000 and the app data folder', () => {
    const config = readConfig({}, '/srv/app/data');

    expect(config).toEqual({
      port: 3000,
      host: '127.0.0.1',
      dataDir: '/srv/app/data',
      redisUrl: undefined,
      redisPrefix: 'bulwark-example:',
      trustedProxyHops: 0,
    });
  });

  it('reads every setting from the environment', () => {
    const env = {
      PORT: '8080',
      HOST: '0.0.0.0',
      DATA_DIR: 'tmp/data',
      REDIS_URL: 'redis://127.0.0.1:6390',
      REDIS_PREFIX: 'shop:',
      TRUST_PROXY: '2',
    };

    const config = readConfig(env, '/srv/app/data');

    expect(config.port).toBe(8080);
    expect(config.host).toBe('0.0.0.0');
    expect(config.dataDir).toBe(resolve(process.cwd(), 'tmp/data'));
    expect(config.redisUrl).toBe('redis://127.0.0.1:6390');
    expect(config.redisPrefix).toBe('shop:');
    expect(config.trustedProxyHops).toBe(2);
  });

  it('leaves the environment unchanged', () => {
    const env = Object.freeze({ PORT: '8080', DATA_DIR: 'data' });

    readConfig(env, '/srv/app/data');

    expect(env).toEqual({ PORT: '8080', DATA_DIR: 'data' });
  });

  it.each(['http', '-1', '65536', '3000.5'])('rejects PORT %s with the fix', (port) => {
    expect(() => readConfig({ PORT: port }, '/srv/app/data')).toThrow('PORT must be an integer from 0 to 65535');
  });

  it.each(['true', '-1', '11', '1.5'])('rejects TRUST_PROXY %s with the fix', (hops) => {
    expect(() => readConfig({ TRUST_PROXY: hops }, '/srv/app/data')).toThrow('TRUST_PROXY must be the number of proxies');
  });

  it('does not echo an invalid PORT', () => {
    expect(() => readConfig({ PORT: 'secret-value' }, '/srv/app/data')).toThrow(expect.objectContaining({ message: expect.not.stringContaining('secret-value') }));
  });
});
