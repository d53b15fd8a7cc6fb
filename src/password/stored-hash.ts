import { parseOptions } from '@node-rs/argon2';

/** A stored hash that bulwark can verify, with the parameters it was made with. */
export type StoredHash =
  | {
      readonly algorithm: 'argon2id' | 'argon2i' | 'argon2d';
      readonly version: number;
      readonly memoryCost: number;
      readonly timeCost: number;
      readonly parallelism: number;
      readonly encoded: string;
    }
  | { readonly algorithm: 'bcrypt'; readonly cost: number; readonly encoded: string };

// Verifying a stored hash costs what its own parameters set, so a corrupted or planted hash with
// m=4294967295 would exhaust the process's memory, and a bcrypt cost of 31 would occupy a thread for
// days. Hashes above these bounds are treated as malformed.
// A digest under 16 bytes or a salt under 8 bytes (the PHC minimum) is too weak to trust.
const STORED_ARGON2_BOUNDS = { memoryCost: 262_144, timeCost: 16, parallelism: 16, minOutputLen: 16, minSaltLen: 8 } as const;
const STORED_BCRYPT_COST_BOUNDS = [4, 16] as const;

// $2a$, $2b$ and $2y$ are the same algorithm with bug fixes in other implementations; $2x$ marks
// hashes made by a known-buggy implementation and is not accepted.
const BCRYPT_PATTERN = /^\$2[aby]\$(\d\d)\$[./A-Za-z0-9]{53}$/;
const ARGON2_PREFIX = /^\$argon2(id|i|d)\$/;
const ARGON2_ALGORITHMS = ['argon2d', 'argon2i', 'argon2id'] as const;

// The longest PHC string that bulwark reads: far above a real hash, far below anything costly to parse.
const MAX_ENCODED_LENGTH = 512;

/**
 * Parses a stored password hash (a PHC string for Argon2, a modular crypt string for bcrypt).
 * Returns undefined for anything malformed, of an unknown algorithm, or with parameters beyond the
 * bounds above. It never throws.
 */
export function parseStoredHash(encoded: unknown): StoredHash | undefined {
  if (typeof encoded !== 'string' || encoded.length > MAX_ENCODED_LENGTH) {
    return undefined;
  }

  const bcrypt = BCRYPT_PATTERN.exec(encoded);
  if (bcrypt !== null) {
    const cost = Number(bcrypt[1]);
    const [min, max] = STORED_BCRYPT_COST_BOUNDS;
    return cost >= min && cost <= max ? { algorithm: 'bcrypt', cost, encoded } : undefined;
  }

  if (ARGON2_PREFIX.test(encoded)) {
    return parseArgon2(encoded);
  }

  return undefined;
}

function parseArgon2(encoded: string): StoredHash | undefined {
  let parsed: ReturnType<typeof parseOptions>;
  try {
    parsed = parseOptions(encoded);
  } catch {
    return undefined;
  }

  const algorithm = ARGON2_ALGORITHMS[parsed.algorithm];
  const withinBounds =
    parsed.memoryCost <= STORED_ARGON2_BOUNDS.memoryCost &&
    parsed.timeCost <= STORED_ARGON2_BOUNDS.timeCost &&
    parsed.parallelism <= STORED_ARGON2_BOUNDS.parallelism &&
    parsed.outputLen >= STORED_ARGON2_BOUNDS.minOutputLen &&
    parsed.saltLen >= STORED_ARGON2_BOUNDS.minSaltLen;
  if (algorithm === undefined || !withinBounds) {
    return undefined;
  }

  return {
    algorithm,
    version: parsed.version,
    memoryCost: parsed.memoryCost,
    timeCost: parsed.timeCost,
    parallelism: parsed.parallelism,
    encoded,
  };
}
