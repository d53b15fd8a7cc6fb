import { BulwarkError } from '../../src/errors.js';
import {
  DEFAULT_CLOCK_TOLERANCE_SECONDS,
  type Duration,
  type JwtPayload,
  type JwtVerifierOptions,
} from '../../src/jwt/index.js';
import { parseDurationSeconds } from '../../src/jwt/duration.js';
import type { TokenDenylist } from '../../src/revocation/denylist.js';
import { isValidCookieName } from './bearer-token.js';
import { loggerOf } from './factory-options.js';
import type { Logger } from './logger.js';
import { compileScopes, type CompiledScopes, type ScopeRequirement } from './scopes.js';
import { isValidRealm } from './www-authenticate.js';

/** The `optional` action for one kind of token failure: let the request through, or reject it. */
export type OptionalAction = 'allow' | 'reject';

/**
 * The policy for requests without a verified token. `true` allows only a request with no token,
 * and an object decides separately for a missing, an invalid and an expired token.
 */
export type OptionalTokenPolicy =
  | boolean
  | {
      readonly missing?: OptionalAction;
      readonly invalid?: OptionalAction;
      readonly expired?: OptionalAction;
    };

/**
 * Options of `requireJwt`, shared by the Express and Koa adapters. `R` is the framework's request
 * (Express's `req`, Koa's `ctx`), passed to `getToken`.
 */
export interface JwtGuardOptions<P extends JwtPayload, R> extends JwtVerifierOptions<P> {
  /**
   * Scopes that the token must grant, read from its `scope`, `scp` and `permissions` claims. A list
   * means all of them; `{ allOf, anyOf }` requires all of one list and at least one of the other.
   * A token without them gets 403 `insufficient_scope`. Default: none required.
   */
  readonly scopes?: ScopeRequirement;
  /** A cookie to read the token from, besides the `Authorization` header. Default: none. */
  readonly cookie?: string;
  /**
   * Reads the token from the request instead of the `Authorization` header and cookie; return
   * `undefined` when there is none. Cannot be combined with `cookie`. Default: none.
   */
  readonly getToken?: (request: R) => string | undefined | null | Promise<string | undefined | null>;
  /**
   * The policy for requests without a verified token. Default `false`: every failure is rejected.
   * A request let through with a failed token gets no `auth`, and the failure is recorded in
   * `authError` and logged.
   */
  readonly optional?: OptionalTokenPolicy;
  /**
   * Tells whether a verified token is revoked; runs after full verification, and `true` gets 401
   * `invalid_token`. A thrown error gets 503. Default: none.
   */
  readonly isRevoked?: (payload: P) => boolean | Promise<boolean>;
  /**
   * A denylist of revoked token ids, checked after full verification. With it, a token without a
   * `jti` is rejected, because it could not be revoked. Default: none.
   */
  readonly denylist?: TokenDenylist;
  /** The `realm` of the `WWW-Authenticate` challenge, in printable ASCII. Default: none. */
  readonly realm?: string;
  /**
   * Receives security events: each rejected or ignored token with its reason code and the request
   * id, never the token. Default: none, so nothing is logged.
   */
  readonly logger?: Logger;
}

/** The names of the options that `requireJwt` reads itself; the others go to the JWT verifier. */
export const GUARD_OPTION_NAMES = [
  'scopes',
  'cookie',
  'getToken',
  'optional',
  'isRevoked',
  'denylist',
  'realm',
  'logger',
] as const;

/** The options of `requireJwt` that the request path reads, checked at setup. */
export interface GuardSettings<P extends JwtPayload, R> {
  readonly scopes: CompiledScopes | undefined;
  readonly cookie: string | undefined;
  readonly getToken: JwtGuardOptions<P, R>['getToken'];
  readonly policy: {
    readonly missing: OptionalAction;
    readonly invalid: OptionalAction;
    readonly expired: OptionalAction;
  };
  readonly isRevoked: JwtGuardOptions<P, R>['isRevoked'];
  readonly denylist: TokenDenylist | undefined;
  readonly realm: string | undefined;
  readonly logger: Logger | undefined;
}

const MAX_REALM_LENGTH = 256;

/**
 * Checks the options that `requireJwt` reads itself and throws `ERR_OPTION_INVALID` naming the
 * first wrong one and the fix. The options object is only read, never changed.
 *
 * @example
 * ```ts
 * const settings = resolveGuardSettings({ key, cookie: 'access_token', optional: true });
 * ```
 */
export function resolveGuardSettings<P extends JwtPayload, R>(options: JwtGuardOptions<P, R>): GuardSettings<P, R> {
  if (typeof options !== 'object' || options === null) {
    throw optionError(
      'options',
      'requireJwt needs an options object with a key source, such as { key } or { jwksUri }.',
    );
  }

  checkCookie(options);
  checkFunction(options.getToken, 'getToken', 'getToken must be a function that returns the token or undefined.');
  checkFunction(options.isRevoked, 'isRevoked', 'isRevoked must be a function that returns true for a revoked token.');
  checkDenylist(options.denylist);
  checkRealm(options.realm);
  loggerOf(options.logger, 'requireJwt');

  return {
    scopes: compileScopes(options.scopes),
    cookie: options.cookie,
    getToken: options.getToken,
    policy: readPolicy(options.optional),
    isRevoked: options.isRevoked,
    denylist: options.denylist,
    realm: options.realm,
    logger: options.logger,
  };
}

/**
 * Copies the options that belong to the JWT verifier, leaving out those that `requireJwt` reads
 * itself.
 */
export function pickVerifierOptions<P extends JwtPayload, R>(options: JwtGuardOptions<P, R>): JwtVerifierOptions<P> {
  const verifierOptions: Record<string, unknown> = { ...options };
  for (const name of GUARD_OPTION_NAMES) {
    delete verifierOptions[name];
  }
  return verifierOptions as JwtVerifierOptions<P>;
}

/**
 * Throws `ERR_OPTION_INVALID` naming `denylist` when its entries expire before the verifier stops
 * accepting a token. The verifier accepts a token up to `clockTolerance` seconds past `exp`, so a
 * shorter retention would let a revoked token through in between. Call it after the verifier has
 * checked `clockTolerance`.
 */
export function checkDenylistRetention(
  denylist: TokenDenylist | undefined,
  clockTolerance: Duration | undefined,
): void {
  const retainSeconds = denylist?.retainSeconds;
  if (retainSeconds === undefined) {
    return;
  }

  const toleranceSeconds =
    clockTolerance === undefined ? DEFAULT_CLOCK_TOLERANCE_SECONDS : parseDurationSeconds(clockTolerance) ?? 0;
  if (retainSeconds < toleranceSeconds) {
    throw optionError(
      'denylist',
      `The denylist keeps entries ${retainSeconds} seconds past exp, less than the ${toleranceSeconds} seconds of ` +
        'clockTolerance; raise its retainSeconds to at least clockTolerance.',
    );
  }
}

function checkCookie(options: { readonly cookie?: unknown; readonly getToken?: unknown }): void {
  if (options.cookie === undefined) {
    return;
  }

  if (typeof options.cookie !== 'string' || !isValidCookieName(options.cookie)) {
    throw optionError(
      'cookie',
      'cookie must be a cookie name: letters, digits and !#$%&\'*+-.^_`|~, such as "access_token".',
    );
  }

  if (options.getToken !== undefined) {
    throw optionError(
      'cookie',
      'cookie and getToken cannot be combined: getToken replaces the built-in sources, so read the cookie there.',
    );
  }
}

function readPolicy(optional: unknown): GuardSettings<JwtPayload, unknown>['policy'] {
  if (optional === undefined || optional === false) {
    return { missing: 'reject', invalid: 'reject', expired: 'reject' };
  }

  if (optional === true) {
    return { missing: 'allow', invalid: 'reject', expired: 'reject' };
  }

  if (typeof optional !== 'object' || optional === null || Array.isArray(optional)) {
    throw optionError(
      'optional',
      'optional must be true, false or { missing, invalid, expired } with "allow" or "reject".',
    );
  }

  const policy = { missing: 'reject', invalid: 'reject', expired: 'reject' } as Record<string, OptionalAction>;
  for (const [kind, action] of Object.entries(optional)) {
    if (!Object.hasOwn(policy, kind)) {
      throw optionError('optional', 'optional takes only the keys missing, invalid and expired.');
    }
    if (action === undefined) {
      continue;
    }
    if (action !== 'allow' && action !== 'reject') {
      throw optionError('optional', `optional.${kind} must be "allow" or "reject".`);
    }
    policy[kind] = action;
  }
  return policy as GuardSettings<JwtPayload, unknown>['policy'];
}

function checkDenylist(denylist: unknown): void {
  if (denylist === undefined) {
    return;
  }

  const store = denylist as Partial<TokenDenylist> | null;
  if (typeof store !== 'object' || store === null || typeof store.isRevoked !== 'function') {
    throw optionError(
      'denylist',
      'denylist must be a token denylist, such as createMemoryDenylist() or createRedisDenylist({ client }).',
    );
  }
}

function checkRealm(realm: unknown): void {
  if (realm === undefined) {
    return;
  }

  if (typeof realm !== 'string' || realm.length > MAX_REALM_LENGTH || !isValidRealm(realm)) {
    throw optionError(
      'realm',
      `realm must be a string of printable ASCII characters, at most ${MAX_REALM_LENGTH} long.`,
    );
  }
}

function checkFunction(value: unknown, option: string, message: string): void {
  if (value !== undefined && typeof value !== 'function') {
    throw optionError(option, message);
  }
}

function optionError(option: string, message: string): BulwarkError {
  return new BulwarkError('ERR_OPTION_INVALID', message, { option });
}
