// The ecosystems' own validators of fedcheck's monitoring formats, run as their users run them: promtool (Debian
// package prometheus) on the Prometheus textfile, xmllint (libxml2-utils) with the JUnit schema on the JUnit XML.

import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { requireBinary } from './interop.js';

export const JUNIT_SCHEMA = fileURLToPath(new URL('../fixtures/junit/junit-10.xsd', import.meta.url));

/** Whether each validator is installed: a test that needs a missing one is skipped, with a line naming its package. */
export const HAVE_PROMTOOL = requireBinary('promtool', 'prometheus', 'Prometheus metrics validation') !== undefined;
export const HAVE_XMLLINT = requireBinary('xmllint', 'libxml2-utils', 'JUnit schema validation') !== undefined;

export interface Verdict {
  status: number | null;
  /** Everything the validator printed: promtool's lint problems, xmllint's validity errors. */
  output: string;
}

function run(command: string, args: string[], input: string): Verdict {
  const result = spawnSync(command, args, { input, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (result.error) throw result.error;
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
}

/** `promtool check metrics`: parses the exposition format and lints names, units, HELP and TYPE; exit 0 and silent when all is well. */
export function promtool(text: string): Verdict {
  return run('promtool', ['check', 'metrics'], text);
}

/** `xmllint --schema junit-10.xsd`: well-formed and valid; on success it says only "- validates". */
export function xmllintJunit(xml: string): Verdict {
  return run('xmllint', ['--noout', '--schema', JUNIT_SCHEMA, '-'], xml);
}
