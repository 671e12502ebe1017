// A dead resolver is told from the run's own DNS facts: every question to it unanswered, none cut short by the run.

import { describe, expect, it } from 'vitest';
import type { FactRecord } from '../../src/model/facts.js';
import { resolverFailedEverywhere } from '../../src/probes/resolver-check.js';

const unanswered = { status: 'error', reason: 'network', detail: 'no answer for _sipfederationtls._tcp.a.test SRV (127.0.0.9:9: ECONNREFUSED)' } as const;
const timedOut = { status: 'error', reason: 'timeout', detail: 'no answer within 5000 ms' } as const;
const answered = { status: 'ok', facts: { rcode: 'SERVFAIL', records: [] } } as const;

describe('resolverFailedEverywhere', () => {
  it('names the first failure when no question of the run got an answer', () => {
    const facts: FactRecord = { 'dns:SRV:_sipfederationtls._tcp.a.test': unanswered, 'dns:NS:a.test': timedOut };
    expect(resolverFailedEverywhere(facts)).toEqual(unanswered);
  });

  it('any answer, even SERVFAIL, or a malformed one, means the resolver answers', () => {
    expect(resolverFailedEverywhere({ 'dns:NS:a.test': unanswered, 'dns:SRV:_xmpp-server._tcp.b.test': answered })).toBeUndefined();
    const malformed = { status: 'error', reason: 'malformed', detail: 'answer id 1 does not match the query id 2' } as const;
    expect(resolverFailedEverywhere({ 'dns:NS:a.test': unanswered, 'dns:NS:b.test': malformed })).toBeUndefined();
  });

  it("reads only the questions put to the run's resolvers, not those to the domains' own name servers", () => {
    expect(resolverFailedEverywhere({ 'dns@127.0.0.2:53:SOA:a.test': answered, 'dns:NS:a.test': unanswered })).toEqual(unanswered);
  });

  it('a question not asked (a bad name, a skipped probe) says nothing either way; no question at all is no failure', () => {
    const notAsked: FactRecord = {
      'dns:A:bad..name': { status: 'error', reason: 'invalid-name', detail: 'cannot ask about "bad..name"' },
      'dns:A:sip.a.test': { status: 'skipped', because: 'the run deadline was reached before this probe started' },
    };
    expect(resolverFailedEverywhere(notAsked)).toBeUndefined();
    expect(resolverFailedEverywhere({ ...notAsked, 'dns:NS:a.test': timedOut })).toEqual(timedOut);
    expect(resolverFailedEverywhere({ 'tcp:127.0.0.1:5061': { status: 'error', reason: 'timeout', detail: 'x' } })).toBeUndefined();
  });
});
