// The rules `fedcheck serve` admits a probe by, without a server: which targets a config allows (a pattern covers
// the names below a domain, never the domain itself or a look-alike), what a module makes of a target, and the
// limiter's sliding minute under a clock the test moves.

import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/load.js';
import { ProbeLimiter } from '../../src/serve/limits.js';
import { BUILT_IN_MODULES, serveModules } from '../../src/serve/modules.js';
import { probeTarget, targetRules } from '../../src/serve/targets.js';

const CONFIG = `
own: { sipDomains: [contoso.com] }
partners: [{ domain: fabrikam.com, services: [sip], edge: sip.fabrikam.com }]
serve:
  targets: ["*.tailspintoys.com", Northwind.example]
  modules:
    inside: { vantage: internal, services: [xmpp] }
`;

describe('targets', () => {
  const config = parseConfig(CONFIG, 'fedcheck.yaml');
  const rules = targetRules(config, false);
  const federation = BUILT_IN_MODULES.federation!;

  it.each([
    ['contoso.com', true],
    ['fabrikam.com', true],
    ['sip.tailspintoys.com', true],
    ['a.b.tailspintoys.com', true],
    ['tailspintoys.com', false],
    ['eviltailspintoys.com', false],
    ['northwind.example', true],
    ['www.northwind.example', false],
  ])('%s allowed: %s', (domain, allowed) => {
    expect('target' in probeTarget(domain, federation, rules)).toBe(allowed);
  });

  it('keeps what the config says of a partner, unless the module names its services', () => {
    expect(probeTarget('fabrikam.com', federation, rules)).toMatchObject({ target: { services: ['sip'], expected: ['sip'], edge: 'sip.fabrikam.com', role: 'partner' } });
    const inside = serveModules(config).get('inside')!;
    expect(probeTarget('fabrikam.com', inside, rules)).toMatchObject({ target: { services: ['xmpp'], expected: ['xmpp'] } });
    expect(probeTarget('sip.tailspintoys.com', federation, rules)).toMatchObject({ target: { services: ['sip', 'xmpp'], expected: [] } });
  });

  it('allows any domain with --allow-any-target, and still refuses what is not a domain', () => {
    const open = targetRules(config, true);
    expect('target' in probeTarget('example.org', federation, open)).toBe(true);
    expect(probeTarget('192.0.2.1', federation, open)).toMatchObject({ refused: 'invalid' });
  });

  it('names a bad pattern with its line in the config', () => {
    expect(() => parseConfig(`${CONFIG.replace('Northwind.example', '"*.bad..name"')}`, 'fedcheck.yaml')).toThrow(
      /^fedcheck\.yaml:5:\d+: serve\.targets\[1\]: invalid domain .*, or a pattern such as \*\.fabrikam\.com/,
    );
  });
});

describe('ProbeLimiter', () => {
  const limits = { probesInFlight: 3, probesInFlightPerClient: 2, probesPerMinute: 5, probesPerMinutePerClient: 3, connections: 10, headerTimeoutMs: 1000 };

  it('counts probes in flight for each client and for all, and frees a slot on release', () => {
    const limiter = new ProbeLimiter(limits, () => 0);
    const a1 = limiter.admit('a');
    const a2 = limiter.admit('a');
    expect(limiter.admit('a')).toEqual({ admitted: false, retryAfterSeconds: 1, reason: '2 probes of this client already running' });
    const b1 = limiter.admit('b');
    expect(limiter.admit('c')).toEqual({ admitted: false, retryAfterSeconds: 1, reason: '3 probes already running' });
    for (const admission of [a1, a2, b1]) if (admission.admitted) admission.release();
    expect(limiter.inFlight).toBe(0);
  });

  it('slides its minute: a refusal says when the oldest probe leaves it', () => {
    let now = 0;
    const limiter = new ProbeLimiter(limits, () => now);
    for (const at of [0, 10_000, 20_000]) {
      now = at;
      const admission = limiter.admit('a');
      if (admission.admitted) admission.release();
    }
    now = 30_000;
    expect(limiter.admit('a')).toEqual({ admitted: false, retryAfterSeconds: 30, reason: '3 probes of this client in the last minute' });
    now = 60_001;
    expect(limiter.admit('a').admitted).toBe(true);
  });
});
