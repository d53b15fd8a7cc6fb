import { describe, expect, it } from 'vitest';

import { addressKey } from '../../middleware/http/login-limiter-address.js';

describe('addressKey (limit bypass by IPv6 rotation)', () => {
  it.each([
    ['an IPv4 address', '203.0.113.7', '203.0.113.7'],
    ['an IPv4-mapped IPv6 address', '::ffff:203.0.113.7', '203.0.113.7'],
    ['a full IPv6 address', '2001:0db8:0001:0002:0003:0004:0005:0006', '2001:db8:1:2::/64'],
    ['a compressed IPv6 address', '2001:db8:1:2::9', '2001:db8:1:2::/64'],
    ['another address in the same /64', '2001:db8:1:2:ffff:ffff:ffff:ffff', '2001:db8:1:2::/64'],
    ['an address in the next /64', '2001:db8:1:3::9', '2001:db8:1:3::/64'],
    ['a compressed prefix', '2001:db8::1', '2001:db8:0:0::/64'],
    ['the loopback address', '::1', '0:0:0:0::/64'],
    ['an address with a zone', 'fe80::1%eth0', 'fe80:0:0:0::/64'],
    ['upper-case hex', '2001:DB8:1:2::9', '2001:db8:1:2::/64'],
    ['an embedded IPv4 tail', '64:ff9b::192.0.2.33', '64:ff9b:0:0::/64'],
    ['no address', undefined, 'unknown'],
    ['something else', 'not-an-address', 'unknown'],
  ])('keys %s', (_label, ip, expected) => {
    expect(addressKey(ip)).toBe(expected);
  });
});
