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
