import { hashPassword } from 'bulwark/core';

import type { AppDatabase } from './database.js';

/** A seeded user with its demo password. */
export interface DemoUser {
  readonly username: string;
  readonly displayName: string;
  readonly password: string;
  /** `bcrypt` marks the legacy user whose hash is upgraded to argon2id on first login. */
  readonly algorithm: 'argon2id' | 'bcrypt';
}

/**
 * The seeded users. These passwords are demo credentials, printed on start and written in the
 * docs: an app built from this example seeds no users like these.
 */
export const DEMO_USERS: readonly DemoUser[] = [
  { username: 'alice', displayName: 'Alice Archer', password: 'alice-demo-password', algorithm: 'argon2id' },
  { username: 'bob', displayName: 'Bob Baker', password: 'bob-demo-password', algorithm: 'argon2id' },
  { username: 'carol', displayName: 'Carol Cole', password: 'carol-legacy-password', algorithm: 'bcrypt' },
];

/** The seeded catalog: SKU, name and price in cents. */
export const CATALOG = [
  { sku: 'TEA-GREEN-100', name: 'Green tea, 100 g', priceCents: 690 },
  { sku: 'TEA-BLACK-250', name: 'Black tea, 250 g', priceCents: 1290 },
  { sku: 'MUG-STONE', name: 'Stoneware mug', priceCents: 1850 },
  { sku: 'KETTLE-1L', name: 'Kettle, 1 litre', priceCents: 3400 },
] as const;

// bcrypt cost 10 was a common default in older apps, which is what the legacy user stands for.
const LEGACY_BCRYPT_COST = 10;

/**
 * Seeds the demo users and the catalog when the database is empty, and does nothing otherwise, so
 * a restart keeps every order and every upgraded password hash.
 */
export async function seedDatabase(database: AppDatabase): Promise<boolean> {
  const { count } = database.prepare<{ count: number }>('SELECT COUNT(*) AS count FROM users').get()!;
  if (count > 0) {
    return false;
  }

  // The hashes are computed before the transaction, because better-sqlite3 transactions are
  // synchronous and hashing is not.
  const hashes = await Promise.all(DEMO_USERS.map((user) => hashDemoPassword(user)));

  const insertUser = database.prepare(
    'INSERT OR IGNORE INTO users (username, display_name, password_hash) VALUES (?, ?, ?)',
  );
  const insertProduct = database.prepare('INSERT OR IGNORE INTO products (sku, name, price_cents) VALUES (?, ?, ?)');
  const insertAll = database.transaction(() => {
    DEMO_USERS.forEach((user, index) => insertUser.run(user.username, user.displayName, hashes[index]));
    CATALOG.forEach((product) => insertProduct.run(product.sku, product.name, product.priceCents));
  });
  insertAll();
  return true;
}

async function hashDemoPassword(user: DemoUser): Promise<string> {
  if (user.algorithm === 'bcrypt') {
    return hashPassword(user.password, { algorithm: 'bcrypt', cost: LEGACY_BCRYPT_COST });
  }
  return hashPassword(user.password, { algorithm: 'argon2id' });
}
