import type { ProbeOutcome, TcpConnectFacts, TcpResult } from '../../../../src/model/facts.js';
import type { SipProbeFacts, TlsSession } from '../../../../src/model/protocol-facts.js';
import type { NextHopFacts } from '../../../../src/model/policy-facts.js';
import type { CheckCases } from '../../../support/check-tester.js';
import { policyConfig } from '../../../support/policy-config.js';

const routes = (list: Record<string, unknown>[]) =>
  policyConfig({}, { own: { cisco: { federationDomains: ['fabrikam.com'], staticRoutes: list.map((route) => ({ destinationPattern: '.com.fabrikam', ...route })) } } });
const TLS_ROUTE = { nextHop: '10.0.0.21' };

const tcp = (result: TcpResult, address = '10.0.0.21', port = 5061): ProbeOutcome<TcpConnectFacts> => ({
  status: 'ok',
  facts: { address, port, family: 4, result, elapsedMs: 2, ...(result === 'open' ? {} : { code: result === 'refused' ? 'ECONNREFUSED' : 'ETIMEDOUT' }) },
});
const session: TlsSession = {
  servername: '10.0.0.21',
  protocol: 'TLSv1.2',
  cipher: 'ECDHE-RSA-AES256-GCM-SHA384',
  peerChain: [],
  authorized: false,
  authorizationError: 'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  clientCertificateOffered: false,
  elapsedMs: 5,
};
const sip = (facts: Partial<SipProbeFacts>): ProbeOutcome<SipProbeFacts> => ({ status: 'ok', facts: { address: '10.0.0.21', port: 5061, ...facts } });
const answered = sip({ tls: session, response: { statusLine: 'SIP/2.0 200 OK', statusCode: 200, reason: 'OK', headers: [], elapsedMs: 4, bytes: 320 } });
const probed = (probes: NextHopFacts) => probes;

export default {
  valid: [
    {
      name: 'TLS handshake and a SIP answer',
      policy: { config: routes([TLS_ROUTE]), nextHops: probed({ '10.0.0.21:5061/TLS': { address: '10.0.0.21', tcp: tcp('open'), sip: answered } }) },
      expect: [{ status: 'pass', messageId: 'sipAnswered', domain: 'fabrikam.com', subject: 'next hop 10.0.0.21:5061/TLS', data: { statusLine: 'SIP/2.0 200 OK', tlsProtocol: 'TLSv1.2' } }],
    },
    {
      name: 'a TCP route accepts connections',
      policy: { config: routes([{ nextHop: '10.0.0.21', nextHopPort: 5060, protocol: 'TCP' }]), nextHops: probed({ '10.0.0.21:5060/TCP': { address: '10.0.0.21', tcp: tcp('open', '10.0.0.21', 5060) } }) },
      expect: [{ status: 'pass', messageId: 'tcpOpen' }],
    },
    { name: 'not probed in this run', policy: { config: routes([TLS_ROUTE]) }, expect: [{ status: 'skip', messageId: 'notProbed' }] },
    {
      name: 'a private address outside --allow-private',
      policy: { config: routes([TLS_ROUTE]), nextHops: probed({ '10.0.0.21:5061/TLS': { address: '10.0.0.21', tcp: { status: 'skipped', because: '10.0.0.21 is not a public address' } } }) },
      expect: [{ status: 'skip', messageId: 'skipped', data: { because: '10.0.0.21 is not a public address' } }],
    },
    {
      name: 'the SIP probe skipped at the deadline',
      policy: { config: routes([TLS_ROUTE]), nextHops: probed({ '10.0.0.21:5061/TLS': { address: '10.0.0.21', tcp: tcp('open'), sip: { status: 'skipped', because: 'the run deadline was reached' } } }) },
      expect: [{ status: 'skip', messageId: 'skipped' }],
    },
    {
      name: 'open, but the SIP probe never ran',
      policy: { config: routes([TLS_ROUTE]), nextHops: probed({ '10.0.0.21:5061/TLS': { address: '10.0.0.21', tcp: tcp('open') } }) },
      expect: [{ status: 'skip', messageId: 'notProbed' }],
    },
    { name: 'a UDP route is not probed', policy: { config: routes([{ nextHop: '10.0.0.21', nextHopPort: 5060, protocol: 'UDP' }]) }, expect: [{ status: 'skip', messageId: 'udpNotProbed' }] },
    { name: 'no Cisco section', policy: { config: policyConfig() }, expect: [] },
  ],
  invalid: [
    {
      name: 'the primary refuses, a backup exists',
      policy: {
        config: routes([TLS_ROUTE, { nextHop: '10.0.0.22', priority: 2 }]),
        nextHops: probed({
          '10.0.0.21:5061/TLS': { address: '10.0.0.21', tcp: tcp('refused') },
          '10.0.0.22:5061/TLS': { address: '10.0.0.22', tcp: tcp('open', '10.0.0.22'), sip: answered },
        }),
      },
      expect: [
        { status: 'fail', messageId: 'unreachable', subject: 'next hop 10.0.0.21:5061/TLS', data: { result: 'refused', backupNote: '; the backup route to 10.0.0.22 takes over' }, fix: 'Open TLS 5061' },
        { status: 'pass', messageId: 'sipAnswered', subject: 'next hop 10.0.0.22:5061/TLS' },
      ],
    },
    {
      name: 'the TLS handshake fails',
      policy: {
        config: routes([TLS_ROUTE]),
        nextHops: probed({ '10.0.0.21:5061/TLS': { address: '10.0.0.21', tcp: tcp('open'), sip: sip({ failure: { stage: 'tls', reason: 'tls-alert', detail: 'handshake failure alert' } }) } }),
      },
      expect: [{ status: 'fail', messageId: 'tlsFailed', data: { detail: 'tls-alert: handshake failure alert' }, fix: 'cup-trust' }],
    },
    {
      name: 'TLS completes but no SIP answer',
      policy: {
        config: routes([TLS_ROUTE]),
        nextHops: probed({ '10.0.0.21:5061/TLS': { address: '10.0.0.21', tcp: tcp('open'), sip: sip({ tls: session, failure: { stage: 'response', reason: 'timeout', detail: 'no final SIP response within 2000 ms' } }) } }),
      },
      expect: [{ status: 'fail', messageId: 'sipSilent', fix: 'Static Routes, Next Hop' }],
    },
    {
      name: 'the name does not resolve, and a name is no IP address',
      policy: {
        config: routes([{ nextHop: 'fe-pool.contoso.com' }]),
        nextHops: probed({ 'fe-pool.contoso.com:5061/TLS': { tcp: { status: 'error', reason: 'dns', detail: 'fe-pool.contoso.com has no A or AAAA record' } } }),
      },
      expect: [
        { status: 'warn', messageId: 'hostName', fix: 'bypassing the load balancer' },
        { status: 'error', messageId: 'probeFailed', data: { reason: 'fe-pool.contoso.com has no A or AAAA record' } },
      ],
    },
    {
      name: 'the SIP probe errs',
      policy: { config: routes([TLS_ROUTE]), nextHops: probed({ '10.0.0.21:5061/TLS': { address: '10.0.0.21', tcp: tcp('open'), sip: { status: 'error', reason: 'timeout', detail: 'no result within 2000 ms' } } }) },
      expect: [{ status: 'error', messageId: 'probeFailed' }],
    },
  ],
} satisfies CheckCases;
