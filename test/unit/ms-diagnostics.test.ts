// The ms-diagnostics reader shared by sip.ms-diagnostics and `fedcheck decode`: headers as Edges write them and as
// admins paste them.

import { describe, expect, it } from 'vitest';
import { DIAGNOSTIC_CODES, decodeDiagnostic, diagnosticFixId, parseMsDiagnostic, parsePastedDiagnostics } from '../../src/judge/ms-diagnostics.js';
import type { MsDiagnostic } from '../../src/judge/ms-diagnostics.js';

const diagnosticsOf = (text: string): MsDiagnostic[] => {
  const parsed = parsePastedDiagnostics(text);
  if ('error' in parsed) throw new Error(parsed.error);
  return parsed.diagnostics;
};

describe('parseMsDiagnostic', () => {
  it('reads the code and the parameters in order, names as written, values unquoted and trimmed', () => {
    const diagnostic = parseMsDiagnostic('ms-diagnostics', '1009; reason ="No match for domain in DNS SRV results"; domain =" cms.example.com "; fqdn1 ="vcse.example.com:5061";source="sip.example.com"');
    expect(diagnostic.code).toBe(1009);
    expect(diagnostic.parameters).toEqual([
      { name: 'reason', value: 'No match for domain in DNS SRV results' },
      { name: 'domain', value: 'cms.example.com' },
      { name: 'fqdn1', value: 'vcse.example.com:5061' },
      { name: 'source', value: 'sip.example.com' },
    ]);
  });

  it('keeps an escaped quote and a semicolon inside a quoted value', () => {
    const diagnostic = parseMsDiagnostic('ms-diagnostics', '1034;reason="a \\"quoted\\" word; and more";source="x"');
    expect(diagnostic.parameters).toEqual([
      { name: 'reason', value: 'a "quoted" word; and more' },
      { name: 'source', value: 'x' },
    ]);
  });
});

describe('parsePastedDiagnostics', () => {
  it('takes every ms-diagnostics and ms-diagnostics-public header of a syslog line, and nothing of the headers around them', () => {
    const line =
      'CSeq: 1 INVITE#015 Server: RTCC/5.0.0.0 CoreServer#015 ms-diagnostics: 1034;reason="Previous hop federated peer did not report diagnostic information";' +
      'Domain="fabrikam.com";PeerServer="sip.fabrikam.com";source="edge.contoso.com"#015 ms-diagnostics-public: 1027;reason="Cannot route"#015 Content-Length: 0';
    expect(diagnosticsOf(line).map((d) => [d.header, d.code, d.parameters.length])).toEqual([
      ['ms-diagnostics', 1034, 4],
      ['ms-diagnostics-public', 1027, 1],
    ]);
  });

  it('splits a comma-separated list only where a new code starts, not inside a quoted reason', () => {
    expect(diagnosticsOf('1008;reason="a, b";Domain="x", 1014;reason="c"').map((d) => [d.code, d.parameters[0]?.value])).toEqual([
      [1008, 'a, b'],
      [1014, 'c'],
    ]);
  });

  it('reads a code with a sub-code, a bare code, and a value pasted without its name beside a named one', () => {
    expect(diagnosticsOf('1046.2;reason="x"\n\n1003').map((d) => d.code)).toEqual([1046, 1003]);
    expect(diagnosticsOf('ms-diagnostics: 1046;reason="x"\n1014;reason="y"\nServer: RTC/6.0\n12:01:02 trace line').map((d) => [d.header, d.code])).toEqual([
      ['ms-diagnostics', 1046],
      ['ms-diagnostics', 1014],
    ]);
  });

  it('refuses text without a header, and a value without a code', () => {
    expect(parsePastedDiagnostics('   \n')).toEqual({ error: expect.stringMatching(/^no ms-diagnostics header given/) });
    expect(parsePastedDiagnostics('reason="x"')).toEqual({ error: expect.stringMatching(/^not an ms-diagnostics value: "reason="x""/) });
    expect(parsePastedDiagnostics('ms-diagnostics:\n')).toEqual({ error: expect.stringMatching(/^no ms-diagnostics header given/) });
    expect(parsePastedDiagnostics('1'.repeat(70 * 1024))).toEqual({ error: expect.stringMatching(/longer than/) });
  });
});

describe('decodeDiagnostic and its fix', () => {
  it('explains each Winsock error a federation connection gets, and picks the connection fix for an unknown code', () => {
    for (const [code, text] of [
      ['10060(WSAETIMEDOUT)', 'WSAETIMEDOUT: connection timed out'],
      ['10061(WSAECONNREFUSED)', 'WSAECONNREFUSED: connection refused'],
      ['10054(WSAECONNRESET)', 'WSAECONNRESET: connection reset by the peer'],
    ] as const) {
      const diagnostic = parseMsDiagnostic('ms-diagnostics', `1046;reason="x";WinsockFailureCode="${code}";PeerServer="sip.fabrikam.com"`);
      const winsock = decodeDiagnostic(diagnostic).parameters.find((p) => p.name === 'WinsockFailureCode');
      expect(winsock?.valueMeaning).toMatch(new RegExp(`^${text.replace(/[()]/g, '\\$&')}`));
      expect(diagnosticFixId(diagnostic)).toBe('peerConnection');
    }
    const unexplained = parseMsDiagnostic('ms-diagnostics', '1046;WinsockFailureCode="10099(WSAESOMETHING)"');
    expect(decodeDiagnostic(unexplained).parameters[0]).toEqual({
      name: 'WinsockFailureCode',
      value: '10099(WSAESOMETHING)',
      meaning: 'the Windows socket error the reporting Edge got on its TCP connection to PeerServer',
    });
    expect(diagnosticFixId(unexplained)).toBe('unknownCode');
  });

  it('gives a known code its own fix, even beside a Winsock error, and an informational code none', () => {
    expect(diagnosticFixId(parseMsDiagnostic('ms-diagnostics', '1047;WinsockFailureCode="10054(WSAECONNRESET)"'))).toBe('certificateTrust');
    expect(diagnosticFixId(parseMsDiagnostic('ms-diagnostics', '1003;reason="User does not exist"'))).toBeUndefined();
  });

  it('names a source for every code it knows', () => {
    for (const [code, known] of Object.entries(DIAGNOSTIC_CODES)) {
      expect(known.source.url, code).toMatch(/^https:\/\//);
      expect(known.reason.length, code).toBeGreaterThan(10);
    }
  });
});
