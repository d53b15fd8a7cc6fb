// The work behind each route, shared by the Express and the Koa app. Each function takes the
// verified token's subject, so the data a caller sees is always scoped to that caller.
//
// HttpError comes from 'bulwark'; 'bulwark/koa' exports the same class.
import { HttpError, type JwtAuth } from 'bulwark';

import type { AppContext } from './context.js';
import { UnknownSkuError, type OrderSummary, type Receipt } from './orders.js';
import { toStoredPublicKey, type OrderInput, type PublicKeyInput, type StoredPublicKey } from './schema.js';

/** The verified token that `requireJwt` stores at `req.auth` (Express) or `ctx.state.auth` (Koa). */
export type VerifiedToken = JwtAuth;

/** The body of `GET /me`. */
export interface Profile {
  readonly id: string;
  readonly username: string;
  readonly displayName: string;
  /** The curve of the registered receipt key, or null before one is registered. */
  readonly receiptKey: 'X25519' | 'P-256' | null;
}

const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** Reads the user id from a verified token; a token without `sub` cannot name a user. */
export function subjectOf(auth: VerifiedToken | undefined): string {
  const subject = auth?.payload.sub;
  if (typeof subject !== 'string' || subject === '') {
    throw new HttpError(401, 'ERR_JWT_CLAIM_MISSING', 'The token has no subject.', {
      headers: { 'www-authenticate': 'Bearer error="invalid_token"' },
    });
  }
  return subject;
}

/** Returns the caller's profile. */
export function profileOf(context: AppContext, userId: string): Profile {
  const user = context.users.findById(userId);
  if (!user) {
    throw new HttpError(404, 'ERR_NOT_FOUND', 'The user of this token no longer exists.');
  }

  const key = context.users.getPublicKey(userId);
  return { id: user.id, username: user.username, displayName: user.displayName, receiptKey: key?.crv ?? null };
}

/** Stores the public key that the caller's receipts are encrypted to. */
export function registerReceiptKey(context: AppContext, userId: string, jwk: PublicKeyInput): void {
  context.users.setPublicKey(userId, toStoredPublicKey(jwk));
}

/** Places an order for the caller; an unknown SKU is a 422 that names the item, not the value. */
export function placeOrder(context: AppContext, userId: string, input: OrderInput): OrderSummary {
  try {
    return context.orders.create(userId, input);
  } catch (error) {
    if (error instanceof UnknownSkuError) {
      throw new HttpError(422, 'ERR_VALIDATION_FAILED', 'An item names a SKU that is not in the catalog.', {
        details: { errors: [{ path: ['items', error.index, 'sku'], message: 'Not in the catalog.', code: 'unknown_sku' }] },
      });
    }
    throw error;
  }
}

/** Lists the caller's orders. */
export function listOrders(context: AppContext, userId: string): OrderSummary[] {
  return context.orders.list(userId);
}

/**
 * Returns the receipt of one of the caller's orders. Another user's order and a missing one are
 * the same 404, so a caller cannot learn which order ids exist (OWASP ASVS 4.0.3, V4.2.1).
 */
export function receiptOf(context: AppContext, userId: string, orderId: string): Receipt {
  const user = context.users.findById(userId);
  const receipt = user && UUID_PATTERN.test(orderId) ? context.orders.findReceipt(userId, orderId, user.displayName) : undefined;
  if (!receipt) {
    throw new HttpError(404, 'ERR_NOT_FOUND', 'Order not found.');
  }
  return receipt;
}

/**
 * Returns the public key to encrypt the caller's receipts to; 409 until one is registered. Routes
 * call it before `encryptResponse`, which turns a missing key into a 500 to keep the plaintext in.
 */
export function receiptKeyOf(context: AppContext, userId: string): StoredPublicKey {
  const key = context.users.getPublicKey(userId);
  if (!key) {
    throw new HttpError(409, 'ERR_KEY_NOT_FOUND', 'Register a public key with PUT /me/key before fetching a receipt.');
  }
  return key;
}

/**
 * Revokes the caller's token until it expires. Its signature stays valid, so a JWT can only be
 * revoked by a denylist of its `jti` that every verifier checks.
 */
export async function revokeToken(context: AppContext, auth: VerifiedToken | undefined): Promise<void> {
  const jti = auth?.payload.jti;
  const exp = auth?.payload.exp;
  if (typeof jti !== 'string' || typeof exp !== 'number') {
    throw new HttpError(400, 'ERR_JWT_CLAIM_MISSING', 'The token has no jti or exp claim, so it cannot be revoked.');
  }
  await context.denylist.revokeToken(jti, exp);
}

