// A hand-made Report with every field filled, for the reporter and README tests: no lab, no checks needed.

import type { Finding } from '../../src/model/finding.js';
import type { Report } from '../../src/model/report.js';
import { REPORT_SCHEMA_VERSION, domainReport, summarize } from '../../src/model/report.js';
import type { Target } from '../../src/model/target.js';

const contoso: Target = { domain: 'contoso.com', input: 'Contoso.com', services: ['sip', 'xmpp'] };
const fabrikam: Target = { domain: 'fabrikam.com', input: 'fabrikam.com', services: ['sip'] };

const references = [{ title: 'RFC 2782', url: 'https://www.rfc-editor.org/rfc/rfc2782' }];

const missingSrv: Finding = {
  checkId: 'dns.sip-federation-srv',
  service: 'sip',
  area: 'dns',
  domain: 'contoso.com',
  status: 'fail',
  subject: '_sipfederationtls._tcp.contoso.com',
  location: { domain: 'contoso.com', name: '_sipfederationtls._tcp.contoso.com' },
  messageId: 'missing',
  message: 'no SRV record is published, so partners cannot discover the Access Edge of contoso.com',
  evidence: ['127.0.0.53:53 answered NXDOMAIN for _sipfederationtls._tcp.contoso.com SRV'],
  fix: {
    summary: 'Publish the SIP federation SRV record for contoso.com pointing at the Access Edge on port 5061',
    steps: ['Add the record below to the contoso.com zone', 'Wait for the TTL of the negative answer to expire'],
    snippets: [{ lang: 'zone', text: '_sipfederationtls._tcp.contoso.com. 3600 IN SRV 0 0 5061 sip.contoso.com.' }],
  },
  references,
};

const closedPort: Finding = {
  checkId: 'net.federation-port',
  service: 'xmpp',
  area: 'net',
  domain: 'contoso.com',
  status: 'warn',
  subject: '[2001:db8::5]:5269',
  location: { domain: 'contoso.com', host: 'xmpp.contoso.com', address: '2001:db8::5', port: 5269 },
  messageId: 'refused',
  message: 'the connection was refused',
  evidence: ['connect to 2001:db8::5 port 5269: ECONNREFUSED after 3 ms'],
  fix: {
    summary: 'Open TCP 5269 inbound on the Edge',
    steps: ['Allow TCP 5269 from any source'],
    snippets: [{ lang: 'firewall', text: 'allow tcp any -> 2001:db8::5 port 5269' }],
  },
  references,
};

const xmppSrv: Finding = {
  checkId: 'dns.xmpp-server-srv',
  service: 'xmpp',
  area: 'dns',
  domain: 'contoso.com',
  status: 'pass',
  subject: '_xmpp-server._tcp.contoso.com',
  location: { domain: 'contoso.com', name: '_xmpp-server._tcp.contoso.com' },
  messageId: 'published',
  message: 'published: xmpp.contoso.com port 5269',
  evidence: ['_xmpp-server._tcp.contoso.com. 3600 IN SRV 0 0 5269 xmpp.contoso.com.'],
  references,
};

const skipped: Finding = {
  checkId: 'net.federation-port',
  service: 'sip',
  area: 'net',
  domain: 'fabrikam.com',
  status: 'skip',
  subject: '10.0.0.5:5061',
  location: { domain: 'fabrikam.com', host: 'sip.fabrikam.com', address: '10.0.0.5', port: 5061 },
  messageId: 'private',
  message: '10.0.0.5 is a private address: not connected to without --allow-private',
  evidence: [],
  references,
};

const domains = [domainReport(fabrikam, [skipped]), domainReport(contoso, [xmppSrv, closedPort, missingSrv])];

export const sampleReport: Report = {
  schemaVersion: REPORT_SCHEMA_VERSION,
  tool: { name: 'fedcheck', version: '0.1.0' },
  startedAt: '2025-06-01T08:30:00.000Z',
  finishedAt: '2025-06-01T08:30:02.500Z',
  durationMs: 2500,
  source: { kind: 'replay', file: 'run.json' },
  options: { vantage: 'external', resolvers: ['127.0.0.53:53'], timeoutMs: 5000, allowPrivate: [] },
  summary: summarize(domains, false),
  domains,
};
