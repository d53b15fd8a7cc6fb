import { BulwarkError } from '../errors.js';
import { listRequiredClaims, normalizeTyp, type ClaimRules } from './claims.js';
import { parseDurationSeconds } from './duration.js';
import { JWT_ALGORITHMS, type Duration, type JwtAlgorithm, type JwtPayload, type JwtVerifierOptions } from './types.js';

/**
 * The default clock tolerance, in seconds.
 *
 * @example
 * ```ts
 * createJwtVerifier({ key, clockTolerance: DEFAULT_CLOCK_TOLERANCE_SECONDS * 2 });
 * ```
 */
export const DEFAULT_CLOCK_TOLERANCE_SECONDS = 30;

/**
 * The largest clock tolerance accepted, in seconds: more would keep expired tokens alive.
 *
 * @example
 * ```ts
 * createJwtVerifier({ key, clockTolerance: MAX_CLOCK_TOLERANCE_SECONDS }); // 300, the most allowed
 * ```
 */
export const MAX_CLOCK_TOLERANCE_SECONDS = 300;

/**
 * The default token size cap, in bytes.
 *
 * @example
 * ```ts
 * createJwtVerifier({ key, maxTokenBytes: DEFAULT_MAX_TOKEN_BYTES * 2 }); // for tokens with many claims
 * ```
 */
export const DEFAULT_MAX_TOKEN_BYTES = 8192;

/**
 * The default number of entries of the verified-token cache when `cache: true`.
 *
 * @example
 * ```ts
 * createJwtVerifier({ key, cache: { maxEntries: DEFAULT_CACHE_MAX_ENTRIES * 10 } });
 * ```
 */
export const DEFAULT_CACHE_MAX_ENTRIES = 1000;

/** The verifier's options after validation, in the form the request path reads. */
export interface VerifierSettings<P extends JwtPayload> {
  /** The configured algorithms, or `undefined` for every algorithm the key allows. */
  readonly algorithms: ReadonlySet<JwtAlgorithm> | undefined;
  readonly claimRules: ClaimRules;
  readonly maxTokenBytes: number;
  readonly cacheMaxEntries: number | undefined;
  readonly checkClaims: ((payload: P) => boolean | Promise<boolean>) | undefined;
  readonly now: () => number;
}

const KEY_SOURCES = ['key', 'keys', 'jwksUri', 'getKey'] as const;

/**
 * Validates the options of `createJwtVerifier`, all at once, and throws `ERR_OPTION_INVALID`
 * naming the first wrong option and the fix. Key material is checked later, by the key source.
 */
export function resolveVerifierSettings<P extends JwtPayload>(options: JwtVerifierOptions<P>): VerifierSettings<P> {
  if (typeof options !== 'object' || options === null) {
    throw optionError('options', 'must be an object with a key source such as { key } or { jwksUri }');
  }

  // The payload type only narrows checkClaims, which is read untouched, so the checks use the base type.
  const general = options as unknown as JwtVerifierOptions;
  checkKeySource(general);
  checkFunction(general, 'checkClaims');
  checkFunction(general, 'now');
  checkJwksSettings(general);

  return {
    algorithms: readAlgorithms(general),
    claimRules: readClaimRules(general),
    maxTokenBytes: readMaxTokenBytes(options.maxTokenBytes),
    cacheMaxEntries: readCacheMaxEntries(options.cache),
    checkClaims: options.checkClaims,
    now: options.now ?? Date.now,
  };
}

/** Builds the `ERR_OPTION_INVALID` error for one option. */
export function optionError(option: string, problem: string): BulwarkError {
  return new BulwarkError('ERR_OPTION_INVALID', `The ${option} option ${problem}.`, { option });
}

function checkKeySource(options: JwtVerifierOptions<JwtPayload>): void {
  const present = KEY_SOURCES.filter((name) => options[name] !== undefined);
  if (present.length === 0) {
    throw new BulwarkError(
      'ERR_OPTION_INVALID',
      'No key source is set: pass one of key (a secret, PEM, JWK or KeyObject), keys (a key ring by kid), jwksUri or getKey.',
      { option: 'key' },
    );
  }
  if (present.length > 1) {
    throw new BulwarkError('ERR_OPTION_INVALID', `Several key sources are set (${present.join(', ')}): keep exactly one.`, {
      option: present[1],
    });
  }
}

function readAlgorithms(options: JwtVerifierOptions<JwtPayload>): ReadonlySet<JwtAlgorithm> | undefined {
  const { algorithms } = options;
  if (algorithms === undefined) {
    return undefined;
  }

  if (!Array.isArray(algorithms) || algorithms.length === 0) {
    throw optionError('algorithms', `must be a non-empty list of ${JWT_ALGORITHMS.join(', ')}`);
  }
  for (const algorithm of algorithms as readonly unknown[]) {
    if (typeof algorithm === 'string' && algorithm.toLowerCase() === 'none') {
      throw optionError('algorithms', 'contains "none", which is never accepted (RFC 8725 section 3.1); list signing algorithms only');
    }
    if (!JWT_ALGORITHMS.includes(algorithm as JwtAlgorithm)) {
      throw optionError('algorithms', `contains an unsupported algorithm; use only ${JWT_ALGORITHMS.join(', ')}`);
    }
  }
  return new Set(algorithms);
}

function readClaimRules(options: JwtVerifierOptions<JwtPayload>): ClaimRules {
  const clockToleranceSeconds = readDuration(options.clockTolerance, 'clockTolerance') ?? DEFAULT_CLOCK_TOLERANCE_SECONDS;
  if (clockToleranceSeconds > MAX_CLOCK_TOLERANCE_SECONDS) {
    throw optionError('clockTolerance', `must be at most ${MAX_CLOCK_TOLERANCE_SECONDS} seconds; fix the clocks instead of widening the tolerance`);
  }

  const maxTokenAgeSeconds = readDuration(options.maxTokenAge, 'maxTokenAge');
  if (maxTokenAgeSeconds === 0) {
    throw optionError('maxTokenAge', 'must be greater than zero');
  }

  const requiredClaims = options.requiredClaims ?? [];
  if (!Array.isArray(requiredClaims) || !requiredClaims.every((claim) => typeof claim === 'string' && claim.length > 0)) {
    throw optionError('requiredClaims', 'must be a list of claim names');
  }

  if (options.typ !== undefined && (typeof options.typ !== 'string' || options.typ.length === 0)) {
    throw optionError('typ', "must be a non-empty string such as 'at+jwt'");
  }

  const requireExpiration = options.requireExpiration ?? true;
  if (typeof requireExpiration !== 'boolean') {
    throw optionError('requireExpiration', 'must be true or false');
  }

  const rules = {
    ...optionalList('issuers', options.issuer, 'issuer'),
    ...optionalList('audiences', options.audience, 'audience'),
    clockToleranceSeconds,
    ...(maxTokenAgeSeconds === undefined ? {} : { maxTokenAgeSeconds }),
    ...(options.typ === undefined ? {} : { typ: normalizeTyp(options.typ) }),
    requireExpiration,
  };
  return { ...rules, requiredClaims: listRequiredClaims(requiredClaims, rules) };
}

function optionalList(field: 'issuers' | 'audiences', value: unknown, option: string): Partial<Record<typeof field, string[]>> {
  if (value === undefined) {
    return {};
  }

  const list = typeof value === 'string' ? [value] : value;
  if (!Array.isArray(list) || list.length === 0 || !list.every((entry) => typeof entry === 'string' && entry.length > 0)) {
    throw optionError(option, 'must be a non-empty string or a non-empty list of non-empty strings');
  }
  return { [field]: [...list] };
}

function readDuration(value: Duration | undefined, option: string): number | undefined {
  if (value === undefined) {
    return undefined;
  }
  const seconds = parseDurationSeconds(value);
  if (seconds === undefined) {
    throw optionError(option, "must be a number of seconds or a duration such as '30s', '15m', '2h' or '7d'");
  }
  return seconds;
}

/** Reads the `maxTokenBytes` option, or returns the default. */
export function readMaxTokenBytes(value: number | undefined): number {
  if (value === undefined) {
    return DEFAULT_MAX_TOKEN_BYTES;
  }
  if (!Number.isSafeInteger(value) || value < 16) {
    throw optionError('maxTokenBytes', `must be a whole number of bytes, at least 16 (default ${DEFAULT_MAX_TOKEN_BYTES})`);
  }
  return value;
}

function readCacheMaxEntries(value: JwtVerifierOptions['cache']): number | undefined {
  if (value === undefined || value === false) {
    return undefined;
  }
  if (value === true) {
    return DEFAULT_CACHE_MAX_ENTRIES;
  }

  const maxEntries = typeof value === 'object' && value !== null ? (value.maxEntries ?? DEFAULT_CACHE_MAX_ENTRIES) : NaN;
  if (!Number.isSafeInteger(maxEntries) || maxEntries < 1) {
    throw optionError('cache', `must be true, false or { maxEntries } with a whole number of at least 1 (default ${DEFAULT_CACHE_MAX_ENTRIES})`);
  }
  return maxEntries;
}

function checkFunction(options: JwtVerifierOptions<JwtPayload>, name: 'checkClaims' | 'now'): void {
  if (options[name] !== undefined && typeof options[name] !== 'function') {
    throw optionError(name, 'must be a function');
  }
}

function checkJwksSettings(options: JwtVerifierOptions<JwtPayload>): void {
  const { jwks } = options;
  if (jwks === undefined) {
    return;
  }
  if (options.jwksUri === undefined) {
    throw optionError('jwks', 'applies only with jwksUri; remove it or set jwksUri');
  }
  if (typeof jwks !== 'object' || jwks === null) {
    throw optionError('jwks', 'must be an object such as { timeoutMs: 5000 }');
  }
  for (const name of ['timeoutMs', 'cooldownMs', 'cacheMaxAgeMs'] as const) {
    const value = jwks[name];
    if (value !== undefined && (!Number.isSafeInteger(value) || value < 0)) {
      throw optionError(`jwks.${name}`, 'must be a whole number of milliseconds, zero or more');
    }
    if (name === 'timeoutMs' && value === 0) {
      throw optionError('jwks.timeoutMs', 'must be at least 1 millisecond; the default is 5000');
    }
  }
}
