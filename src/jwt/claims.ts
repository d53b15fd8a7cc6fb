import { BulwarkError } from '../errors.js';
import type { JwtHeader, JwtPayload } from './types.js';

/** The claim checks of one verifier, settled when the verifier was created. */
export interface ClaimRules {
  readonly issuers?: readonly string[];
  readonly audiences?: readonly string[];
  readonly clockToleranceSeconds: number;
  readonly maxTokenAgeSeconds?: number;
  /** Every claim that must be present: the configured ones plus those the other rules need. */
  readonly requiredClaims: readonly string[];
  /** The expected `typ`, already normalized by {@link normalizeTyp}. */
  readonly typ?: string;
  readonly requireExpiration: boolean;
}

const STRING_CLAIMS = ['iss', 'sub', 'jti'] as const;
const NUMERIC_DATE_CLAIMS = ['exp', 'nbf', 'iat'] as const;

/**
 * Normalizes a media type for the `typ` comparison: lower case, with the `application/` prefix
 * added when no `/` is present (RFC 7515 section 4.1.9, RFC 8725 section 3.11).
 */
export function normalizeTyp(value: string): string {
  const lower = value.toLowerCase();
  return lower.includes('/') ? lower : `application/${lower}`;
}

/**
 * Checks the claims of a token whose signature has already been verified. Identity checks (`typ`,
 * claim types, required claims, `iss`, `aud`) come before time checks, so a token meant for another
 * audience is reported as invalid even when it has also expired.
 */
export function validateClaims(payload: JwtPayload, header: JwtHeader, rules: ClaimRules, nowSeconds: number): void {
  if (rules.typ !== undefined && (typeof header.typ !== 'string' || normalizeTyp(header.typ) !== rules.typ)) {
    throw new BulwarkError('ERR_JWT_CLAIM_INVALID', 'The "typ" header of the token is not the expected type.', {
      claim: 'typ',
      reason: 'unexpected_value',
    });
  }

  checkClaimTypes(payload);
  checkRequiredClaims(payload, rules);

  if (rules.issuers !== undefined && !rules.issuers.includes(payload.iss as string)) {
    throw claimInvalid('iss', 'unexpected_value');
  }
  if (rules.audiences !== undefined && !audienceMatches(payload.aud, rules.audiences)) {
    throw claimInvalid('aud', 'unexpected_value');
  }

  checkTimes(payload, rules, nowSeconds);
}

function checkClaimTypes(payload: JwtPayload): void {
  for (const claim of STRING_CLAIMS) {
    if (payload[claim] !== undefined && typeof payload[claim] !== 'string') {
      throw claimInvalid(claim, 'not_a_string');
    }
  }

  // RFC 7519 section 4.1.3: a single string, or an array of strings.
  const { aud } = payload;
  if (aud !== undefined && typeof aud !== 'string' && !(Array.isArray(aud) && aud.every((entry) => typeof entry === 'string'))) {
    throw claimInvalid('aud', 'not_a_string_or_list');
  }

  for (const claim of NUMERIC_DATE_CLAIMS) {
    const value = payload[claim];
    if (value !== undefined && (typeof value !== 'number' || !Number.isFinite(value))) {
      throw claimInvalid(claim, 'not_a_number');
    }
  }
}

/** Lists the claims that a set of rules requires, once, when the verifier is created. */
export function listRequiredClaims(configured: readonly string[], rules: Omit<ClaimRules, 'requiredClaims'>): string[] {
  const required = new Set(configured);
  if (rules.requireExpiration) required.add('exp');
  if (rules.maxTokenAgeSeconds !== undefined) required.add('iat');
  if (rules.issuers !== undefined) required.add('iss');
  if (rules.audiences !== undefined) required.add('aud');
  return [...required];
}

function checkRequiredClaims(payload: JwtPayload, rules: ClaimRules): void {
  for (const claim of rules.requiredClaims) {
    if (!Object.hasOwn(payload, claim) || payload[claim] === undefined) {
      throw new BulwarkError('ERR_JWT_CLAIM_MISSING', `The token has no "${claim}" claim, which is required.`, {
        claim,
        reason: 'missing',
      });
    }
  }
}

function checkTimes(payload: JwtPayload, rules: ClaimRules, nowSeconds: number): void {
  const tolerance = rules.clockToleranceSeconds;

  // RFC 7519 section 4.1.4: the token must not be accepted on or after the expiration time.
  if (payload.exp !== undefined && payload.exp <= nowSeconds - tolerance) {
    throw new BulwarkError('ERR_JWT_EXPIRED', 'The token has expired.', { claim: 'exp', reason: 'expired' });
  }

  if (payload.nbf !== undefined && payload.nbf > nowSeconds + tolerance) {
    throw new BulwarkError('ERR_JWT_NOT_YET_VALID', 'The token is not valid yet.', { claim: 'nbf', reason: 'not_yet_valid' });
  }

  // A token issued in the future is outside its validity time span (OWASP ASVS v5 9.2.1).
  if (payload.iat !== undefined && payload.iat > nowSeconds + tolerance) {
    throw claimInvalid('iat', 'in_the_future');
  }

  if (rules.maxTokenAgeSeconds !== undefined && nowSeconds - (payload.iat as number) - tolerance > rules.maxTokenAgeSeconds) {
    throw new BulwarkError('ERR_JWT_EXPIRED', 'The token is older than the maximum token age.', { claim: 'iat', reason: 'too_old' });
  }
}

function audienceMatches(aud: unknown, audiences: readonly string[]): boolean {
  if (typeof aud === 'string') {
    return audiences.includes(aud);
  }
  return Array.isArray(aud) && aud.some((entry) => audiences.includes(entry as string));
}

function claimInvalid(claim: string, reason: string): BulwarkError {
  return new BulwarkError('ERR_JWT_CLAIM_INVALID', `The "${claim}" claim of the token is invalid.`, { claim, reason });
}
