import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ALL_NON_PUBLIC, addressScope, isValidCidr, mayConnect } from '../../src/judge/address-scope.js';
import type { AddressScope } from '../../src/judge/address-scope.js';

const EXAMPLES: [string, AddressScope][] = [
  ['131.107.0.89', 'public'],
  ['2a01:111:f400::1', 'public'],
  ['8.8.8.8', 'public'],
  ['203.0.113.5', 'documentation'],
  ['198.51.100.1', 'documentation'],
  ['192.0.2.1', 'documentation'],
  ['2001:db8::5', 'documentation'],
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
  ['100.64.0.1', 'shared'],
  ['100.127.255.255', 'shared'],
  ['169.254.10.1', 'link-local'],
  ['fe80::1', 'link-local'],
  ['fc00::1', 'unique-local'],
  ['fd12:3456::1', 'unique-local'],
  ['0.0.0.0', 'reserved'],
  ['224.0.0.1', 'multicast'],
  ['239.255.255.250', 'multicast'],
  ['240.0.0.1', 'reserved'],
  ['255.255.255.255', 'reserved'],
  ['198.18.0.1', 'reserved'],
  ['::', 'reserved'],
  ['ff02::1', 'multicast'],
  ['::ffff:10.0.0.1', 'private'],
  ['::FFFF:127.0.0.1', 'loopback'],
  ['::ffff:131.107.0.89', 'public'],
  // As AAAA answers come back: the IPv4 part in hex.
  ['::ffff:a00:1', 'private'],
  ['::ffff:a9fe:a9fe', 'link-local'],
  ['::ffff:7f00:1', 'loopback'],
  ['::a00:1', 'private'],
  ['::10.0.0.1', 'private'],
  ['::ffff:0:a00:1', 'private'],
  ['64:ff9b::a9fe:a9fe', 'link-local'],
  ['64:ff9b::808:808', 'public'],
  ['64:ff9b:1::a00:1', 'private'],
  ['64:ff9b:1::a9fe:a9fe', 'link-local'],
  ['2002:a00:1::1', 'private'],
  ['2002:a9fe:a9fe:1::1', 'link-local'],
  ['2002:808:808::1', 'public'],
  ['fe80::1%eth0', 'link-local'],
  ['2001:0:4136:e378::1', 'reserved'],
];

describe('addressScope', () => {
  it.each(EXAMPLES)('%s is %s', (address, scope) => {
    expect(addressScope(address)).toBe(scope);
  });
});

describe('mayConnect', () => {
  it('always allows public addresses', () => {
    expect(mayConnect('131.107.0.89', [])).toBe(true);
    expect(mayConnect('2a01:111:f400::1', [])).toBe(true);
    expect(mayConnect('::ffff:131.107.0.89', [])).toBe(true);
  });

  it('refuses non-public addresses unless an allowed network covers them', () => {
    expect(mayConnect('10.0.0.5', [])).toBe(false);
    expect(mayConnect('10.0.0.5', ['10.0.0.0/8'])).toBe(true);
    expect(mayConnect('10.0.0.5', ['10.0.1.0/24'])).toBe(false);
    expect(mayConnect('127.0.0.1', ['127.0.0.1'])).toBe(true);
    expect(mayConnect('fd00::5', ['fc00::/7'])).toBe(true);
  });

  it('judges an IPv6 form by the IPv4 address it reaches, whatever --allow-private names besides', () => {
    for (const mapped of ['::ffff:a00:1', '::a00:1', '64:ff9b::a00:1', '2002:a00:1::1']) {
      expect(mayConnect(mapped, []), mapped).toBe(false);
      expect(mayConnect(mapped, ['127.0.0.0/8', '::1/128']), mapped).toBe(false);
      expect(mayConnect(mapped, ['10.0.0.0/8']), mapped).toBe(true);
    }
    expect(mayConnect('::ffff:a9fe:a9fe', ['127.0.0.0/8'])).toBe(false);
  });

  it('opens a NAT64 local-use address only when every reading of it is allowed, as its prefix length is unknown', () => {
    expect(mayConnect('64:ff9b:1::a00:1', ['10.0.0.0/8'])).toBe(false);
    expect(mayConnect('64:ff9b:1::a00:1', ['10.0.0.0/8', '0.0.0.0/8'])).toBe(true);
    expect(mayConnect('64:ff9b:1::808:808', [])).toBe(false);
  });

  it('refuses what is not an address at all', () => {
    expect(mayConnect('localhost', [])).toBe(false);
    expect(mayConnect('', ALL_NON_PUBLIC)).toBe(false);
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

// Every IPv4 address in a refused range, and a sample of public ones, for the embedding properties below.
const REFUSED_V4: [string, number][] = [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.0.2.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['198.51.100.0', 24],
  ['203.0.113.0', 24],
  ['224.0.0.0', 4],
  ['240.0.0.0', 4],
];

const toInt = (dotted: string) => dotted.split('.').reduce((n, octet) => n * 256 + Number(octet), 0);
const toBytes = (n: number) => [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255];
const refusedV4 = fc
  .constantFrom(...REFUSED_V4)
  .chain(([network, prefix]) => fc.integer({ min: 0, max: 2 ** (32 - prefix) - 1 }).map((offset) => toBytes(toInt(network) + offset)));
const hex = (high: number, low: number) => ((high << 8) | low).toString(16);

/** The local-use NAT64 forms: inside 64:ff9b:1::/48 every reading of the address must be allowed. */
const localUse = (bytes: number[]): string[] => {
  const [a = 0, b = 0, c = 0, d = 0] = bytes;
  return [
    // RFC 6052 positions: /48, /56, /64 and /96.
    `64:ff9b:1:${hex(a, b)}:${hex(0, c)}:${hex(d, 0)}::`,
    `64:ff9b:1:${hex(0, a)}:${hex(0, b)}:${hex(c, d)}::`,
    `64:ff9b:1:0:${hex(0, a)}:${hex(b, c)}:${hex(d, 0)}:0`,
    `64:ff9b:1::${hex(a, b)}:${hex(c, d)}`,
  ];
};

/** The other IPv6 forms that carry an IPv4 address, in the spellings a DNS answer or a URL may use. */
const embeddings = (bytes: number[]): string[] => {
  const [a = 0, b = 0, c = 0, d = 0] = bytes;
  const high = hex(a, b);
  const low = hex(c, d);
  // ::0.0.0.0 and ::0.0.0.1 are IPv6's own unspecified and loopback addresses, not IPv4-compatible ones.
  const compatible = a === 0 && b === 0 && c === 0 && d <= 1 ? [] : [`::${high}:${low}`, `::${a}.${b}.${c}.${d}`];
  return [
    `::ffff:${high}:${low}`,
    `::FFFF:${a}.${b}.${c}.${d}`,
    `0:0:0:0:0:ffff:${high}:${low}`,
    `::ffff:0:${high}:${low}`,
    ...compatible,
    `64:ff9b::${high}:${low}`,
    `64:ff9b::${a}.${b}.${c}.${d}`,
    `2002:${high}:${low}::1`,
    `2002:${high}:${low}:ffff:ffff:ffff:ffff:ffff`,
  ];
};

describe('the egress rule in every IPv6 embedding', () => {
  it('keeps every IPv4 address of a refused range refused, in every form that embeds it', () => {
    fc.assert(
      fc.property(refusedV4, fc.constantFrom('127.0.0.0/8', '::1/128', '::/0', '2002::/16', '64:ff9b::/96'), (bytes, unrelated) => {
        const dotted = bytes.join('.');
        expect(mayConnect(dotted, []), dotted).toBe(false);
        for (const form of [...embeddings(bytes), ...localUse(bytes)]) {
          expect(addressScope(form), form).not.toBe('public');
          expect(mayConnect(form, []), form).toBe(false);
          // An IPv6 network (or loopback) in --allow-private never opens the IPv4 address behind the form.
          if (!dotted.startsWith('127.')) expect(mayConnect(form, [unrelated]), `${form} with ${unrelated}`).toBe(false);
        }
      }),
      { numRuns: 500 },
    );
  });

  it('lets the form through when --allow-private names the IPv4 network it reaches', () => {
    fc.assert(
      fc.property(fc.constantFrom(...REFUSED_V4).chain(([network, prefix]) => fc.integer({ min: 0, max: 2 ** (32 - prefix) - 1 }).map((offset) => ({ bytes: toBytes(toInt(network) + offset), cidr: `${network}/${prefix}` }))), ({ bytes, cidr }) => {
        for (const form of embeddings(bytes)) expect(mayConnect(form, [cidr]), `${form} with ${cidr}`).toBe(true);
      }),
      { numRuns: 200 },
    );
  });

  it('judges a public IPv4 address in a mapped form as public', () => {
    fc.assert(
      fc.property(fc.tuple(fc.integer({ min: 1, max: 223 }), fc.nat(255), fc.nat(255), fc.nat(255)), (bytes) => {
        const dotted = bytes.join('.');
        fc.pre(addressScope(dotted) === 'public');
        const [a = 0, b = 0, c = 0, d = 0] = bytes;
        expect(mayConnect(`::ffff:${hex(a, b)}:${hex(c, d)}`, [])).toBe(true);
        expect(mayConnect(`2002:${hex(a, b)}:${hex(c, d)}::1`, [])).toBe(true);
      }),
    );
  });
});
