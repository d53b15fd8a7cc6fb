import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

// Public test vectors (Wycheproof, RFC 7520), copied into test/vectors/ with their licences.
const VECTORS_ROOT = fileURLToPath(new URL('../../vectors/', import.meta.url));

/** One Wycheproof test case; the inputs vary by file and are read by name. */
export interface WycheproofTest {
  readonly tcId: number;
  readonly comment: string;
  readonly flags: readonly string[];
  readonly result: 'valid' | 'invalid' | 'acceptable';
  readonly [input: string]: unknown;
}

/** One Wycheproof test group: shared parameters (key, sizes) and its cases. */
export interface WycheproofGroup {
  readonly tests: readonly WycheproofTest[];
  readonly [parameter: string]: unknown;
}

/** A Wycheproof vector file. */
export interface WycheproofFile {
  readonly algorithm: string;
  readonly numberOfTests: number;
  readonly testGroups: readonly WycheproofGroup[];
}

/** Reads a Wycheproof file from the shared vectors folder. */
export function readWycheproof(name: string): WycheproofFile {
  return JSON.parse(readFileSync(`${VECTORS_ROOT}wycheproof/${name}`, 'utf8')) as WycheproofFile;
}

/** Reads a JSON file of the JOSE cookbook (RFC 7520) from the shared vectors folder. */
export function readCookbook(path: string): Record<string, any> {
  return JSON.parse(readFileSync(`${VECTORS_ROOT}jose-cookbook/${path}`, 'utf8')) as Record<string, any>;
}

/** Decodes a hex string of a vector file. */
export function hex(text: unknown): Buffer {
  return Buffer.from(String(text), 'hex');
}

/** Flattens a file into [group, test] pairs, so a test can count and report every case. */
export function casesOf(file: WycheproofFile): Array<[WycheproofGroup, WycheproofTest]> {
  return file.testGroups.flatMap((group) => group.tests.map((test): [WycheproofGroup, WycheproofTest] => [group, test]));
}

/** Prints the number of cases a vector test ran, so the suite output shows each file ran in full. */
export function reportCount(file: string, ran: number, total: number, detail: string): void {
  console.log(`${file}: ran ${ran} of ${total} cases (${detail})`);
}
