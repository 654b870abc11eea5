import { clientIdentity, clientKey } from './client-key';

describe('clientIdentity', () => {
  it.each([
    ['203.0.113.7', '203.0.113.7'],
    ['::ffff:203.0.113.7', '203.0.113.7'],
    ['::FFFF:203.0.113.7', '203.0.113.7'],
    ['2001:db8:1:2:3:4:5:6', '2001:db8:1:2::/64'],
    ['2001:db8:1:2::9', '2001:db8:1:2::/64'],
    ['2001:0DB8:0001:0002:ffff::', '2001:db8:1:2::/64'],
    ['[2001:db8:1:2::9]', '2001:db8:1:2::/64'],
    ['fe80::1%eth0', 'fe80:0:0:0::/64'],
    ['::1', '0:0:0:0::/64'],
    ['::', '0:0:0:0::/64'],
    ['64:ff9b::203.0.113.7', '64:ff9b:0:0::/64'],
    ['', 'unknown'],
    [undefined, 'unknown'],
    ['not an address', 'unknown'],
    ['1.2.3.4, 5.6.7.8', 'unknown'],
  ])('%p is %p', (address, identity) => {
    expect(clientIdentity(address)).toBe(identity);
  });

  it('puts every address of one IPv6 /64 together, and the next /64 apart', () => {
    const a = clientIdentity('2001:db8:aa:bb:1::1');
    expect(clientIdentity('2001:db8:aa:bb:ffff:ffff:ffff:ffff')).toBe(a);
    expect(clientIdentity('2001:db8:aa:bc::1')).not.toBe(a);
  });
});

describe('clientKey', () => {
  const secret = 'a'.repeat(64);

  it('is 128 bits of hex, the same for the same client, different for another client or secret', () => {
    const k = clientKey(secret, '203.0.113.7');
    expect(k).toMatch(/^[0-9a-f]{32}$/);
    expect(clientKey(secret, '::ffff:203.0.113.7')).toBe(k);
    expect(clientKey(secret, '203.0.113.8')).not.toBe(k);
    expect(clientKey('b'.repeat(64), '203.0.113.7')).not.toBe(k);
  });

  it('refuses to work without a secret', () => {
    expect(() => clientKey('', '203.0.113.7')).toThrow(/secret/);
  });
});
