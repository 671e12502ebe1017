import type { CheckCases } from '../../../support/check-tester.js';
import { facts } from '../../../support/fact-builder.js';

const SIP_SRV = '_sipfederationtls._tcp.example.com';
const withSipTarget = () => facts().srv(SIP_SRV, [[10, 1, 5061, 'sip.example.com']]);

export default {
  valid: [
    {
      name: 'public IPv4 and IPv6 addresses',
      facts: withSipTarget().a('sip.example.com', ['131.107.0.89']).aaaa('sip.example.com', ['2a01:111:f400::1', '::ffff:836b:59']).build(),
      expect: [
        { status: 'pass', messageId: 'public', subject: '131.107.0.89', location: { host: 'sip.example.com', address: '131.107.0.89', port: undefined }, data: { family: 'IPv4' } },
        { status: 'pass', messageId: 'public', subject: '2a01:111:f400::1', data: { family: 'IPv6' } },
        { status: 'pass', messageId: 'public', subject: '::ffff:836b:59', data: { family: 'IPv6' } },
      ],
    },
    {
      name: 'private address covered by --allow-private',
      facts: withSipTarget().a('sip.example.com', ['10.0.0.5']).build(),
      options: { allowPrivate: ['10.0.0.0/8'] },
      expect: [{ status: 'pass', messageId: 'allowedPrivate', data: { scope: 'private' } }],
    },
    {
      name: 'no addresses to classify',
      facts: withSipTarget().nxdomain('sip.example.com', 'A').build(),
      expect: [{ status: 'skip', messageId: 'noAddresses', subject: 'example.com' }],
    },
  ],
  invalid: [
    {
      name: 'internal addresses leaked into public DNS',
      facts: withSipTarget().a('sip.example.com', ['192.168.1.5', '131.107.0.89']).aaaa('sip.example.com', ['fd00::5', 'fe80::5']).build(),
      expect: [
        {
          status: 'warn',
          messageId: 'nonPublic',
          subject: '192.168.1.5',
          data: { scope: 'private' },
          fix: '; sip.example.com. 3600 IN A 192.168.1.5\nsip.example.com. 3600 IN A <edge-public-address>',
        },
        { status: 'pass', messageId: 'public', subject: '131.107.0.89' },
        { status: 'warn', messageId: 'nonPublic', subject: 'fd00::5', data: { scope: 'unique-local', rrType: 'AAAA' } },
        { status: 'warn', messageId: 'nonPublic', subject: 'fe80::5', data: { scope: 'link-local' } },
      ],
    },
    {
      name: 'loopback address, --allow-private covering another network',
      facts: withSipTarget().a('sip.example.com', ['127.0.0.1']).build(),
      options: { allowPrivate: ['10.0.0.0/8'] },
      expect: [{ status: 'warn', messageId: 'nonPublic', data: { scope: 'loopback' } }],
    },
    {
      name: 'internal IPv4 addresses in IPv6 clothing: mapped, NAT64, 6to4, and a documentation address',
      facts: withSipTarget()
        .a('sip.example.com', ['203.0.113.5'])
        .aaaa('sip.example.com', ['::ffff:a00:1', '64:ff9b::a9fe:a9fe', '2002:c0a8:105::1'])
        .build(),
      options: { allowPrivate: ['127.0.0.0/8', '::1/128'] },
      expect: [
        { status: 'warn', messageId: 'nonPublic', subject: '203.0.113.5', data: { scope: 'documentation' } },
        {
          status: 'warn',
          messageId: 'nonPublicEmbedded',
          subject: '::ffff:a00:1',
          data: { scope: 'private', rrType: 'AAAA', form: 'IPv4-mapped', ipv4: '10.0.0.1' },
          message: '::ffff:a00:1 is a private address: its IPv6 form (IPv4-mapped) reaches 10.0.0.1, which partners on the internet cannot reach; not probed (pass --allow-private to probe it from inside)',
        },
        { status: 'warn', messageId: 'nonPublicEmbedded', subject: '64:ff9b::a9fe:a9fe', data: { scope: 'link-local', form: 'NAT64', ipv4: '169.254.169.254' } },
        { status: 'warn', messageId: 'nonPublicEmbedded', subject: '2002:c0a8:105::1', data: { scope: 'private', form: '6to4', ipv4: '192.168.1.5' } },
      ],
    },
  ],
} satisfies CheckCases;
