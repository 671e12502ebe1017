// `fedcheck decode` run as an admin runs it: a header pasted from a Lync / Skype for Business trace, as an argument or
// on standard input, decoded into its code, its parameters and the fix.

import { describe, expect, it } from 'vitest';
import { fedcheck } from '../support/fedcheck.js';

/** A 504's header as an Edge writes it when the partner's Edge does not answer on 5061. */
const PASTED =
  'ms-diagnostics: 1046;reason="Failed to connect to a federated peer server";WinsockFailureCode="10060(WSAETIMEDOUT)";' +
  'WinsockFailureDescription="The peer did not respond to the connection attempt";PeerServer="sip.fabrikam.com";Domain="fabrikam.com";' +
  'source="sip.contoso.com"';

/** What decoding PASTED must tell the admin, whichever way it came in. */
function expectTimedOutPeer(stdout: string): void {
  expect(stdout).toContain('ms-diagnostics 1046: a code fedcheck does not know');
  expect(stdout).toMatch(/WinsockFailureCode = 10060\(WSAETIMEDOUT\)\n\s+the Windows socket error the reporting Edge got on its TCP connection to PeerServer\n\s+WSAETIMEDOUT: connection timed out: nothing answered on the partner's port 5061/);
  expect(stdout).toMatch(/PeerServer = sip\.fabrikam\.com\n\s+the server the reporting Edge was talking to when it failed/);
  expect(stdout).toMatch(/Domain = fabrikam\.com\n\s+the SIP domain the reporting Edge was trying to reach/);
  expect(stdout).toMatch(/source = sip\.contoso\.com\n\s+the server that added this header/);
  expect(stdout).toContain('Fix: Let sip.contoso.com connect to sip.fabrikam.com on TCP 5061');
  expect(stdout).toContain('      Test-NetConnection sip.fabrikam.com -Port 5061\n');
  expect(stdout).toContain('      fedcheck check fabrikam.com --sip\n');
}

describe('fedcheck decode', () => {
  it('decodes a header given as the argument, name included: every parameter explained and the fix, exit 0', async () => {
    const result = await fedcheck(['decode', PASTED]);
    expect(result.stderr).toBe('');
    expectTimedOutPeer(result.stdout);
    expect(result.code).toBe(0);
  });

  it('reads the same header from standard input, with "-" or with no argument', async () => {
    for (const args of [['decode', '-'], ['decode']]) {
      const result = await fedcheck(args, {}, `${PASTED}\n`);
      expect(result.stderr).toBe('');
      expectTimedOutPeer(result.stdout);
      expect(result.code).toBe(0);
    }
  });

  it('decodes every header of a pasted trace, with or without the name, typographic quotes and all', async () => {
    const trace = [
      'SIP/2.0 504 Server time-out',
      'ms-diagnostics: 1008;reason=\u201cUnable to resolve DNS SRV record\u201d;Domain=\u201cfabrikam.com\u201d;source=\u201csip.contoso.com\u201d',
      'Server: RTC/6.0',
      'ms-diagnostics-public: 1034;reason="Previous hop federated peer did not report diagnostic information"',
      '',
    ].join('\n');
    const result = await fedcheck(['decode', '--format', 'json'], {}, trace);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const decoded = JSON.parse(result.stdout) as {
      schemaVersion: number;
      diagnostics: { header: string; code: number; known?: { reason: string; status: string; source: { url: string } }; parameters: { name: string; value: string }[]; fix?: { summary: string; snippets: { text: string }[] } }[];
    };
    expect(decoded.schemaVersion).toBe(1);
    expect(decoded.diagnostics.map((d) => [d.header, d.code, d.known?.status])).toEqual([
      ['ms-diagnostics', 1008, 'fail'],
      ['ms-diagnostics-public', 1034, 'warn'],
    ]);
    const [srv] = decoded.diagnostics;
    expect(srv?.known?.reason).toBe('Unable to resolve DNS SRV record.');
    expect(srv?.known?.source.url).toBe('https://learn.microsoft.com/en-us/openspecs/office_protocols/ms-ocer/88f739c4-83cf-480e-bd53-fe2d311aad3f');
    expect(srv?.parameters).toContainEqual({ name: 'Domain', value: 'fabrikam.com', meaning: 'the SIP domain the reporting Edge was trying to reach' });
    expect(srv?.fix?.snippets.map((s) => s.text)).toContain('_sipfederationtls._tcp.fabrikam.com. 3600 IN SRV 100 1 5061 sip.fabrikam.com.');

    const bare = await fedcheck(['decode', '1013;reason="Significant time skew detected during authentication"']);
    expect(bare.stdout).toContain('ms-diagnostics 1013: failure: significant time skew detected during authentication');
    expect(bare.stdout).toContain('w32tm /resync');
    expect(bare.code).toBe(0);
  });

  it('says so for a code it does not know, and shows the parameters it understood', async () => {
    const result = await fedcheck(['decode', 'ms-diagnostics: 52001;reason="Something new";PeerServer="sip.fabrikam.com";Flavour="mint"']);
    expect(result.stderr).toBe('');
    expect(result.stdout).toContain('ms-diagnostics 52001: a code fedcheck does not know; the parameters below are what it says');
    expect(result.stdout).toMatch(/PeerServer = sip\.fabrikam\.com\n\s+the server the reporting Edge was talking to/);
    expect(result.stdout).toMatch(/Flavour = mint\n\s+\(a parameter fedcheck does not explain\)/);
    expect(result.stdout).toContain('Fix: Look up ms-diagnostics 52001 in the Edge\'s logs and in MS-OCER');
    expect(result.code).toBe(0);
  });

  it('refuses input that holds no ms-diagnostics header: one line, exit 3', async () => {
    for (const [args, input] of [
      [['decode', 'this is not a header; at all'], undefined],
      [['decode'], 'From: <sip:alice@contoso.com>;tag=1\nTo: <sip:bob@fabrikam.com>\n'],
      [['decode', '-'], ''],
      [['decode', 'ms-diagnostics: reason="no code"'], undefined],
    ] as const) {
      const result = await fedcheck([...args], {}, input);
      expect(result.stdout, args.join(' ')).toBe('');
      expect(result.stderr.trim().split('\n'), args.join(' ')).toHaveLength(1);
      expect(result.stderr).toMatch(/^fedcheck: (not an ms-diagnostics value|no ms-diagnostics header given)/);
      expect(result.code, args.join(' ')).toBe(3);
    }
  });
});
