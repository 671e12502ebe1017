import type { CheckCases } from '../../../support/check-tester.js';
import { EDGE, listenerStateCases, locatedAt, protocolFacts, sipResponse, tlsSession } from '../../../support/protocol-fact-builder.js';

const shared = listenerStateCases('sip');
const answered = (statusLine: string, headers: string[] = []) =>
  protocolFacts().edge().sipSession(EDGE.address, EDGE.port, tlsSession(EDGE.host, ['MIIBpeer']), sipResponse(statusLine, headers)).build();
const diagnostic = (code: number, reason: string, extra = '') => `ms-diagnostics: ${code};reason="${reason}";source="sip.example.com"${extra}`;

export default {
  valid: [
    {
      name: '200 OK without ms-diagnostics',
      facts: answered('SIP/2.0 200 OK'),
      expect: [{ status: 'pass', messageId: 'none', subject: EDGE.subject, location: locatedAt(EDGE), data: { status: 'SIP/2.0 200 OK' } }],
    },
    {
      name: '404 with 1003 (no such user) and 1027 (OPTIONS not routed)',
      facts: answered('SIP/2.0 404 Not Found', [
        diagnostic(1003, 'User does not exist'),
        'ms-diagnostics-public: 1027;reason="Cannot route this type of SIP request to or from federated partners"',
      ]),
      expect: [
        { status: 'pass', messageId: 'information', data: { code: 1003, details: ' (reason "User does not exist", added by sip.example.com)' } },
        { status: 'pass', messageId: 'information', data: { code: 1027, header: 'ms-diagnostics-public' } },
      ],
    },
    {
      name: 'no answer to decode',
      facts: protocolFacts().edge().sipSession(EDGE.address, EDGE.port, tlsSession(EDGE.host, ['MIIBpeer']), { stage: 'response', reason: 'timeout', detail: 'no answer' }).build(),
      expect: [{ status: 'skip', messageId: 'noAnswer' }],
    },
    ...shared.valid,
  ],
  invalid: [
    {
      name: '403 with 1034: the hop beyond did not report',
      facts: answered('SIP/2.0 403 Forbidden', [diagnostic(1034, 'Previous hop federated peer did not report diagnostic information', ';Domain="example.com";PeerServer="sip.example.com"')]),
      expect: [
        {
          status: 'warn',
          messageId: 'warning',
          data: { code: 1034, peer: 'sip.example.com', details: ' (reason "Previous hop federated peer did not report diagnostic information", added by sip.example.com, domain example.com, peer sip.example.com)' },
          fix: 'Test-CsFederatedPartner -TargetFqdn sip.example.com -Domain example.com',
        },
      ],
    },
    {
      name: '403 with 1002: our From domain is not a federated partner',
      options: { fromDomain: 'fabrikam.example' },
      facts: answered('SIP/2.0 403 Forbidden', [diagnostic(1002, 'From URI not authorized to communicate with federated partners')]),
      expect: [{ status: 'warn', messageId: 'warning', data: { code: 1002 }, fix: 'New-CsAllowedDomain -Identity fabrikam.example' }],
    },
    {
      name: '504 with 1008, 1009 and 1014 (DNS)',
      facts: answered('SIP/2.0 504 Server time-out', [
        diagnostic(1008, 'Unable to resolve DNS SRV record', ';Domain="contoso.example"'),
        diagnostic(1009, 'Conflicting SRV and host domains in DNS', ';Domain="contoso.example"'),
        diagnostic(1014, 'Unable to resolve DNS A record', ';Domain="contoso.example"'),
      ]),
      expect: [
        { status: 'fail', messageId: 'failure', data: { code: 1008, peerDomain: 'contoso.example' }, fix: '_sipfederationtls._tcp.contoso.example. 3600 IN SRV 100 1 5061 sip.contoso.example.' },
        { status: 'fail', messageId: 'failure', data: { code: 1009 }, fix: 'New-CsAllowedDomain -Identity contoso.example -ProxyFqdn sip.contoso.example' },
        { status: 'fail', messageId: 'failure', data: { code: 1014 } },
      ],
    },
    {
      name: '504 with 1047 (TLS with the peer) and 1005 (cannot route)',
      facts: answered('SIP/2.0 504 Server time-out', [
        diagnostic(1047, 'Failed to complete TLS negotiation with a federated peer server', ';PeerServer="sip.contoso.example"'),
        diagnostic(1005, 'Cannot route to destination domain'),
      ]),
      expect: [
        { status: 'fail', messageId: 'failure', data: { code: 1047, peer: 'sip.contoso.example' }, fix: 'Establish certificate trust between sip.example.com and sip.contoso.example' },
        { status: 'fail', messageId: 'failure', data: { code: 1005 }, fix: 'Get-CsSipDomain' },
      ],
    },
    {
      name: '1013: time skew',
      facts: answered('SIP/2.0 401 Unauthorized', [diagnostic(1013, 'Significant time skew detected during authentication')]),
      expect: [{ status: 'fail', messageId: 'failure', data: { code: 1013 }, fix: 'w32tm /resync' }],
    },
    {
      name: '1010 as a Cisco TAC trace writes it: spaces around = and inside the quotes',
      facts: answered('SIP/2.0 504 Server time-out', [
        'ms-diagnostics: 1010; reason ="Certificate trust with another server could not be established"; PeerServer =" vcse.example.com ";source="sip.example.com"',
      ]),
      expect: [{ status: 'fail', messageId: 'failure', data: { code: 1010, peer: 'vcse.example.com' }, fix: 'Establish certificate trust between sip.example.com and vcse.example.com' }],
    },
    {
      name: '1047 with WinsockFailureCode 10054, as a field trace shows it: the reset explained beside the code',
      facts: answered('SIP/2.0 504 Server time-out', [
        'ms-diagnostics: 1047;reason="Failed to complete TLS negotiation with a federated peer server";WinsockFailureCode="10054(WSAECONNRESET)";' +
          'WinsockFailureDescription="The peer forced closure of the connection"',
      ]),
      expect: [
        {
          status: 'fail',
          messageId: 'failure',
          data: {
            code: 1047,
            details:
              ' (reason "Failed to complete TLS negotiation with a federated peer server", WinsockFailureCode 10054 WSAECONNRESET: ' +
              'connection reset by the peer: port 5061 accepted the connection, then the partner side (its Edge, or a firewall or ' +
              'proxy in front of it) cut it; during TLS that usually means it did not accept our certificate)',
          },
          fix: 'Establish certificate trust',
        },
      ],
    },
    {
      name: '1017: From and To domains cannot be routed in this combination (hybrid split domain)',
      facts: answered('SIP/2.0 403 Forbidden', [diagnostic(1017, 'Cannot route From and To domains in this combination', ';Domain="my.example.com"')]),
      expect: [{ status: 'fail', messageId: 'failure', data: { code: 1017, peerDomain: 'my.example.com' }, fix: 'Topology Builder' }],
    },
    {
      name: 'a code fedcheck does not know, with a Winsock time-out: the connection fix',
      facts: answered('SIP/2.0 504 Server time-out', [
        'ms-diagnostics: 1046;reason="Failed to connect to a federated peer server";WinsockFailureCode="10060(WSAETIMEDOUT)";' +
          'WinsockFailureDescription="The peer did not respond to the connection attempt";PeerServer="sip.fabrikam.example";Domain="fabrikam.example";source="sip.example.com"',
      ]),
      expect: [
        {
          status: 'warn',
          messageId: 'connectionFailure',
          data: { code: 1046, peer: 'sip.fabrikam.example', peerDomain: 'fabrikam.example' },
          fix: 'Test-NetConnection sip.fabrikam.example -Port 5061',
        },
      ],
    },
    {
      name: 'a code fedcheck does not know',
      facts: answered('SIP/2.0 480 Temporarily Unavailable', ['ms-diagnostics: 2199;reason="Something new"']),
      expect: [{ status: 'warn', messageId: 'unknownCode', data: { raw: '2199;reason="Something new"' }, fix: 'Search-CsClsLogging' }],
    },
    ...shared.invalid,
  ],
} satisfies CheckCases;
