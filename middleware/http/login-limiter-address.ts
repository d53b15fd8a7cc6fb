import { isIPv4, isIPv6 } from 'node:net';

// A client with one IPv6 address usually controls its whole /64, because global unicast
// addresses end in a 64-bit interface identifier (RFC 4291, section 2.5.4) that the host picks
// itself. Counting per /64 stops a client from rotating through addresses to reset its counters.
const IPV6_PREFIX_GROUPS = 4;

/**
 * Builds the counter key of a client address. An IPv4 address is kept as it is, and an IPv4-mapped
 * IPv6 address becomes its IPv4 form. An IPv6 address becomes its /64 prefix. Anything else, or no
 * address, becomes `'unknown'`, so such requests share one counter.
 */
export function addressKey(ip: string | undefined): string {
  if (ip === undefined) {
    return 'unknown';
  }

  const address = ip.split('%')[0]!.toLowerCase();
  if (isIPv4(address)) {
    return address;
  }
  if (!isIPv6(address)) {
    return 'unknown';
  }

  const mapped = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/.exec(address);
  if (mapped !== null && isIPv4(mapped[1]!)) {
    return mapped[1]!;
  }

  const groups = expandIPv6(address);
  return `${groups.slice(0, IPV6_PREFIX_GROUPS).join(':')}::/64`;
}

// Expands an IPv6 address to its eight 16-bit groups, without leading zeros.
function expandIPv6(address: string): string[] {
  const [head = '', tail] = address.split('::');
  const toGroups = (part: string) => (part === '' ? [] : part.split(':').flatMap(groupsOf));
  const headGroups = toGroups(head);
  const tailGroups = tail === undefined ? [] : toGroups(tail);
  const zeros = Array<string>(8 - headGroups.length - tailGroups.length).fill('0');

  return [...headGroups, ...zeros, ...tailGroups];
}

// A trailing dotted IPv4 part stands for the last two 16-bit groups.
function groupsOf(part: string): string[] {
  if (!part.includes('.')) {
    return [Number.parseInt(part, 16).toString(16)];
  }
  const [a = 0, b = 0, c = 0, d = 0] = part.split('.').map(Number);
  return [((a << 8) | b).toString(16), ((c << 8) | d).toString(16)];
}
