import { describe, expect, it } from 'vitest';
import { ALL_NON_PUBLIC, addressScope, isValidCidr, mayConnect } from '../../src/engine/address-scope.js';
import type { AddressScope } from '../../src/engine/address-scope.js';

const EXAMPLES: [string, AddressScope][] = [
  ['203.0.113.5', 'public'],
  ['198.51.100.1', 'public'],
  ['2001:db8::5', 'public'],
  ['8.8.8.8', 'public'],
  ['127.0.0.1', 'loopback'],
  ['127.255.255.254', 'loopback'],
  ['::1', 'loopback'],
  ['10.0.0.5', 'private'],
  ['172.15.255.255', 'public'],
  ['172.16.0.0', 'private'],
  ['172.31.255.255', 'private'],
  ['172.32.0.0', 'public'],
  ['192.168.1.5', 'private'],
  ['100.63.255.255', 'public'],
  ['100.64.0.1', 'private'],
  ['169.254.10.1', 'link-local'],
  ['fe80::1', 'link-local'],
  ['fc00::1', 'unique-local'],
  ['fd12:3456::1', 'unique-local'],
  ['0.0.0.0', 'reserved'],
  ['224.0.0.1', 'reserved'],
  ['255.255.255.255', 'reserved'],
  ['::', 'reserved'],
  ['ff02::1', 'reserved'],
  ['::ffff:10.0.0.1', 'private'],
  ['::FFFF:127.0.0.1', 'loopback'],
  ['::ffff:203.0.113.1', 'public'],
];

describe('addressScope', () => {
  it.each(EXAMPLES)('%s is %s', (address, scope) => {
    expect(addressScope(address)).toBe(scope);
  });
});

describe('mayConnect', () => {
  it('always allows public addresses', () => {
    expect(mayConnect('203.0.113.5', [])).toBe(true);
    expect(mayConnect('2001:db8::5', [])).toBe(true);
  });

  it('refuses non-public addresses unless an allowed network covers them', () => {
    expect(mayConnect('10.0.0.5', [])).toBe(false);
    expect(mayConnect('10.0.0.5', ['10.0.0.0/8'])).toBe(true);
    expect(mayConnect('10.0.0.5', ['10.0.1.0/24'])).toBe(false);
    expect(mayConnect('127.0.0.1', ['127.0.0.1'])).toBe(true);
    expect(mayConnect('fd00::5', ['fc00::/7'])).toBe(true);
  });

  it('never matches across families or through a malformed network', () => {
    expect(mayConnect('::ffff:10.0.0.1', ['10.0.0.0/8'])).toBe(true);
    expect(mayConnect('::ffff:10.0.0.1', ['::/0'])).toBe(false);
    expect(mayConnect('10.0.0.5', ['::/0'])).toBe(false);
    expect(mayConnect('fd00::5', ['0.0.0.0/0'])).toBe(false);
    expect(mayConnect('192.168.1.1', ['10.0.0.0/'])).toBe(false);
    expect(mayConnect('192.168.1.1', ['garbage'])).toBe(false);
  });

  it('opens every non-public example with ALL_NON_PUBLIC', () => {
    for (const [address, scope] of EXAMPLES) {
      if (scope !== 'public') expect(mayConnect(address, ALL_NON_PUBLIC), address).toBe(true);
    }
  });
});

describe('isValidCidr', () => {
  it.each([
    ['10.0.0.0/8', true],
    ['10.0.0.1', true],
    ['::/0', true],
    ['fc00::/7', true],
    ['10.0.0.0/32', true],
    ['10.0.0.0/33', false],
    ['::/129', false],
    ['10.0.0.0/', false],
    ['10.0.0.0/8/9', false],
    ['10.0.0.0/8a', false],
    ['10.0.0.0/-1', false],
    ['10.0.0/8', false],
    ['example.com/8', false],
    ['', false],
  ])('%s → %s', (cidr, valid) => {
    expect(isValidCidr(cidr)).toBe(valid);
  });
});
