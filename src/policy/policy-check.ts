// The contract of a policy check: the same metadata as every check, judged from the config instead of a domain's facts.

import { renderFinding } from '../engine/check.js';
import type { CheckMeta, FindingDraft } from '../engine/check.js';
import type { Finding } from '../engine/finding.js';
import type { PolicyFacts } from './facts.js';

/** A draft that names its domain: a lint finding belongs to our own domain or to the partner it is about. */
export interface PolicyDraft extends FindingDraft {
  domain: string;
}

export interface PolicyCheck {
  meta: CheckMeta;
  evaluate(facts: PolicyFacts): PolicyDraft[];
}

export function definePolicyCheck(check: PolicyCheck): PolicyCheck {
  return check;
}

/** Rendered by the engine's own renderer, so policy findings read exactly like the others. */
export function renderPolicyFinding(check: PolicyCheck, draft: PolicyDraft): Finding {
  // renderFinding reads only the metadata; it never calls evaluate.
  return renderFinding({ meta: check.meta, evaluate: () => [] }, draft.domain, draft);
}
