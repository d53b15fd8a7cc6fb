import { isAbsolute, resolve } from 'node:path';

/** Settings of an example app, read from the environment. */
export interface AppConfig {
  /** The TCP port to listen on: `PORT`, 3000 by default. */
  readonly port: number;
  /** The address to listen on: `HOST`, 127.0.0.1 by default, so the demo is not reachable from other machines. */
  readonly host: string;
  /** The folder of the SQLite file and the signing keys: `DATA_DIR`, the app's own `data/` folder by default. */
  readonly dataDir: string;
  /** A Redis URL (`REDIS_URL`) for the login limits and the token denylist; unset keeps both in memory. */
  readonly redisUrl: string | undefined;
  /** The prefix of every Redis key the app writes: `REDIS_PREFIX`, `bulwark-example:` by default. */
  readonly redisPrefix: string;
  /**
   * How many reverse proxies in front of the app append to `X-Forwarded-For` (`TRUST_PROXY`), so the
   * login limits count the client's address and not the proxy's. 0 by default: the header is ignored,
   * because a client can send any value in it.
   */
  readonly trustedProxyHops: number;
}

const DEFAULT_PORT = 3000;
const DEFAULT_HOST = '127.0.0.1';
const DEFAULT_REDIS_PREFIX = 'bulwark-example:';

/**
 * Reads the app's settings from `env`. `defaultDataDir` is the app's own data folder, used when
 * `DATA_DIR` is not set. Throws on a `PORT` that is not a TCP port number.
 */
export function readConfig(env: NodeJS.ProcessEnv, defaultDataDir: string): AppConfig {
  const port = readPort(env.PORT);
  const host = env.HOST?.trim() || DEFAULT_HOST;
  const dataDir = env.DATA_DIR?.trim() ? resolveFromCwd(env.DATA_DIR.trim()) : defaultDataDir;
  const redisUrl = env.REDIS_URL?.trim() || undefined;
  const redisPrefix = env.REDIS_PREFIX?.trim() || DEFAULT_REDIS_PREFIX;
  const trustedProxyHops = readProxyHops(env.TRUST_PROXY);
  return { port, host, dataDir, redisUrl, redisPrefix, trustedProxyHops };
}

function readProxyHops(value: string | undefined): number {
  if (value === undefined || value.trim() === '') {
    return 0;
  }

  const hops = Number(value);
  if (!Number.isInteger(hops) || hops < 0 || hops > 10) {
    throw new Error('TRUST_PROXY must be the number of proxies in front of the app, from 0 to 10; unset it when there is none.');
  }
  return hops;
}

function readPort(value: string | undefined): number {
  if (value === undefined || value.trim() === '') {
    return DEFAULT_PORT;
  }

  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65_535) {
    throw new Error('PORT must be an integer from 0 to 65535; unset it to use 3000.');
  }
  return port;
}

function resolveFromCwd(path: string): string {
  return isAbsolute(path) ? path : resolve(process.cwd(), path);
}
