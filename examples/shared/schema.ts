import { z } from 'zod';

// The request bodies that both apps accept. Objects are strict, so an unknown key is a 422 naming
// the key rather than a value silently ignored.

/** A stock-keeping unit: upper-case letters, digits and dashes, as the seeded catalog uses. */
const skuSchema = z.string().regex(/^[A-Z0-9-]{3,32}$/, 'must be 3 to 32 upper-case letters, digits or dashes');

/** One line of an order. */
export const orderItemSchema = z.strictObject({
  sku: skuSchema,
  quantity: z.number().int().min(1).max(99),
});

/** The shipping address: personal data, so only the encrypted receipt carries it. */
export const shippingAddressSchema = z.strictObject({
  name: z.string().trim().min(1).max(100),
  line1: z.string().trim().min(1).max(200),
  city: z.string().trim().min(1).max(100),
  postalCode: z.string().trim().regex(/^[A-Za-z0-9 -]{2,12}$/, 'must be 2 to 12 letters, digits, spaces or dashes'),
  country: z.string().regex(/^[A-Z]{2}$/, 'must be an ISO 3166-1 alpha-2 code such as "DE"'),
});

/** The body of `POST /orders`. */
export const orderSchema = z.strictObject({
  items: z.array(orderItemSchema).min(1).max(20),
  shipTo: shippingAddressSchema,
});

/** A new order as the route receives it after validation. */
export type OrderInput = z.infer<typeof orderSchema>;

// A base64url string without padding, as JWK members are (RFC 7518, section 6.2.1.2).
const base64url = (length: number) =>
  z.string().length(length).regex(/^[A-Za-z0-9_-]+$/, 'must be base64url without padding');

// Members that WebCrypto and jose add to an exported public JWK. They are accepted and not stored.
const exportMembers = {
  ext: z.boolean().optional(),
  key_ops: z.array(z.string().max(20)).max(8).optional(),
  alg: z.string().max(20).optional(),
  use: z.literal('enc').optional(),
  kid: z.string().max(100).optional(),
};

/**
 * The body of `PUT /me/key`: the public key that receipts are encrypted to with ECDH-ES
 * (RFC 7518, section 4.6), as an X25519 (RFC 8037) or P-256 JWK. A private member `d` is an
 * unknown key and so is rejected: the server never takes a private key.
 */
export const publicKeySchema = z.discriminatedUnion('kty', [
  z.strictObject({ kty: z.literal('OKP'), crv: z.literal('X25519'), x: base64url(43), ...exportMembers }),
  z.strictObject({ kty: z.literal('EC'), crv: z.literal('P-256'), x: base64url(43), y: base64url(43), ...exportMembers }),
]);

/** The body of `PUT /me/key` after validation. */
export type PublicKeyInput = z.infer<typeof publicKeySchema>;

/** A registered public key as stored: only the members that define the key. */
export type StoredPublicKey =
  | { readonly kty: 'OKP'; readonly crv: 'X25519'; readonly x: string }
  | { readonly kty: 'EC'; readonly crv: 'P-256'; readonly x: string; readonly y: string };

/** Keeps the members that define a public key and drops `ext`, `key_ops` and the like. */
export function toStoredPublicKey(jwk: PublicKeyInput): StoredPublicKey {
  if (jwk.kty === 'OKP') {
    return { kty: 'OKP', crv: 'X25519', x: jwk.x };
  }
  return { kty: 'EC', crv: 'P-256', x: jwk.x, y: jwk.y };
}
