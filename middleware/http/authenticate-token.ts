import { BulwarkError } from '../../src/errors.js';
import { parseDurationSeconds } from '../../src/jwt/duration.js';
import { importSigningKey } from '../../src/jwt/key-import.js';
import { algorithmsForKey } from '../../src/jwt/key-types.js';
import { signJwt } from '../../src/jwt/sign.js';
import type { Duration, JwtAlgorithm, JwtPayload, KeyInput } from '../../src/jwt/types.js';

/**
 * Options of the access token that a successful login issues instead of calling the next middleware.
 *
 * @example
 * ```ts
 * const issueToken: IssueTokenOptions<User> = {
 *   key: privateKeyPem,
 *   expiresIn: '15m',
 *   audience: 'orders-api',
 *   claims: (user) => ({ scope: user.scopes.join(' ') }),
 * };
 * ```
 */
export interface IssueTokenOptions<User> {
  /** The signing key: a private key (Ed25519 gives EdDSA, the default) or an HMAC secret of 32 bytes or more. */
  readonly key: KeyInput;
  /** The JWS algorithm. Defaults from the key: EdDSA for Ed25519. */
  readonly algorithm?: JwtAlgorithm;
  /** The token's lifetime, as seconds or a duration such as `'15m'`. Defaults to 900 seconds. */
  readonly expiresIn?: Duration;
  /** The `iss` claim. */
  readonly issuer?: string;
  /** The `aud` claim. */
  readonly audience?: string | readonly string[];
  /** The `kid` header, so verifiers can pick the key from a key ring. */
  readonly kid?: string;
  /** Extra claims for the user, such as `{ scope: 'orders:read' }`. Must not set a registered claim. */
  readonly claims?: (user: User) => JwtPayload | Promise<JwtPayload>;
  /** The `sub` claim for the user. Defaults to the user's `id` field, as a string. */
  readonly subject?: (user: User) => string;
}

/**
 * The token response body (RFC 6749, section 5.1).
 *
 * @example
 * ```ts
 * const { access_token }: TokenResponse = await (await fetch('/login', init)).json();
 * ```
 */
export interface TokenResponse {
  readonly access_token: string;
  readonly token_type: 'Bearer';
  readonly expires_in: number;
}

/** Makes the token response for a user. */
export type TokenIssuer<User> = (user: User) => Promise<TokenResponse>;

const DEFAULT_EXPIRES_IN_SECONDS = 900;

/**
 * Checks the `issueToken` options once and returns the function that signs a token per login. The
 * key is imported here, so a wrong key or algorithm fails at startup, not at the first login.
 * Every token carries a random `jti`, so that it can be revoked before it expires.
 */
export function createTokenIssuer<User>(options: IssueTokenOptions<User>): TokenIssuer<User> {
  if (typeof options !== 'object' || options === null) {
    throw new BulwarkError('ERR_OPTION_INVALID', 'issueToken must be an object with at least a signing key.', { option: 'issueToken' });
  }

  const { keyObject } = importSigningKey(options.key, { label: 'issueToken.key', code: 'ERR_OPTION_INVALID' });
  const allowed = algorithmsForKey(keyObject);
  if (allowed.length === 0 || (options.algorithm !== undefined && !allowed.includes(options.algorithm))) {
    throw new BulwarkError('ERR_OPTION_INVALID', `issueToken.algorithm must be one that the key allows: ${allowed.join(', ') || 'none'}.`, {
      option: 'issueToken.algorithm',
    });
  }

  const expiresIn = parseDurationSeconds(options.expiresIn ?? DEFAULT_EXPIRES_IN_SECONDS);
  if (expiresIn === undefined || expiresIn < 1) {
    throw new BulwarkError('ERR_OPTION_INVALID', "issueToken.expiresIn must be a positive number of seconds or a duration such as '15m'.", {
      option: 'issueToken.expiresIn',
    });
  }
  assertOptionalFunction(options.claims, 'issueToken.claims');
  assertOptionalFunction(options.subject, 'issueToken.subject');

  const subjectOf = options.subject ?? defaultSubject;
  return async (user) => {
    const claims = options.claims === undefined ? {} : await options.claims(user);
    const accessToken = await signJwt({ ...claims }, keyObject, {
      algorithm: options.algorithm,
      expiresIn,
      issuer: options.issuer,
      audience: options.audience,
      kid: options.kid,
      subject: subjectOf(user),
      jti: true,
    });
    return { access_token: accessToken, token_type: 'Bearer', expires_in: expiresIn };
  };
}

function defaultSubject(user: unknown): string {
  const id = (user as { id?: unknown } | null)?.id;
  if (typeof id === 'string' || typeof id === 'number') {
    return String(id);
  }
  throw new BulwarkError('ERR_OPTION_INVALID', 'The user has no string or number id; set issueToken.subject to read the subject from the user.', {
    option: 'issueToken.subject',
  });
}

function assertOptionalFunction(value: unknown, option: string): void {
  if (value !== undefined && typeof value !== 'function') {
    throw new BulwarkError('ERR_OPTION_INVALID', `${option} must be a function.`, { option });
  }
}
