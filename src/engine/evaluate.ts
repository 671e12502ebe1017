// Judging: runs every applicable check over a target's facts. Pure: the same facts give the same findings.

import type { Check, CheckContext, CheckOptions, FindingDraft } from '../model/check.js';
import { defaultService, renderFinding } from '../model/check.js';
import { describeError } from '../model/errors.js';
import type { FactView } from '../model/facts.js';
import type { Finding } from '../model/finding.js';
import { checkScope, servicePresence } from '../judge/presence.js';
import { PRESENTED_CERTIFICATE, presentedChains } from '../judge/presented-chains.js';
import { fromDomainToward } from '../model/target.js';
import type { Target } from '../model/target.js';

export function evaluateTarget(
  checks: readonly Check[],
  target: Target,
  /** The run's one view of its facts: its index is built once and serves every target. */
  view: FactView,
  options: CheckOptions,
  now: Date,
): Finding[] {
  // The checks name the domain the probes toward this target sent.
  const targetOptions: CheckOptions = { ...options, fromDomain: fromDomainToward(target, options.fromDomain) };
  return judgeContext(checks, { target, presence: servicePresence(target, view), facts: view, options: targetOptions, now });
}

/** Every check over one target's context; the context of a certificate alone comes from cert inspect. */
export function judgeContext(checks: readonly Check[], context: CheckInputs): Finding[] {
  const { target } = context;
  const findings: Finding[] = [];
  for (const check of checks) {
    try {
      const drafts = evaluateCheck(check, context);
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
        location: { domain: target.domain },
        messageId: 'internal-error',
        message: `the check failed to run: ${describeError(error)}`,
        evidence: [],
        references: check.meta.references,
      });
    }
  }
  return findings;
}

/**
 * A check's context. Without `certificates`, the engine derives them from the facts, for a check that declares
 * `presented-certificate` only: a check that does not cannot read them by accident.
 */
export type CheckInputs = Omit<CheckContext, 'certificates'> & Partial<Pick<CheckContext, 'certificates'>>;

/**
 * One check over a target's facts, as the engine runs it. A service the domain does not offer and nobody expects
 * is seen only by its presence check; a check of both services runs once per judged service (its findings name
 * that service) unless it judges the domain as a whole. A finding every service's run makes alike (our own client
 * certificate, say) is about the domain as a whole: it is kept once, as service `none`. A policy check (judgedPer
 * `config`) runs once, over the policy facts, whatever the domain offers.
 */
export function evaluateCheck(check: Check, inputs: CheckInputs): FindingDraft[] {
  // Presented chains are derived from the whole view; the check itself reads only the facts it declares (a read of
  // any other kind throws UndeclaredFactError).
  const certificates = inputs.certificates ?? (check.meta.requires.includes(PRESENTED_CERTIFICATE) ? presentedChains(inputs.target, inputs.facts.whole()) : []);
  const context: CheckContext = { ...inputs, certificates, facts: inputs.facts.forCheck(check) };
  const { services, judgedPer } = check.meta;
  if (judgedPer === 'config') return check.evaluate(context);
  const scope = checkScope(check.meta, context.target, context.presence);
  if (scope === undefined) return [];
  if (services.length < 2 || judgedPer === 'domain') return check.evaluate({ ...context, target: scope });
  const runs = scope.services
    .filter((service) => services.includes(service))
    .map((service) => check.evaluate({ ...context, target: { ...scope, services: [service] } }).map((draft) => ({ service, ...draft })));
  return runs.length < 2 ? runs.flat() : mergeAlike(runs);
}

function mergeAlike(runs: FindingDraft[][]): FindingDraft[] {
  const identity = (draft: FindingDraft) =>
    JSON.stringify([draft.status, draft.messageId, draft.subject, draft.location ?? {}, draft.data ?? {}, draft.evidence ?? [], draft.fixId ?? null]);
  const inEvery = new Set(runs.map((run) => new Set(run.map(identity))).reduce((a, b) => new Set([...a].filter((key) => b.has(key)))));
  const kept = new Set<string>();
  return runs.flat().flatMap((draft) => {
    const key = identity(draft);
    if (!inEvery.has(key)) return [draft];
    if (kept.has(key)) return [];
    kept.add(key);
    return [{ ...draft, service: 'none' as const }];
  });
}
