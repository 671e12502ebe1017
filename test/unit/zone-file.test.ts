import { describe, it, expect } from 'vitest';
import { fileURLToPath } from 'node:url';
import { loadZoneDirectory, parseZoneFile, ZoneFileError } from '../../src/lab/zone-file.js';
import { UsageError } from '../../src/model/errors.js';

const FIXTURES = fileURLToPath(new URL('../fixtures-dns/', import.meta.url));

const parse = (text: string, origin = 'example.lab') => parseZoneFile(text, origin, 'example.lab.zone');

const parseError = (text: string): Error => {
  try {
    parse(text);
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected the zone to be rejected');
};

describe('parseZoneFile', () => {
  it('appends the origin to a name without its final dot, as RFC 1035 section 5.1 reads a master file', () => {
    const zone = parse(['$TTL 3600', '_xmpp-server._tcp IN SRV 10 1 5269 xmpp.example.lab', '_sip._tls IN SRV 10 1 443 192.0.2.10.'].join('\n'));
    expect(zone.records.map((record) => (record.type === 'SRV' ? record.target : ''))).toEqual(['xmpp.example.lab.example.lab', '192.0.2.10']);
  });

  it('reads a multi-line SOA with comments inside the parentheses', () => {
    const zone = parse(
      [
        '$TTL 3600',
        '@ IN SOA ns1.example.lab. hostmaster.example.lab. ( ; opening comment',
        '      2024010101 ; serial',
        '      2h 1h 2w   ; refresh retry expire',
        '      300 )      ; minimum',
      ].join('\n'),
    );
    expect(zone).toEqual({
      origin: 'example.lab',
      records: [
        {
          name: 'example.lab',
          ttl: 3600,
          type: 'SOA',
          primary: 'ns1.example.lab',
          admin: 'hostmaster.example.lab',
          serial: 2024010101,
          refresh: 7200,
          retry: 3600,
          expiration: 1209600,
          minimum: 300,
        },
      ],
    });
  });

  it('resolves @, relative and absolute names, lower-cased and without the trailing dot', () => {
    const zone = parse(['$TTL 60', '@ IN NS NS1', 'Edge IN CNAME sip.Other.LAB.', 'sip.example.lab. IN A 192.0.2.1'].join('\n'));
    expect(zone.records).toEqual([
      { name: 'example.lab', ttl: 60, type: 'NS', target: 'ns1.example.lab' },
      { name: 'edge.example.lab', ttl: 60, type: 'CNAME', target: 'sip.other.lab' },
      { name: 'sip.example.lab', ttl: 60, type: 'A', address: '192.0.2.1' },
    ]);
  });

  it('takes a blank owner as the previous one, and TTL and class in either order or left out', () => {
    const zone = parse(
      ['$TTL 1h', '_sip._tcp 300 IN SRV 10 50 5061 sip', '          IN 600 SRV 20 0 5061 backup.example.lab.', '          SRV 30 0 5061 .'].join('\n'),
    );
    expect(zone.records).toEqual([
      { name: '_sip._tcp.example.lab', ttl: 300, type: 'SRV', priority: 10, weight: 50, port: 5061, target: 'sip.example.lab' },
      { name: '_sip._tcp.example.lab', ttl: 600, type: 'SRV', priority: 20, weight: 0, port: 5061, target: 'backup.example.lab' },
      { name: '_sip._tcp.example.lab', ttl: 3600, type: 'SRV', priority: 30, weight: 0, port: 5061, target: '.' },
    ]);
  });

  it('reads AAAA addresses into their RFC 5952 form', () => {
    const zone = parse(['$TTL 60', 'a IN AAAA 2001:DB8:0:0:0:0:0:10', 'b IN AAAA ::ffff:192.0.2.1'].join('\n'));
    expect(zone.records.map((r) => (r.type === 'AAAA' ? r.address : ''))).toEqual(['2001:db8::10', '::ffff:c000:201']);
  });

  it('joins the quoted strings of a TXT record, with escapes and a ; inside quotes', () => {
    const zone = parse(['$TTL 60', 'txt IN TXT "v=1; a " "say \\"hi\\""', 'esc IN TXT "\\065\\\\"'].join('\n'));
    expect(zone.records).toEqual([
      { name: 'txt.example.lab', ttl: 60, type: 'TXT', text: 'v=1; a say "hi"' },
      { name: 'esc.example.lab', ttl: 60, type: 'TXT', text: 'A\\' },
    ]);
  });

  it('lets $ORIGIN before the first record name the zone, and later ones change the base of relative names', () => {
    const zone = parse(['$ORIGIN Other.lab.', '$TTL 60', 'a IN A 192.0.2.1', '$ORIGIN sub.other.lab.', 'b IN A 192.0.2.2', '@ IN A 192.0.2.3'].join('\n'));
    expect(zone.origin).toBe('other.lab');
    expect(zone.records.map((r) => r.name)).toEqual(['a.other.lab', 'b.sub.other.lab', 'sub.other.lab']);
  });

  it('ignores blank lines and whole-line comments', () => {
    const zone = parse(['; header', '', '$TTL 60   ; default', '   ', 'a A 192.0.2.1 ; trailing'].join('\r\n'));
    expect(zone.records).toEqual([{ name: 'a.example.lab', ttl: 60, type: 'A', address: '192.0.2.1' }]);
  });

  it.each([
    ['an unsupported type', '$TTL 60\n\na IN MX 10 mail', /^example\.lab\.zone:3: unsupported record type MX/],
    ['a bad IPv4 address', '$TTL 60\na IN A 192.0.2.300', /^example\.lab\.zone:2: "192\.0\.2\.300" is not an IPv4 address/],
    ['a missing TTL', 'a IN A 192.0.2.1', /^example\.lab\.zone:1: no TTL/],
    ['an unclosed parenthesis', '$TTL 60\n@ IN SOA a. b. ( 1 2\n 3 4 5', /^example\.lab\.zone:2: "\(" is never closed/],
    ['an unclosed quote', '$TTL 60\nt IN TXT "open', /^example\.lab\.zone:2: a quoted string is not closed/],
    ['a record outside the zone', '$TTL 60\nwww.elsewhere.lab. IN A 192.0.2.1', /^example\.lab\.zone:2: www\.elsewhere\.lab is outside the zone example\.lab/],
    ['a wrong number of SRV fields', '$TTL 60\n_s._tcp IN SRV 10 5061 sip', /^example\.lab\.zone:2: SRV takes 4 values, found 3/],
    ['an SRV port out of range', '$TTL 60\n_s._tcp IN SRV 10 0 70000 sip', /^example\.lab\.zone:2: SRV field "70000" is not a number from 0 to 65535/],
    ['a blank owner first', '$TTL 60\n  IN A 192.0.2.1', /^example\.lab\.zone:2: a record without an owner name/],
    ['an unsupported class', '$TTL 60\na CH A 192.0.2.1', /^example\.lab\.zone:2: class CH is not supported/],
    ['an unsupported directive', '$INCLUDE other.zone', /^example\.lab\.zone:1: unsupported directive \$INCLUDE/],
  ])('rejects %s, naming the file and line', (_what, text, message) => {
    const error = parseError(text);
    expect(error).toBeInstanceOf(ZoneFileError);
    expect(error).toBeInstanceOf(UsageError);
    expect(error.message).toMatch(message);
  });
});

describe('loadZoneDirectory', () => {
  it('reads every <origin>.zone file of a folder, named by its file', () => {
    const zones = loadZoneDirectory(`${FIXTURES}main`);
    expect(zones.map((z) => z.origin)).toEqual(['other.lab', 'sip-ok.lab']);
    const many = zones[1]?.records.filter((r) => r.name === 'many.sip-ok.lab');
    expect(many).toHaveLength(40);
  });

  it('names the folder when it cannot be read', () => {
    expect(() => loadZoneDirectory(`${FIXTURES}no-such-folder`)).toThrow(/cannot read the zone folder .*no-such-folder/);
  });
});
