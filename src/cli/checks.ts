// `fedcheck checks` and `fedcheck explain <check-id>`: the checks' documentation, from their own metadata.

import type { Command } from 'commander';
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

export function defineChecksCommands(program: Command, finish: (exitCode: number) => void): void {
  program
    .command('checks')
    .description('list every check: its id, what it checks, why it matters and how to fix a failure')
    .option(
      '--format <format>',
      "terminal, json (the checks' full metadata) or markdown (the README's Checks section) (default: terminal)",
    )
    .action((flags: { format?: string }) => {
      const format = parseChoice(flags.format, '--format', LIST_FORMATS, 'terminal');
      const render = { terminal: renderChecksList, json: renderChecksJson, markdown: renderChecksMarkdown }[format];
      process.stdout.write(render(documented));
      finish(EXIT.ok);
    });
  program
    .command('explain')
    .description('explain one check in full: what it checks and why, every message, every fix with its steps and snippets')
    .argument('<check-id>', 'a check id as listed by fedcheck checks, such as dns.sip-federation-srv')
    .action((id: string) => {
      const check = documented.find((c) => c.meta.id === id.trim());
      if (check === undefined) throw new UsageError(unknownCheckMessage(id));
      process.stdout.write(renderCheckExplanation(check));
      finish(EXIT.ok);
    });
}

function unknownCheckMessage(id: string): string {
  const closest = nearest(id, documented.map((c) => c.meta.id))?.candidate;
  const suggestion = closest === undefined ? '' : `did you mean ${closest}? `;
  return `unknown check id "${id}": ${suggestion}fedcheck checks lists them all`;
}
