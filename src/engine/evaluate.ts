// Judging: runs every applicable check over a target's facts. Pure: the same facts give the same findings.

import type { Check, CheckOptions } from './check.js';
import { defaultService, renderFinding } from './check.js';
import { describeError } from './errors.js';
import type { FactRecord } from './facts.js';
import { FactView } from './facts.js';
import type { Finding } from './finding.js';
import type { Target } from './target.js';

export function evaluateTarget(
  checks: readonly Check[],
  target: Target,
  facts: FactRecord,
  options: CheckOptions,
  now: Date,
): Finding[] {
  const view = new FactView(facts);
  const findings: Finding[] = [];
  for (const check of checks) {
    if (!check.meta.services.some((service) => target.services.includes(service))) continue;
    try {
      const drafts = check.evaluate({ target, facts: view, options, now });
      findings.push(...drafts.map((draft) => renderFinding(check, target.domain, draft)));
    } catch (error) {
      // A bug in one check must not hide the others: it becomes an error finding of its own.
      findings.push({
        checkId: check.meta.id,
        area: check.meta.area,
        domain: target.domain,
        service: defaultService(check.meta),
        status: 'error',
        subject: target.domain,
        messageId: 'internal-error',
        message: `the check failed to run: ${describeError(error)}`,
        evidence: [],
        references: check.meta.references,
      });
    }
  }
  return findings;
}
