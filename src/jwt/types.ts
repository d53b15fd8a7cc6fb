import type { KeyObject } from 'node:crypto';

/** A JWS algorithm that bulwark signs and verifies (RFC 7518 section 3, RFC 8037 for `EdDSA`). */
export type JwtAlgorithm =
  | 'HS256'
  | 'HS384'
  | 'HS512'
  | 'RS256'
  | 'RS384'
  | 'RS512'
  | 'PS256'
  | 'PS384'
  | 'PS512'
  | 'ES256'
  | 'ES384'
  | 'ES512'
  | 'EdDSA';

/**
 * Every {@link JwtAlgorithm}, in a fixed order.
 *
 * @example
 * ```ts
 * const asymmetric = JWT_ALGORITHMS.filter((algorithm) => !algorithm.startsWith('HS'));
 * ```
 */
export const JWT_ALGORITHMS: readonly JwtAlgorithm[] = Object.freeze([
  'HS256',
  'HS384',
  'HS512',
  'RS256',
  'RS384',
  'RS512',
  'PS256',
  'PS384',
  'PS512',
  'ES256',
  'ES384',
  'ES512',
  'EdDSA',
]);

/** A JSON Web Key as a plain object (RFC 7517), such as one entry of a JWKS. */
export interface JwkObject {
  readonly kty: string;
  readonly kid?: string;
  readonly alg?: string;
  readonly use?: string;
  readonly [parameter: string]: unknown;
}

/**
 * Key material for signing or verification. It is a `KeyObject`, a PEM string (public key, private
 * key or certificate), an HMAC secret as text or bytes, or a JWK object.
 *
 * @example
 * ```ts
 * const keys: KeyInput[] = [publicKeyPem, crypto.randomBytes(32), { kty: 'OKP', crv: 'Ed25519', x }];
 * ```
 */
export type KeyInput = KeyObject | string | Uint8Array | JwkObject;

/** The claims of a JWT (RFC 7519 section 4); registered claims are typed, others are `unknown`. */
export interface JwtPayload {
  iss?: string;
  sub?: string;
  aud?: string | string[];
  exp?: number;
  nbf?: number;
  iat?: number;
  jti?: string;
  [claim: string]: unknown;
}

/** The protected header of a JWS (RFC 7515 section 4). */
export interface JwtHeader {
  alg: string;
  kid?: string;
  typ?: string;
  cty?: string;
  crit?: string[];
  [parameter: string]: unknown;
}

/** The result of a successful verification. */
export interface VerifiedJwt<P extends JwtPayload = JwtPayload> {
  /** The claims, parsed from the payload after the signature and the claims were checked. */
  payload: P;
  /** The protected header as the issuer sent it, frozen because it may be shared between tokens. */
  protectedHeader: JwtHeader;
}

/** A duration: a number of seconds, or a string such as `'30s'`, `'15m'`, `'2h'`, `'7d'`. */
export type Duration = number | string;

/**
 * Options of {@link createJwtVerifier}. Exactly one of `key`, `keys`, `jwksUri` and `getKey` is required.
 *
 * @example
 * ```ts
 * const options: JwtVerifierOptions = { keys: { '2024-01': oldKey, '2025-01': newKey }, audience: 'orders-api' };
 * ```
 */
export interface JwtVerifierOptions<P extends JwtPayload = JwtPayload> {
  /** The one key that verifies every token; a token's `kid` header is not consulted. */
  readonly key?: KeyInput;
  /** A key ring by `kid`; a token without a `kid`, or with one not in the ring, is rejected. */
  readonly keys?: Readonly<Record<string, KeyInput>>;
  /** The URL of a JSON Web Key Set, fetched through jose's `createRemoteJWKSet`. Never accepts HMAC algorithms. */
  readonly jwksUri?: string | URL;
  /** Returns the key for a token's header; the result is checked like a configured key on every call. */
  readonly getKey?: (header: Readonly<JwtHeader>) => KeyInput | Promise<KeyInput>;
  /** The accepted algorithms. Default: every algorithm the key's type allows (for `jwksUri`, every asymmetric one). */
  readonly algorithms?: readonly JwtAlgorithm[];
  /** The expected `iss`, or a list of accepted values. Default: not checked. */
  readonly issuer?: string | readonly string[];
  /** The expected `aud`; the token's `aud` (a string or a list) must contain one of these. Default: not checked. */
  readonly audience?: string | readonly string[];
  /** Accepted clock skew for `exp`, `nbf` and `iat`. Default: 30 seconds; at most 300 seconds. */
  readonly clockTolerance?: Duration;
  /** The maximum age of a token, measured from its `iat`, which becomes required. Default: not checked. */
  readonly maxTokenAge?: Duration;
  /** Claims that must be present, beyond those the other options require. Default: none. */
  readonly requiredClaims?: readonly string[];
  /** The expected `typ` header, compared case-insensitively with an optional `application/` prefix. Default: not checked. */
  readonly typ?: string;
  /** The largest accepted token, in bytes. Default: 8192. */
  readonly maxTokenBytes?: number;
  /** Whether a token without `exp` is rejected. Default: `true`. */
  readonly requireExpiration?: boolean;
  /** An application check that runs after the signature and the standard claims passed; `false` rejects. */
  readonly checkClaims?: (payload: P) => boolean | Promise<boolean>;
  /** A cache of verified tokens, keyed by the SHA-256 of the token. Default: off; `true` keeps 1000 entries. */
  readonly cache?: boolean | { readonly maxEntries?: number };
  /** Remote key set settings, used with `jwksUri`. Defaults: 5000 ms timeout, 30000 ms cooldown, 600000 ms cache age. */
  readonly jwks?: { readonly timeoutMs?: number; readonly cooldownMs?: number; readonly cacheMaxAgeMs?: number };
  /** The clock, in milliseconds since the epoch. Default: `Date.now`. */
  readonly now?: () => number;
}

/** Options of {@link verifyJwt} and {@link validateJwt}: the verifier options without the key sources. */
export type VerifyJwtOptions<P extends JwtPayload = JwtPayload> = Omit<
  JwtVerifierOptions<P>,
  'key' | 'keys' | 'jwksUri' | 'getKey'
>;

/**
 * Options of {@link signJwt}.
 *
 * @example
 * ```ts
 * const options: SignJwtOptions = { expiresIn: '15m', issuer: 'https://auth.example/', jti: true };
 * ```
 */
export interface SignJwtOptions {
  /** The algorithm. Default: from the key type (`EdDSA` for Ed25519, `ES256`/`ES384`/`ES512` by curve, `RS256` for RSA, `PS256` for RSA-PSS, `HS256` for a secret). */
  readonly algorithm?: JwtAlgorithm;
  /** Lifetime from now, which sets `exp`. Default: no `exp` (verifiers that require it reject the token). */
  readonly expiresIn?: Duration;
  /** Delay from now before the token is valid, which sets `nbf`. Default: no `nbf`. */
  readonly notBefore?: Duration;
  /** Sets `iss`. */
  readonly issuer?: string;
  /** Sets `aud`. */
  readonly audience?: string | readonly string[];
  /** Sets `sub`. */
  readonly subject?: string;
  /** Sets the `kid` header. */
  readonly kid?: string;
  /** Sets the `typ` header. Default: `'JWT'`. */
  readonly typ?: string;
  /** Sets `jti`; `true` sets a random UUID. */
  readonly jti?: string | true;
  /** The clock, in milliseconds since the epoch, used for `iat`, `exp` and `nbf`. Default: `Date.now`. */
  readonly now?: () => number;
}
