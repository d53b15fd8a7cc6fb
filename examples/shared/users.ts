import type { AppDatabase } from './database.js';
import type { StoredPublicKey } from './schema.js';

/** A user row as the login step and the routes read it. */
export interface User {
  readonly id: string;
  readonly username: string;
  readonly displayName: string;
  readonly passwordHash: string;
}

interface UserRow {
  id: number;
  username: string;
  display_name: string;
  password_hash: string;
}

/** The users table: lookups by name and id, the password rehash and the receipt key. */
export class UserRepository {
  readonly #database: AppDatabase;

  constructor(database: AppDatabase) {
    this.#database = database;
  }

  /** Finds a user by login name, or returns undefined. */
  findByUsername(username: string): User | undefined {
    const row = this.#database
      .prepare<UserRow>('SELECT id, username, display_name, password_hash FROM users WHERE username = ?')
      .get(username);
    return row && toUser(row);
  }

  /** Finds a user by id (the token's `sub`), or returns undefined. */
  findById(id: string): User | undefined {
    const numericId = Number(id);
    if (!Number.isSafeInteger(numericId)) {
      return undefined;
    }

    const row = this.#database
      .prepare<UserRow>('SELECT id, username, display_name, password_hash FROM users WHERE id = ?')
      .get(numericId);
    return row && toUser(row);
  }

  /**
   * Stores a new password hash, as the login step does after verifying a password whose hash uses
   * old parameters or bcrypt. Only the hash column changes, so nothing else about the user is lost.
   */
  updatePasswordHash(id: string, passwordHash: string): void {
    this.#database.prepare('UPDATE users SET password_hash = ? WHERE id = ?').run(passwordHash, Number(id));
  }

  /** Stores the public key that the user's receipts are encrypted to, replacing any earlier one. */
  setPublicKey(id: string, publicKey: StoredPublicKey): void {
    this.#database.prepare('UPDATE users SET public_key = ? WHERE id = ?').run(JSON.stringify(publicKey), Number(id));
  }

  /** Returns the user's registered public key, or undefined when none is registered. */
  getPublicKey(id: string): StoredPublicKey | undefined {
    const row = this.#database
      .prepare<{ public_key: string | null }>('SELECT public_key FROM users WHERE id = ?')
      .get(Number(id));
    if (!row?.public_key) {
      return undefined;
    }
    return JSON.parse(row.public_key) as StoredPublicKey;
  }
}

function toUser(row: UserRow): User {
  return {
    id: String(row.id),
    username: row.username,
    displayName: row.display_name,
    passwordHash: row.password_hash,
  };
}
