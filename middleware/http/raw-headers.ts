/**
 * Counts how often a header occurs in Node's `rawHeaders`, where names and values alternate.
 * Node keeps only the first of repeated `Authorization` headers in `headers`, so a second one is
 * visible only here. `name` must be lower case.
 *
 * @example
 * ```ts
 * if (countRawHeader(request.rawHeaders, 'authorization') > 1) rejectAsMalformed();
 * ```
 */
export function countRawHeader(rawHeaders: readonly string[], name: string): number {
  let count = 0;
  for (let index = 0; index < rawHeaders.length; index += 2) {
    const header = rawHeaders[index]!;
    // Comparing lengths first skips the lower-case copy of every name of another length.
    if (header.length === name.length && header.toLowerCase() === name) {
      count += 1;
    }
  }
  return count;
}
