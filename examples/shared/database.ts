import { mkdirSync } from 'node:fs';
import { join } from 'node:path';

import Database from 'better-sqlite3';

/** An open SQLite database of an example app. */
export type AppDatabase = InstanceType<typeof Database>;

/** The file name of the database inside the data folder. */
export const DATABASE_FILE = 'orders.sqlite';

// Every statement is idempotent, so opening the database on each start creates it once and then
// leaves it alone. Amounts are integer cents, so no total is ever rounded.
const SCHEMA = `
  CREATE TABLE IF NOT EXISTS users (
    id            INTEGER PRIMARY KEY,
    username      TEXT NOT NULL UNIQUE,
    display_name  TEXT NOT NULL,
    password_hash TEXT NOT NULL,
    public_key    TEXT
  );

  CREATE TABLE IF NOT EXISTS products (
    sku         TEXT PRIMARY KEY,
    name        TEXT NOT NULL,
    price_cents INTEGER NOT NULL CHECK (price_cents > 0)
  );

  CREATE TABLE IF NOT EXISTS orders (
    id          TEXT PRIMARY KEY,
    user_id     INTEGER NOT NULL REFERENCES users (id),
    created_at  TEXT NOT NULL,
    ship_to     TEXT NOT NULL,
    total_cents INTEGER NOT NULL
  );

  CREATE TABLE IF NOT EXISTS order_items (
    order_id         TEXT NOT NULL REFERENCES orders (id),
    line             INTEGER NOT NULL,
    sku              TEXT NOT NULL REFERENCES products (sku),
    quantity         INTEGER NOT NULL,
    unit_price_cents INTEGER NOT NULL,
    PRIMARY KEY (order_id, line)
  );

  CREATE INDEX IF NOT EXISTS orders_by_user ON orders (user_id, created_at);
`;

// NOTE: several instances share this file only on one machine. Instances on several machines need a
// database server; the Redis part of the setup already works across machines.

/**
 * Opens (and on first use creates) the app's SQLite database in `dataDir`.
 *
 * WAL mode and a busy timeout let two app instances on one machine share the file, as the Redis
 * setup does when both point `DATA_DIR` at the same folder.
 */
export function openDatabase(dataDir: string): AppDatabase {
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });

  const database = new Database(join(dataDir, DATABASE_FILE), { timeout: 5_000 });
  database.pragma('journal_mode = WAL');
  database.pragma('foreign_keys = ON');
  database.exec(SCHEMA);
  return database;
}
