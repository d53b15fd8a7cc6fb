import { BulwarkError } from '../errors.js';

/**
 * The Argon2id parameters that the OWASP Password Storage Cheat Sheet gives as the minimum
 * configuration: 19 MiB of memory (19,456 KiB), 2 iterations, 1 degree of parallelism.
 *
 * @example
 * ```ts
 * const stronger = { ...OWASP_ARGON2ID, memoryCost: 2 * OWASP_ARGON2ID.memoryCost };
 * const passwordHash = await hashPassword(password, stronger);
 * ```
 */
export const OWASP_ARGON2ID = Object.freeze({ memoryCost: 19_456, timeCost: 2, parallelism: 1 });

/**
 * The default bcrypt cost (work factor): 2^12 rounds. The OWASP minimum is 10.
 *
 * @example
 * ```ts
 * await hashPassword(password, { algorithm: 'bcrypt', cost: DEFAULT_BCRYPT_COST + 1 });
 * ```
 */
export const DEFAULT_BCRYPT_COST = 12;

/**
 * The default maximum password length in UTF-8 bytes, against hashing-cost abuse with huge inputs.
 *
 * @example
 * ```ts
 * const tooLong = Buffer.byteLength(password.normalize('NFC')) > DEFAULT_MAX_PASSWORD_BYTES;
 * ```
 */
export const DEFAULT_MAX_PASSWORD_BYTES = 1024;

/**
 * Argon2id hashing options. Values below the defaults weaken the hash against offline cracking.
 *
 * @example
 * ```ts
 * const options: Argon2idOptions = { memoryCost: 65_536, timeCost: 3, parallelism: 1 };
 * ```
 */
export interface Argon2idOptions {
  readonly algorithm?: 'argon2id';
  /** Memory in KiB, 1,024 to 262,144. Defaults to 19,456 (OWASP). */
  readonly memoryCost?: number;
  /** Iterations, 1 to 16. Defaults to 2 (OWASP). */
  readonly timeCost?: number;
  /** Degree of parallelism, 1 to 16. Defaults to 1 (OWASP). */
  readonly parallelism?: number;
  /** Maximum password length in UTF-8 bytes after NFC normalisation, 72 to 65,536. Defaults to 1,024. */
  readonly maxPasswordBytes?: number;
}

/**
 * bcrypt hashing options, for systems that already store bcrypt hashes.
 *
 * @example
 * ```ts
 * const options: BcryptOptions = { algorithm: 'bcrypt', cost: 12 };
 * ```
 */
export interface BcryptOptions {
  readonly algorithm: 'bcrypt';
  /** The cost (log2 of the rounds), 10 to 14. Defaults to 12. */
  readonly cost?: number;
  /** Maximum password length in UTF-8 bytes; bcrypt itself never accepts more than 72. Defaults to 1,024. */
  readonly maxPasswordBytes?: number;
}

/**
 * Options of {@link hashPassword}, {@link needsRehash} and the authenticator: the algorithm and its
 * parameters. Omitted, they are Argon2id with the OWASP parameters.
 *
 * @example
 * ```ts
 * const argon2: HashOptions = { memoryCost: 65_536, timeCost: 3 };
 * const legacy: HashOptions = { algorithm: 'bcrypt', cost: 12 };
 * ```
 */
export type HashOptions = Argon2idOptions | BcryptOptions;

/** Hash options with every default filled in and every value checked. */
export type ResolvedHashOptions =
  | { readonly algorithm: 'argon2id'; readonly memoryCost: number; readonly timeCost: number; readonly parallelism: number; readonly maxPasswordBytes: number }
  | { readonly algorithm: 'bcrypt'; readonly cost: number; readonly maxPasswordBytes: number };

// Bounds for the parameters that bulwark creates hashes with. The upper bounds keep one hash within
// the memory and time that a login request can afford.
const ARGON2_BOUNDS = {
  memoryCost: [1024, 262_144],
  timeCost: [1, 16],
  parallelism: [1, 16],
} as const;
const BCRYPT_COST_BOUNDS = [10, 14] as const;
const MAX_PASSWORD_BYTES_BOUNDS = [72, 65_536] as const;

/**
 * Checks hash options and fills in the defaults. Throws `ERR_OPTION_INVALID` naming the option and
 * its allowed range. `name` prefixes option names in messages, such as `hash.` inside another factory.
 */
export function resolveHashOptions(options: HashOptions | undefined, name = ''): ResolvedHashOptions {
  if (options !== undefined && (typeof options !== 'object' || options === null)) {
    throw new BulwarkError('ERR_OPTION_INVALID', `${name === '' ? 'options' : name.slice(0, -1)} must be an object such as { algorithm: 'argon2id' }.`);
  }

  const algorithm = options?.algorithm ?? 'argon2id';
  const maxPasswordBytes = integerIn(options?.maxPasswordBytes, DEFAULT_MAX_PASSWORD_BYTES, MAX_PASSWORD_BYTES_BOUNDS, `${name}maxPasswordBytes`);

  if (algorithm === 'bcrypt') {
    const cost = integerIn((options as BcryptOptions).cost, DEFAULT_BCRYPT_COST, BCRYPT_COST_BOUNDS, `${name}cost`);
    return Object.freeze({ algorithm, cost, maxPasswordBytes });
  }

  if (algorithm !== 'argon2id') {
    throw new BulwarkError('ERR_OPTION_INVALID', `${name}algorithm must be 'argon2id' or 'bcrypt'.`, { option: `${name}algorithm` });
  }

  const argon2 = options as Argon2idOptions | undefined;
  return Object.freeze({
    algorithm,
    memoryCost: integerIn(argon2?.memoryCost, OWASP_ARGON2ID.memoryCost, ARGON2_BOUNDS.memoryCost, `${name}memoryCost`),
    timeCost: integerIn(argon2?.timeCost, OWASP_ARGON2ID.timeCost, ARGON2_BOUNDS.timeCost, `${name}timeCost`),
    parallelism: integerIn(argon2?.parallelism, OWASP_ARGON2ID.parallelism, ARGON2_BOUNDS.parallelism, `${name}parallelism`),
    maxPasswordBytes,
  });
}

function integerIn(value: unknown, fallback: number, [min, max]: readonly [number, number], option: string): number {
  if (value === undefined) {
    return fallback;
  }
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw new BulwarkError('ERR_OPTION_INVALID', `${option} must be an integer from ${min} to ${max}.`, { option });
  }
  return value;
}

/** Builds a stable key of the parameters, for caching one dummy hash per configuration. */
export function parametersKey(options: ResolvedHashOptions): string {
  return options.algorithm === 'bcrypt'
    ? `bcrypt:${options.cost}`
    : `argon2id:${options.memoryCost}:${options.timeCost}:${options.parallelism}`;
}
