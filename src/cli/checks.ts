// `fedcheck checks` and `fedcheck explain <check-id>`: the checks' documentation, from their own metadata.

import { allChecks } from '../../checks/index.js';
import { policyChecks } from '../../checks/policy/index.js';
import { UsageError } from '../model/errors.js';
import { EXIT } from '../model/finding.js';
import { nearest } from '../util/nearest.js';
import {
  renderCheckExplanation,
  renderChecksJson,
  renderChecksList,
  renderChecksMarkdown,
} from '../report/check-docs.js';
import { parseChoice } from '../util/choices.js';

/** The per-domain checks, then the policy checks `fedcheck run` and `fedcheck policy` add. */
const documented = [...allChecks, ...policyChecks];

const LIST_FORMATS = ['terminal', 'json', 'markdown'] as const;

export function listChecks(flags: { format?: string }): number {
  const format = parseChoice(flags.format, '--format', LIST_FORMATS, 'terminal');
  const render = { terminal: renderChecksList, json: renderChecksJson, markdown: renderChecksMarkdown }[format];
  process.stdout.write(render(documented));
  return EXIT.ok;
}

export function explainCheck(id: string): number {
  const check = documented.find((c) => c.meta.id === id.trim());
  if (check === undefined) throw new UsageError(unknownCheckMessage(id));
  process.stdout.write(renderCheckExplanation(check));
  return EXIT.ok;
}

function unknownCheckMessage(id: string): string {
  const closest = nearest(id, documented.map((c) => c.meta.id))?.candidate;
  const suggestion = closest === undefined ? '' : `did you mean ${closest}? `;
  return `unknown check id "${id}": ${suggestion}fedcheck checks lists them all`;
}
