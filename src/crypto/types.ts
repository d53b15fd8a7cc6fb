/**
 * A value that survives `JSON.stringify` and `JSON.parse` unchanged. Object members that are
 * `undefined` are allowed by the type and dropped on the way, as `JSON.stringify` drops them.
 */
export type JsonValue =
  | null
  | boolean
  | number
  | string
  | readonly JsonValue[]
  | { readonly [key: string]: JsonValue | undefined };

/**
 * A JSON Web Key (RFC 7517): `kty` and the members of its key type, all base64url text. Declared here
 * rather than taken from Node's types, so that bulwark's declarations read the same under every
 * version of `@types/node`.
 */
export interface Jwk {
  kty?: string;
  crv?: string;
  x?: string;
  y?: string;
  d?: string;
  n?: string;
  e?: string;
  p?: string;
  q?: string;
  dp?: string;
  dq?: string;
  qi?: string;
  k?: string;
  kid?: string;
  alg?: string;
  use?: string;
  [member: string]: unknown;
}
