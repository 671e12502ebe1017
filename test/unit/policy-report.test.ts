// Which policy findings a nightly run keeps: none about a service a partner does not publish and nobody requires.

import { describe, expect, it } from 'vitest';
import type { Finding } from '../../src/model/finding.js';
import type { Presence, PresenceState } from '../../src/model/presence-state.js';
import { domainReport } from '../../src/model/report.js';
import type { Service } from '../../src/model/target.js';
import { aboutJudgedServices } from '../../src/policy/report.js';
import { finding, reportOf } from '../support/report-runs.js';

function presence(sip: PresenceState, xmpp: PresenceState, expected: Service[] = []): Presence {
  return {
    sip: { service: 'sip', state: sip, expected: expected.includes('sip') },
    xmpp: { service: 'xmpp', state: xmpp, expected: expected.includes('xmpp') },
  };
}

/** A report of the domains, each checked for both services with the presence given, and no finding yet. */
function reportWith(domains: Record<string, Presence | undefined>) {
  return {
    ...reportOf([]),
    domains: Object.entries(domains).map(([domain, p]) => domainReport({ domain, input: domain, services: ['sip', 'xmpp'] }, [], p)),
  };
}

function denied(domain: string, service: Finding['service']): Finding {
  return finding('policy.partner-allowed', `${domain} ${service}`, 'fail', { domain, service, messageId: 'denied' });
}

const kept = (findings: Finding[]) => findings.map((f) => f.subject);

describe('aboutJudgedServices', () => {
  it('leaves out a denial of XMPP for a partner that publishes none and is not required to', () => {
    const report = reportWith({ 'sip-only.example': presence('offered', 'absent'), 'hosted.example': presence('hosted', 'not-offered') });
    const findings = [denied('sip-only.example', 'xmpp'), denied('sip-only.example', 'sip'), denied('hosted.example', 'xmpp')];
    expect(kept(aboutJudgedServices(report, findings))).toEqual(['sip-only.example sip']);
  });

  it('keeps it when the partner is required to offer XMPP, publishes it, or its XMPP could not be looked up', () => {
    const report = reportWith({
      'required.example': presence('offered', 'absent', ['xmpp']),
      'xmpp-only.example': presence('absent', 'offered'),
      'unknown.example': presence('offered', 'unknown'),
    });
    const findings = [denied('required.example', 'xmpp'), denied('xmpp-only.example', 'xmpp'), denied('unknown.example', 'xmpp')];
    expect(kept(aboutJudgedServices(report, findings))).toEqual(kept(findings));
  });

  it('keeps findings about no one service, about domains the run did not probe, and about domains without a presence', () => {
    const report = reportWith({ 'sip-only.example': presence('offered', 'absent'), 'replayed.example': undefined });
    const findings = [denied('sip-only.example', 'none'), denied('unwatched.example', 'xmpp'), denied('replayed.example', 'xmpp')];
    expect(kept(aboutJudgedServices(report, findings))).toEqual(kept(findings));
  });
});
