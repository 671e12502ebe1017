import type { CheckCases } from '../../../support/check-tester.js';
import type { SessionFailure } from '../../../../src/model/protocol-facts.js';
import { EDGE, listenerStateCases, locatedAt, protocolFacts, sipResponse, tlsSession } from '../../../support/protocol-fact-builder.js';

const STATUS_403 = 'it refuses this sender: usual when the sender\'s domain is not an allowed or discovered partner (see sip.ms-diagnostics)';
const shared = listenerStateCases('sip');
const session = tlsSession(EDGE.host, ['MIIBpeer']);
const answered = (statusLine: string, headers: string[] = []) =>
  protocolFacts().edge().sipSession(EDGE.address, EDGE.port, session, sipResponse(statusLine, headers)).build();
const failed = (failure: SessionFailure) => protocolFacts().edge().sipSession(EDGE.address, EDGE.port, session, failure).build();

export default {
  valid: [
    {
      name: '200 OK from a Skype for Business Edge',
      facts: answered('SIP/2.0 200 OK', ['Server: RTC/7.0', 'Allow: INVITE, BYE, ACK, CANCEL, INFO, UPDATE, MESSAGE, OPTIONS', 'Supported: ms-edge-proxy-message-trust']),
      expect: [{ status: 'pass', messageId: 'ok', subject: EDGE.subject, location: locatedAt(EDGE), data: { status: 'SIP/2.0 200 OK', elapsedMs: 23 } }],
    },
    {
      name: '403 Forbidden: a SIP stack answered and refuses fedcheck.invalid',
      facts: answered('SIP/2.0 403 Forbidden', ['ms-diagnostics: 1034;reason="Previous hop federated peer did not report diagnostic information"']),
      expect: [{ status: 'pass', messageId: 'answered', data: { meaning: STATUS_403 } }],
    },
    {
      name: 'a 404 explained by ms-diagnostics, a 480 and a redirect are answers too',
      facts: protocolFacts()
        .listener('sip', EDGE.host, EDGE.address, EDGE.port)
        .listener('sip', EDGE.host, '203.0.113.6', EDGE.port)
        .listener('sip', EDGE.host, '203.0.113.7', EDGE.port)
        .sipSession(EDGE.address, EDGE.port, session, sipResponse('SIP/2.0 404 Not Found', ['ms-diagnostics: 1003;reason="User does not exist"']))
        .sipSession('203.0.113.6', EDGE.port, session, sipResponse('SIP/2.0 480 Temporarily Unavailable'))
        .sipSession('203.0.113.7', EDGE.port, session, sipResponse('SIP/2.0 302 Moved Temporarily'))
        .build(),
      expect: [
        { status: 'pass', messageId: 'answered', subject: EDGE.subject, data: { meaning: 'the domain in the request is not one it serves: check the SIP domain is configured on it' } },
        { status: 'pass', messageId: 'answered', subject: 'sip.example.com 203.0.113.6:5061' },
        { status: 'pass', messageId: 'answered', subject: 'sip.example.com 203.0.113.7:5061', data: { meaning: 'a redirect: it points elsewhere (see the Contact header)' } },
      ],
    },
    {
      name: 'no TLS session',
      facts: protocolFacts().edge().sipFailure(EDGE.address, EDGE.port, { stage: 'tls', reason: 'tls-alert', detail: 'the peer sent the TLS alert "handshake failure"' }).build(),
      expect: [{ status: 'skip', messageId: 'tlsFailed' }],
    },
    ...shared.valid,
  ],
  invalid: [
    {
      name: '504 Server Time-out',
      options: { fromDomain: 'fabrikam.example' },
      facts: answered('SIP/2.0 504 Server time-out', ['ms-diagnostics: 1034;reason="Previous hop federated peer did not report diagnostic information"']),
      expect: [{ status: 'warn', messageId: 'serverTimeout', fix: 'Test-CsFederatedPartner -TargetFqdn sip.example.com -Domain fabrikam.example' }],
    },
    {
      name: '403 without ms-diagnostics from a Kamailio: the partner refused our domain',
      options: { fromDomain: 'fabrikam.example' },
      facts: answered('SIP/2.0 403 Forbidden', [
        'Server: kamailio (5.6.3 (x86_64/linux))',
        'Warning: 399 sip.example.com "Domain not allowed"',
        'Reason: SIP;cause=403;text="Not a trusted peer"',
      ]),
      expect: [
        {
          status: 'warn',
          messageId: 'refused',
          data: { status: 'SIP/2.0 403 Forbidden', agent: 'Server: kamailio (5.6.3 (x86_64/linux))', fromDomain: 'fabrikam.example', why: '' },
          fix: 'New-CsAllowedDomain -Identity fabrikam.example',
        },
      ],
    },
    {
      name: '401 and 603 without ms-diagnostics: challenged or declined instead of trusted',
      facts: protocolFacts()
        .listener('sip', EDGE.host, EDGE.address, EDGE.port)
        .listener('sip', EDGE.host, '203.0.113.6', EDGE.port)
        .sipSession(EDGE.address, EDGE.port, session, sipResponse('SIP/2.0 401 Unauthorized', ['User-Agent: Example SBC 1.0']))
        .sipSession('203.0.113.6', EDGE.port, session, sipResponse('SIP/2.0 603 Decline'))
        .build(),
      expect: [
        { status: 'warn', messageId: 'refused', subject: EDGE.subject, data: { agent: 'User-Agent: Example SBC 1.0', why: ': it asks for credentials, as of one of its own users, instead of trusting a federated peer' }, fix: '--from-domain' },
        { status: 'warn', messageId: 'refused', subject: 'sip.example.com 203.0.113.6:5061', data: { agent: 'no Server header', why: ': it declines the request' } },
      ],
    },
    {
      name: '404 without ms-diagnostics: the server does not serve the domain',
      facts: answered('SIP/2.0 404 Not Found', ['Server: kamailio (5.6.3 (x86_64/linux))']),
      expect: [{ status: 'warn', messageId: 'notServed', data: { domain: 'example.com' }, fix: '_sipfederationtls._tcp.example.com' }],
    },
    {
      name: '503 and 408 without ms-diagnostics: the partner\'s server failed',
      facts: protocolFacts()
        .listener('sip', EDGE.host, EDGE.address, EDGE.port)
        .listener('sip', EDGE.host, '203.0.113.6', EDGE.port)
        .sipSession(EDGE.address, EDGE.port, session, sipResponse('SIP/2.0 503 Service Unavailable', ['Retry-After: 60']))
        .sipSession('203.0.113.6', EDGE.port, session, sipResponse('SIP/2.0 408 Request Timeout'))
        .build(),
      expect: [
        { status: 'warn', messageId: 'serverError', subject: EDGE.subject, data: { meaning: 'the service behind it (the Front End pool) is unavailable or overloaded' }, fix: 'fedcheck check example.com --sip' },
        { status: 'warn', messageId: 'serverError', subject: 'sip.example.com 203.0.113.6:5061', data: { meaning: 'the next hop behind it did not answer in time' } },
      ],
    },
    {
      name: '405 and 606 without ms-diagnostics: the OPTIONS was not accepted, so acceptance is unknown',
      facts: protocolFacts()
        .listener('sip', EDGE.host, EDGE.address, EDGE.port)
        .listener('sip', EDGE.host, '203.0.113.6', EDGE.port)
        .sipSession(EDGE.address, EDGE.port, session, sipResponse('SIP/2.0 405 Method Not Allowed', ['Allow: INVITE, ACK, BYE']))
        .sipSession('203.0.113.6', EDGE.port, session, sipResponse('SIP/2.0 606 Not Acceptable'))
        .build(),
      expect: [
        { status: 'warn', messageId: 'notAccepted', subject: EDGE.subject, data: { meaning: 'it does not take OPTIONS from outside' }, fix: 'Ask the admins of example.com why sip.example.com answers SIP/2.0 405 Method Not Allowed' },
        { status: 'warn', messageId: 'notAccepted', subject: 'sip.example.com 203.0.113.6:5061', data: { meaning: 'a global failure: it declines the request everywhere' } },
      ],
    },
    {
      name: 'TLS works, SIP never answers',
      facts: failed({ stage: 'response', reason: 'timeout', detail: "no final SIP response within the probe's 4750 ms" }),
      expect: [{ status: 'fail', messageId: 'noAnswer', fix: 'Start-CsWindowsService' }],
    },
    {
      name: 'a web server behind 5061',
      facts: failed({ stage: 'response', reason: 'not-sip', detail: 'the peer answered with something other than SIP: "HTTP/1.1 400 Bad Request"' }),
      expect: [{ status: 'fail', messageId: 'notSip', data: { detail: 'the peer answered with something other than SIP: "HTTP/1.1 400 Bad Request"' }, fix: 'openssl s_client -connect 203.0.113.5:5061' }],
    },
    {
      name: 'a malformed status line',
      facts: failed({ stage: 'response', reason: 'malformed', detail: 'a malformed status line: "SIP/2.0 OK"' }),
      expect: [{ status: 'fail', messageId: 'malformed' }],
    },
    {
      name: 'the Edge hangs up after the OPTIONS',
      facts: failed({ stage: 'response', reason: 'closed', detail: 'the peer closed the connection before the final SIP response' }),
      expect: [{ status: 'fail', messageId: 'closed', fix: 'Get-CsBlockedDomain' }],
    },
    {
      name: 'an alert after the handshake',
      facts: failed({ stage: 'response', reason: 'tls-alert', detail: 'the peer sent the TLS alert "unknown ca"', code: 'ERR_SSL_TLSV1_ALERT_UNKNOWN_CA' }),
      expect: [{ status: 'fail', messageId: 'alertAfterHandshake', fix: '--client-cert' }],
    },
    {
      name: 'TLS 1.3: the client certificate demanded after the handshake',
      facts: failed({ stage: 'response', reason: 'tls-error', detail: 'the TLS handshake failed: tlsv13 alert certificate required', code: 'ERR_SSL_TLSV13_ALERT_CERTIFICATE_REQUIRED' }),
      expect: [{ status: 'error', messageId: 'clientCertificateDemanded' }],
    },
    {
      name: 'an endless header',
      facts: failed({ stage: 'response', reason: 'too-large', detail: 'a header section longer than 16384 bytes' }),
      expect: [{ status: 'error', messageId: 'tooLarge' }],
    },
    {
      name: 'an unexpected socket error',
      facts: failed({ stage: 'request', reason: 'error', detail: 'write EPIPE' }),
      expect: [{ status: 'error', messageId: 'couldNotMeasure' }],
    },
    ...shared.invalid,
  ],
} satisfies CheckCases;
