import { Redis } from 'ioredis';

import type { Logger } from 'bulwark';

import type { AppConfig } from './config.js';
import { openDatabase, type AppDatabase } from './database.js';
import { createDenylist, type Denylist } from './denylist.js';
import { loadOrCreateSigningKeys, type SigningKeys } from './keys.js';
import { createConsoleLogger } from './logger.js';
import { OrderRepository } from './orders.js';
import { seedDatabase } from './seed.js';
import { UserRepository } from './users.js';

/** The token claims that both apps issue and require. They are fixed, so instances share tokens. */
export const TOKEN_SETTINGS = {
  issuer: 'urn:bulwark-example:auth',
  audience: 'urn:bulwark-example:orders',
  expiresIn: '15m',
  algorithm: 'EdDSA',
} as const;

/** Everything an app's routes need: data, keys, the denylist, Redis and the logger. */
export interface AppContext {
  readonly config: AppConfig;
  readonly database: AppDatabase;
  readonly users: UserRepository;
  readonly orders: OrderRepository;
  readonly signingKeys: SigningKeys;
  readonly denylist: Denylist;
  readonly redis: Redis | undefined;
  readonly logger: Logger;
  /** Closes the Redis connection and the database. */
  close(): Promise<void>;
}

/**
 * Opens the app's data folder (database, seed, signing keys) and, when `REDIS_URL` is set,
 * connects to Redis for the login limits and the denylist.
 */
export async function createAppContext(config: AppConfig, appName: string): Promise<AppContext> {
  const logger = createConsoleLogger(appName);
  const database = openDatabase(config.dataDir);
  const seeded = await seedDatabase(database);
  if (seeded) {
    logger.info({ dataDir: config.dataDir }, 'seeded the demo users and catalog');
  }

  const signingKeys = await loadOrCreateSigningKeys(config.dataDir);
  const redis = config.redisUrl ? await connectRedis(config.redisUrl, logger) : undefined;
  const denylist = createDenylist(redis, `${config.redisPrefix}denylist:`, logger);

  return {
    config,
    database,
    users: new UserRepository(database),
    orders: new OrderRepository(database),
    signingKeys,
    denylist,
    redis,
    logger,
    close: async () => {
      if (redis) {
        await redis.quit().catch(() => redis.disconnect());
      }
      database.close();
    },
  };
}

// The connection is made before the app listens, so a wrong REDIS_URL stops the start with a clear
// error instead of failing the first login.
async function connectRedis(url: string, logger: Logger): Promise<Redis> {
  const redis = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 2 });
  redis.on('error', throttledErrorLog(logger));
  try {
    await redis.connect();
  } catch (error) {
    redis.disconnect();
    const reason = (error as Error).message.replace(/\.$/, '');
    throw new Error(`could not connect to Redis at ${redactUrl(url)} (${reason}); check REDIS_URL, or unset it to keep the login limits and the denylist in memory.`, { cause: error });
  }
  logger.info({ redis: redactUrl(url) }, 'login limits and the token denylist are kept in redis');
  return redis;
}

// ioredis reports every failed reconnect, so while Redis is down only one error in each interval is
// logged, with the count of those left out.
const REDIS_ERROR_LOG_INTERVAL_MS = 10_000;

function throttledErrorLog(logger: Logger): (error: Error) => void {
  let lastLoggedAt = 0;
  let skipped = 0;
  return (error) => {
    const now = Date.now();
    if (now - lastLoggedAt < REDIS_ERROR_LOG_INTERVAL_MS) {
      skipped += 1;
      return;
    }
    logger.warn({ err: error, skipped }, 'redis connection error');
    lastLoggedAt = now;
    skipped = 0;
  };
}

// A Redis URL may carry a password, so only the host and port are logged.
function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.protocol}//${parsed.host}`;
  } catch {
    return 'redis';
  }
}
