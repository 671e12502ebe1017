// The decision of `policy explain` for a person: per service, allowed or denied, by which rule, the type and its needs.

import type { Target } from '../model/target.js';
import { FEDERATION_TYPE_NAMES, describeNeeds } from './decision.js';
import type { PolicyDecision, ServiceDecision } from './decision.js';

const LABEL_WIDTH = 9;

export function renderDecision(decision: PolicyDecision, source: string, target: Target): string {
  const lines = [`Policy for ${decision.partner} (from ${source})`];
  for (const service of [decision.sip, decision.xmpp]) lines.push(...serviceLines(service));
  const services = target.services.map((service) => service.toUpperCase()).join(' and ');
  const where = target.edge === undefined ? 'found by their SRV records' : `SIP at ${target.edge} as configured, no SRV record needed`;
  lines.push(`Live checks: ${services}; ${where}`, '');
  return `${lines.join('\n')}\n`;
}

function serviceLines(decision: ServiceDecision): string[] {
  const name = decision.service === 'sip' ? 'SIP' : 'XMPP';
  const verdict = decision.allowed ? 'allowed' : 'denied';
  const lines = [`  ${name.padEnd(6)}${verdict.padEnd(LABEL_WIDTH)}by ${decision.rule}: ${decision.reason}`];
  if (decision.type !== undefined) lines.push(`${' '.repeat(8)}${'type'.padEnd(LABEL_WIDTH)}${FEDERATION_TYPE_NAMES[decision.type]}`);
  if (decision.needs !== undefined) lines.push(`${' '.repeat(8)}${'needs'.padEnd(LABEL_WIDTH)}${describeNeeds(decision.needs)}`);
  return lines;
}
