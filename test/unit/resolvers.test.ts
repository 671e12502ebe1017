import { describe, it, expect, afterEach } from 'vitest';
import dns from 'node:dns';
import { formatServer, parseResolverSpec, systemResolvers } from '../../src/probes/resolvers.js';
import { UsageError } from '../../src/model/errors.js';

describe('parseResolverSpec', () => {
  it.each([
    ['192.0.2.53', { address: '192.0.2.53', port: 53 }],
    ['192.0.2.53:5353', { address: '192.0.2.53', port: 5353 }],
    ['2001:db8::53', { address: '2001:db8::53', port: 53 }],
    ['::1', { address: '::1', port: 53 }],
    ['[2001:db8::53]:5353', { address: '2001:db8::53', port: 5353 }],
    ['[::1]', { address: '::1', port: 53 }],
    [' 127.0.0.1:53 ', { address: '127.0.0.1', port: 53 }],
  ])('reads %j', (spec, expected) => {
    expect(parseResolverSpec(spec)).toEqual(expected);
  });

  it.each(['foo', '', '192.0.2', '192.0.2.53:', '192.0.2.53:0', '192.0.2.53:65536', '192.0.2.53:dns', '[192.0.2.53]:53', '2001:db8::53:5353x', '[2001:db8::53]:', 'dns.example.com:53'])(
    'rejects %j with one line naming the input and what was expected',
    (spec) => {
      let thrown: unknown;
      try {
        parseResolverSpec(spec);
      } catch (error) {
        thrown = error;
      }
      expect(thrown).toBeInstanceOf(UsageError);
      const message = (thrown as Error).message;
      expect(message).toBe(
        `invalid --resolver "${spec}": expected an IP address with an optional port, such as 192.0.2.53 or 192.0.2.53:5353 or [2001:db8::53]:53`,
      );
      expect(message).not.toContain('\n');
    },
  );
});

describe('formatServer', () => {
  it('brackets IPv6 addresses', () => {
    expect(formatServer({ address: '127.0.0.1', port: 53 })).toBe('127.0.0.1:53');
    expect(formatServer({ address: '::1', port: 5353 })).toBe('[::1]:5353');
  });
});

describe('systemResolvers', () => {
  const original = dns.getServers();
  afterEach(() => dns.setServers(original));

  it('uses the servers node:dns has, with port 53 unless one is given', () => {
    dns.setServers(['127.0.0.53', '[::1]:5353', '127.0.0.2:1053']);
    expect(systemResolvers()).toEqual([
      { address: '127.0.0.53', port: 53 },
      { address: '::1', port: 5353 },
      { address: '127.0.0.2', port: 1053 },
    ]);
  });

  it('refuses to run without one rather than fall back to a public resolver', () => {
    dns.setServers([]);
    expect(() => systemResolvers()).toThrow(UsageError);
    expect(() => systemResolvers()).toThrow(/no DNS resolver found .*--resolver/);
  });
});
