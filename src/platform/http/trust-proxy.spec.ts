import { parseTrustProxy } from './trust-proxy';

describe('parseTrustProxy', () => {
  it('is off by default and for the usual words for off', () => {
    for (const v of ['', 'false', '0', 'off', 'NO']) expect(parseTrustProxy(v)).toBe(false);
  });

  it('takes a number of hops', () => {
    expect(parseTrustProxy('1')).toBe(1);
    expect(parseTrustProxy(' 2 ')).toBe(2);
    expect(() => parseTrustProxy('99')).toThrow(/implausible/);
  });

  it('refuses true, which would trust the client-written left-most entry', () => {
    expect(() => parseTrustProxy('true')).toThrow(/client writes itself/);
  });

  it('takes addresses, networks and Express\'s names', () => {
    expect(parseTrustProxy('10.0.0.0/8, 192.168.1.7,fd00::/8,loopback')).toEqual(['10.0.0.0/8', '192.168.1.7', 'fd00::/8', 'loopback']);
  });

  it('refuses anything else with the entry named', () => {
    expect(() => parseTrustProxy('10.0.0.0/33')).toThrow(/"10.0.0.0\/33"/);
    expect(() => parseTrustProxy('proxy.example')).toThrow(/"proxy.example"/);
    expect(() => parseTrustProxy('10.0.0.1,')).toThrow(/""/);
  });
});
