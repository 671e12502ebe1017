// Gathering plans from what the enabled checks read (GatherOptions.needs): a run whose checks read only DNS facts
// opens no connection, one that reads TCP connects but starts no session, and one that reads everything gets it all.
// Against the lab's healthy domain, whose Edge serves SIP and XMPP with TLS.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gatherTarget } from '../../src/gather/gather.js';
import type { GatherOptions } from '../../src/gather/gather.js';
import { Scheduler } from '../../src/gather/scheduler.js';
import type { FactKind } from '../../src/model/fact-kinds.js';
import { sharedLab, type SharedLab } from '../support/lab.js';

let lab: SharedLab;
beforeAll(async () => {
  lab = sharedLab();
});
afterAll(async () => {
});

/** The kinds of the fact keys a gather of healthy.test recorded, by the key's prefix (tcp, sip, xmpp-starttls...). */
async function gathered(needs?: FactKind[]): Promise<string[]> {
  const target = lab.targets.find((t) => t.domain === 'healthy.test');
  if (!target) throw new Error('the lab has no healthy.test');
  const scheduler = new Scheduler({ concurrency: 16, probeTimeoutMs: lab.timeoutMs, deadlineMs: 60_000 });
  const options: GatherOptions = {
    resolvers: [lab.resolver],
    authoritativePort: lab.authoritativePort,
    vantage: 'external',
    allowPrivate: lab.allowPrivate,
    extraCaPem: [lab.caPem],
    extraTrustAnchors: [],
    ...(needs ? { needs: new Set(needs) } : {}),
  };
  try {
    await gatherTarget(target, scheduler, options);
  } finally {
    scheduler.close();
  }
  return [...new Set(Object.keys(scheduler.facts()).map((key) => /^(dns@|[a-z-]+)/.exec(key)?.[1] ?? key))].sort();
}

describe('gathering only what the enabled checks read', () => {
  it('asks everything when no needs are given: DNS, TCP, the sessions and the TLS versions', async () => {
    expect(await gathered()).toEqual(['dns', 'dns@', 'sip', 'tcp', 'tls-versions', 'xmpp-starttls']);
  });

  it('with only DNS kinds needed, opens no connection at all: no tcp, session or TLS facts', async () => {
    expect(await gathered(['dns:SRV', 'dns:A', 'dns:AAAA', 'dns:NS', 'dns@:SRV', 'dns@:SOA'])).toEqual(['dns', 'dns@']);
  });

  it('with only SRV records needed, asks neither the addresses nor the name servers', async () => {
    expect(await gathered(['dns:SRV'])).toEqual(['dns']);
  });

  it('with TCP needed but no protocol, connects without starting a session', async () => {
    expect(await gathered(['dns:SRV', 'dns:A', 'dns:AAAA', 'tcp'])).toEqual(['dns', 'tcp']);
  });

  it('with SIP needed, starts the SIP sessions but neither XMPP nor the TLS version probes', async () => {
    expect(await gathered(['dns:SRV', 'dns:A', 'dns:AAAA', 'tcp', 'sip'])).toEqual(['dns', 'sip', 'tcp']);
  });
});
