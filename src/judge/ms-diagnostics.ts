// What an ms-diagnostics header says: its code and parameters, read from a SIP response or from text an admin pasted,
// each known code with Microsoft's reason and its source, each common parameter explained. Pure: no I/O. Used by the
// sip.ms-diagnostics check and by `fedcheck decode`, so both say the same thing about the same header.

export interface DiagnosticSource {
  title: string;
  url: string;
}

export interface DiagnosticCode {
  /** Microsoft's reason text for the code, as the source writes it. */
  reason: string;
  /** What it means for federation, in an admin's words. */
  meaning: string;
  /** pass: informational; warn: federation may work for others; fail: federation is broken at this hop. */
  status: 'pass' | 'warn' | 'fail';
  /** A fix of the sip.ms-diagnostics check; none for an informational code. */
  fixId?: string;
  source: DiagnosticSource;
}

const MS_OCER_SIPSTACK: DiagnosticSource = {
  title: '[MS-OCER] 7.2 SipStack (current release)',
  url: 'https://learn.microsoft.com/en-us/openspecs/office_protocols/ms-ocer/88f739c4-83cf-480e-bd53-fe2d311aad3f',
};
const MS_OCER_SIPSTACK_PRIOR: DiagnosticSource = {
  title: '[MS-OCER] 8.2 SipStack (releases before the current one)',
  url: 'https://learn.microsoft.com/en-us/openspecs/office_protocols/ms-ocer/0f5d45f9-3e10-417f-a223-b4c38de1129b',
};
const FEDERATION_DNS_TRACE: DiagnosticSource = {
  title: 'Lync, Federation, and DNS (a Lync Edge\'s answers in a client trace)',
  url: 'https://jon.netdork.net/2012/07/18/lync-federation-and-dns/',
};

/**
 * Codes whose text has a source. MS-OCER's SipStack table holds more (1015-1021, 1046 among them), but the copy
 * fedcheck could consult ends at 1014; a code is added here only with a source for its text, never from memory.
 */
export const DIAGNOSTIC_CODES: Readonly<Record<number, DiagnosticCode>> = {
  1000: { reason: 'Final handshake failed.', meaning: 'final handshake failed', status: 'fail', fixId: 'certificateTrust', source: MS_OCER_SIPSTACK },
  1001: {
    reason: 'From URI not authorized to communicate with public IM providers.',
    meaning: 'the From URI is not authorized to communicate with public IM providers',
    status: 'warn',
    fixId: 'allowSender',
    source: MS_OCER_SIPSTACK,
  },
  1002: {
    reason: 'From URI not authorized to communicate with federated partners.',
    meaning: 'the From URI is not authorized to communicate with federated partners',
    status: 'warn',
    fixId: 'allowSender',
    source: MS_OCER_SIPSTACK,
  },
  1003: { reason: 'User does not exist.', meaning: 'the user does not exist (expected for an OPTIONS to the domain)', status: 'pass', source: MS_OCER_SIPSTACK },
  1004: { reason: 'Route set is no longer valid.', meaning: 'the route set is no longer valid', status: 'warn', fixId: 'routing', source: MS_OCER_SIPSTACK },
  1005: {
    reason: 'Cannot route to destination domain.',
    meaning: 'the Edge cannot route to the destination domain',
    status: 'fail',
    fixId: 'routing',
    source: MS_OCER_SIPSTACK,
  },
  1006: { reason: 'Error routing on client connection.', meaning: 'error routing on the client connection', status: 'warn', fixId: 'routing', source: MS_OCER_SIPSTACK },
  1007: { reason: 'Temporarily cannot route.', meaning: 'the Edge temporarily cannot route', status: 'warn', fixId: 'routing', source: MS_OCER_SIPSTACK },
  1008: {
    reason: 'Unable to resolve DNS SRV record.',
    meaning: 'the Edge is unable to resolve the DNS SRV record',
    status: 'fail',
    fixId: 'dnsRecords',
    source: MS_OCER_SIPSTACK,
  },
  1009: {
    reason: 'Conflicting SRV and host domains in DNS.',
    meaning: 'conflicting SRV and host domains in DNS: the SRV target is outside the SIP domain',
    status: 'fail',
    fixId: 'srvInsideDomain',
    source: MS_OCER_SIPSTACK,
  },
  1010: {
    reason: 'Certificate trust with next-hop server could not be established.',
    meaning: 'certificate trust with the next-hop server could not be established',
    status: 'fail',
    fixId: 'certificateTrust',
    source: MS_OCER_SIPSTACK,
  },
  1011: {
    reason: 'ms-diagnostics header not provided by previous hop.',
    meaning: 'the previous hop did not provide an ms-diagnostics header',
    status: 'warn',
    fixId: 'peerDiagnostics',
    source: MS_OCER_SIPSTACK,
  },
  1012: {
    reason: 'From URI is not authorized to communicate with users outside the enterprise.',
    meaning: 'the From URI is not authorized to communicate with users outside the enterprise',
    status: 'warn',
    fixId: 'allowSender',
    source: MS_OCER_SIPSTACK_PRIOR,
  },
  1013: {
    reason: 'Significant time skew detected during authentication.',
    meaning: 'significant time skew detected during authentication',
    status: 'fail',
    fixId: 'timeSync',
    source: MS_OCER_SIPSTACK_PRIOR,
  },
  1014: {
    reason: 'Unable to resolve DNS A record.',
    meaning: 'the Edge is unable to resolve the DNS A record',
    status: 'fail',
    fixId: 'dnsRecords',
    source: MS_OCER_SIPSTACK_PRIOR,
  },
  1017: {
    reason: 'Cannot route From and To domains in this combination',
    meaning:
      'the Edge will not route between the From and To domains as they are set up: in a hybrid (split-domain) deployment, a ' +
      'domain verified in Microsoft 365 is missing from the on-premises topology, or its federation DNS does not point at the Edge',
    status: 'fail',
    fixId: 'hybridDomain',
    source: {
      title: 'Skype for Business Online users in a Microsoft 365 domain can\'t IM or detect users in an on-premises domain (Microsoft support)',
      url: 'https://github.com/MicrosoftDocs/SupportArticles-docs/blob/main/SkypeForBusiness/SkypeHybrid/hybrid-im-presence/sfb-online-users-cant-im.md',
    },
  },
  1027: {
    reason: 'Cannot route this type of SIP request to or from federated partners',
    meaning: 'this type of SIP request cannot be routed to or from federated partners (OPTIONS itself is refused, not federation)',
    status: 'pass',
    source: FEDERATION_DNS_TRACE,
  },
  1034: {
    reason: 'Previous hop federated peer did not report diagnostic information',
    meaning: 'the previous hop, a federated peer, did not report diagnostic information',
    status: 'warn',
    fixId: 'peerDiagnostics',
    source: FEDERATION_DNS_TRACE,
  },
  1047: {
    reason: 'Failed to complete TLS negotiation with a federated peer server',
    meaning: 'the Edge failed to complete TLS negotiation with a federated peer server',
    status: 'fail',
    fixId: 'certificateTrust',
    source: {
      title: 'Lync federation issue: presence unknown with a remote Lync/OCS partner (a 1047 with WinsockFailureCode 10054)',
      url: 'https://www.risual.com/2012/06/lync-federation-issue-presence-unknown-with-a-remote-lyncocs-partner/',
    },
  },
};

/** What a parameter beside the code tells an admin; keyed by the lower-cased name. */
const PARAMETER_MEANINGS: Readonly<Record<string, string>> = {
  reason: 'the reason in the reporting server\'s own words',
  source: 'the server that added this header: the hop that saw the problem (ms-diagnostics-public never names it)',
  peerserver: 'the server the reporting Edge was talking to when it failed: usually the partner\'s Access Edge, or the next hop',
  domain: 'the SIP domain the reporting Edge was trying to reach',
  winsockfailurecode: 'the Windows socket error the reporting Edge got on its TCP connection to PeerServer',
  winsockfailuredescription: 'Windows\' own text for that socket error',
  hresult: 'the Windows security (Schannel) error of a TLS or certificate failure',
  errortype: 'the reporting Edge\'s words for what went wrong with TLS or the certificate',
  'tls-target': 'the name the reporting Edge expected the peer\'s certificate to carry',
  component: 'the server role that added the header',
  summary: 'a longer explanation from the reporting server',
};

/** Microsoft's Winsock error codes as the Edge reports them in WinsockFailureCode="10060(WSAETIMEDOUT)". */
const WINSOCK_ERRORS: Readonly<Record<number, { name: string; meaning: string }>> = {
  10054: {
    name: 'WSAECONNRESET',
    meaning:
      'connection reset by the peer: port 5061 accepted the connection, then the partner side (its Edge, or a firewall or proxy ' +
      'in front of it) cut it; during TLS that usually means it did not accept our certificate',
  },
  10060: {
    name: 'WSAETIMEDOUT',
    meaning:
      'connection timed out: nothing answered on the partner\'s port 5061: a firewall drops the traffic, the address in DNS is ' +
      'wrong, or the Edge is down',
  },
  10061: {
    name: 'WSAECONNREFUSED',
    meaning:
      'connection refused: the partner\'s address answers, but nothing listens on port 5061 there: the Access Edge service is ' +
      'stopped, or the NAT or firewall forwards 5061 to the wrong host',
  },
  10065: { name: 'WSAEHOSTUNREACH', meaning: 'no route to the partner\'s address from the reporting Edge' },
};

export interface MsDiagnosticParameter {
  /** As written, such as `WinsockFailureCode`. */
  name: string;
  /** Unquoted, unescaped and trimmed. */
  value: string;
}

export interface MsDiagnostic {
  /** `ms-diagnostics` or `ms-diagnostics-public`, as the header was named. */
  header: string;
  /** The header's value as received. */
  raw: string;
  /** The ErrorId; undefined when the value does not start with one. */
  code: number | undefined;
  parameters: MsDiagnosticParameter[];
}

/** A parameter explained: what it is, and for a known value (a Winsock code) what that value means. */
export interface ExplainedParameter extends MsDiagnosticParameter {
  meaning?: string;
  valueMeaning?: string;
}

const PARAMETER = /;\s*([A-Za-z][A-Za-z0-9_-]*)\s*=\s*("(?:[^"\\]|\\.)*"?|[^;]*)/g;

/** `1034;reason="...";source="sip.fabrikam.com"` as its code and parameters; tolerant of `name = " value "`. */
export function parseMsDiagnostic(header: string, raw: string): MsDiagnostic {
  const code = /^\s*(\d+)/.exec(raw)?.[1];
  const parameters = [...raw.matchAll(PARAMETER)].map((match): MsDiagnosticParameter => {
    const value = (match[2] ?? '').trim();
    const unquoted = value.startsWith('"') ? value.replace(/^"|"$/g, '').replace(/\\(.)/g, '$1') : value;
    return { name: match[1] ?? '', value: unquoted.trim() };
  });
  return { header, raw, code: code === undefined ? undefined : Number(code), parameters };
}

/** The value of a parameter, by name in any case. */
export function parameterValue(diagnostic: MsDiagnostic, name: string): string | undefined {
  return diagnostic.parameters.find((parameter) => parameter.name.toLowerCase() === name.toLowerCase())?.value;
}

export function knownCode(diagnostic: MsDiagnostic): DiagnosticCode | undefined {
  return diagnostic.code === undefined ? undefined : DIAGNOSTIC_CODES[diagnostic.code];
}

/** `10060(WSAETIMEDOUT)` → the error explained; undefined for a code fedcheck does not explain. */
export function winsockError(value: string): { code: number; name: string; meaning: string } | undefined {
  const code = Number(/^\s*(\d+)/.exec(value)?.[1]);
  const known = WINSOCK_ERRORS[code];
  return known ? { code, ...known } : undefined;
}

export function explainParameter(parameter: MsDiagnosticParameter): ExplainedParameter {
  const key = parameter.name.toLowerCase();
  const meaning = PARAMETER_MEANINGS[key] ?? (/^fqdn\d+$/.test(key) ? 'a server (with its port) the reporting Edge found in the domain\'s SRV records' : undefined);
  const explained: ExplainedParameter = { ...parameter };
  if (meaning !== undefined) explained.meaning = meaning;
  const winsock = key === 'winsockfailurecode' ? winsockError(parameter.value) : undefined;
  if (winsock) explained.valueMeaning = `${winsock.name}: ${winsock.meaning}`;
  return explained;
}

/**
 * The sip.ms-diagnostics fix for a diagnostic: the known code's; for an unknown code that carries a Winsock error
 * fedcheck explains, the connection fix (the socket error says what broke whatever the code); else "look it up".
 */
export function diagnosticFixId(diagnostic: MsDiagnostic): string | undefined {
  const known = knownCode(diagnostic);
  if (known) return known.fixId;
  const winsock = parameterValue(diagnostic, 'WinsockFailureCode');
  return winsock !== undefined && winsockError(winsock) ? 'peerConnection' : 'unknownCode';
}

const HEADER_NAME = /ms-diagnostics(?:-public)?\s*:/gi;
/** A pasted block is read up to this size: a header is a few hundred bytes, a whole trace a few kilobytes. */
export const MAX_PASTED_CHARS = 64 * 1024;

export type PastedDiagnostics = { diagnostics: MsDiagnostic[] } | { error: string };

/**
 * Diagnostics from text an admin pasted: one or more headers with or without their `ms-diagnostics:` /
 * `ms-diagnostics-public:` names, one a line or several on a line (a trace with other headers around them), values
 * listed with commas. Typographic quotes from a web page or mail become plain ones; `#015` (a syslog CR) ends a line.
 */
export function parsePastedDiagnostics(text: string): PastedDiagnostics {
  if (text.length > MAX_PASTED_CHARS) return { error: `the input is longer than ${MAX_PASTED_CHARS} characters: paste only the ms-diagnostics headers` };
  const normalized = text.replace(/[\u201c\u201d\u201e\u2033]/g, '"').replace(/#015/g, '\n').replace(/\r/g, '');
  if (normalized.trim() === '') return { error: 'no ms-diagnostics header given: pass it in single quotes, or on standard input' };
  // In a trace, only the named headers and lines that start like a value (`1034;`) are diagnostics.
  const traced = normalized.match(HEADER_NAME) !== null;
  const values: { header: string; value: string }[] = [];
  for (const line of normalized.split('\n')) {
    const named = [...line.matchAll(HEADER_NAME)];
    named.forEach((match, index) => {
      const start = (match.index ?? 0) + match[0].length;
      values.push({ header: match[0].replace(/\s*:$/, '').toLowerCase(), value: line.slice(start, named[index + 1]?.index ?? line.length) });
    });
    if (named.length === 0 && (!traced || /^\s*\d+(?:\.\d+)?\s*;/.test(line))) values.push({ header: 'ms-diagnostics', value: line });
  }
  const diagnostics: MsDiagnostic[] = [];
  for (const { header, value } of values) {
    for (const item of splitList(value)) {
      if (!/^\d+(?:\.\d+)?\s*(?:;|$)/.test(item)) {
        return { error: `not an ms-diagnostics value: "${excerpt(item)}": expected a numeric code first, such as 1046;reason="..."` };
      }
      diagnostics.push(parseMsDiagnostic(header, item));
    }
  }
  return diagnostics.length > 0 ? { diagnostics } : { error: 'no ms-diagnostics header given: pass it in single quotes, or on standard input' };
}

/** Values of one header, split at commas outside quotes that start another `<code>;` (RFC 3261 7.3.1 lists). */
function splitList(value: string): string[] {
  const items: string[] = [];
  let current = '';
  let quoted = false;
  for (let index = 0; index < value.length; index += 1) {
    const char = value[index] ?? '';
    if (char === '"' && value[index - 1] !== '\\') quoted = !quoted;
    if (char === ',' && !quoted && /^\s*\d+\s*(?:;|$)/.test(value.slice(index + 1))) {
      items.push(current);
      current = '';
      continue;
    }
    current += char;
  }
  items.push(current);
  return items.map((item) => item.trim()).filter((item) => item !== '');
}

function excerpt(text: string): string {
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

/**
 * The sip.ms-diagnostics fix and message placeholders a diagnostic fills: header, code, raw, details (the reason,
 * who added it, the domain, the peer, the Winsock error explained, as one parenthesis), and source, peer and
 * peerDomain when it names them.
 */
export function diagnosticPlaceholders(diagnostic: MsDiagnostic): Record<string, string | number> {
  const value = (name: string) => parameterValue(diagnostic, name);
  const [reason, source, domain, peer, winsockCode] = [value('reason'), value('source'), value('Domain'), value('PeerServer'), value('WinsockFailureCode')];
  const winsock = winsockCode === undefined ? undefined : winsockError(winsockCode);
  const details = [
    reason !== undefined ? `reason "${reason}"` : '',
    source !== undefined ? `added by ${source}` : '',
    domain !== undefined ? `domain ${domain}` : '',
    peer !== undefined ? `peer ${peer}` : '',
    winsock ? `WinsockFailureCode ${winsock.code} ${winsock.name}: ${winsock.meaning}` : '',
  ].filter(Boolean);
  return {
    header: diagnostic.header,
    code: diagnostic.code ?? diagnostic.raw,
    raw: diagnostic.raw,
    details: details.length > 0 ? ` (${details.join(', ')})` : '',
    ...(source !== undefined ? { source } : {}),
    ...(peer !== undefined ? { peer } : {}),
    ...(domain !== undefined ? { peerDomain: domain } : {}),
  };
}

/** A diagnostic with everything fedcheck can say about it: the known code and each parameter explained. */
export interface DecodedDiagnostic {
  header: string;
  raw: string;
  code: number | undefined;
  /** Absent for a code fedcheck does not know. */
  known?: DiagnosticCode;
  parameters: ExplainedParameter[];
}

export function decodeDiagnostic(diagnostic: MsDiagnostic): DecodedDiagnostic {
  const known = knownCode(diagnostic);
  return {
    header: diagnostic.header,
    raw: diagnostic.raw,
    code: diagnostic.code,
    ...(known ? { known } : {}),
    parameters: diagnostic.parameters.map(explainParameter),
  };
}
