// `fedcheck demo`: the full check against the embedded lab, so a new user sees passes, failures and fixes offline.

import { EXIT } from '../model/finding.js';
import { UsageError } from '../model/errors.js';
import { normalizeDomain } from '../model/target.js';
import { runLive } from '../engine/run.js';
import { startLab } from '../lab/lab.js';
import { SCENARIOS } from '../lab/scenarios.js';
import { hanging } from '../report/wrap.js';
import { parseOutputOptions } from './options.js';
import { DEFAULTS } from '../util/defaults.js';
import { nearest } from '../util/nearest.js';
import type { OutputFlags } from './options.js';
import { checkOutputPaths, emitReport, terminalWidth } from './output.js';
import { progressWanted, startProgress } from './progress.js';

export interface DemoFlags extends OutputFlags {
  /** --domain, repeatable: only these lab domains. */
  domain?: string[];
}

export async function runDemo(flags: DemoFlags): Promise<number> {
  const output = parseOutputOptions(flags);
  const chosen = labDomains(flags.domain);
  checkOutputPaths(output);
  const progress = startProgress(progressWanted(output.format, process.stderr, process.env), 'starting the lab');
  let result: Awaited<ReturnType<typeof runLive>>;
  try {
    const lab = await startLab();
    try {
      progress.text('probing the lab');
      result = await runLive({
        targets: chosen === undefined ? lab.targets : lab.targets.filter((target) => chosen.includes(target.domain)),
        resolvers: [lab.resolver],
        authoritativePort: lab.authoritativePort,
        vantage: DEFAULTS.vantage,
        allowPrivate: lab.allowPrivate,
        timeoutMs: lab.timeoutMs,
        caPem: [lab.caPem],
        deadlineMs: DEFAULTS.deadlineMs,
        concurrency: DEFAULTS.concurrency,
        onProgress: progress.probes,
      });
    } finally {
      await lab.close();
    }
  } finally {
    progress.stop();
  }
  await emitReport(result.report, result.saved, output, 'fedcheck demo --domain <domain>');
  if (output.format === 'terminal') {
    const { exitCode } = result.report.summary;
    const closing =
      `This was the demo: ${plural(result.report.domains.length)} served by the embedded lab on loopback, ` +
      `no internet used. A real fedcheck check with these findings would exit with code ${exitCode}. ` +
      'Check a real domain with: fedcheck check <domain>';
    process.stderr.write(`\n${hanging('', closing, 0, terminalWidth(process.stderr, process.env)).join('\n')}\n`);
  }
  return EXIT.ok;
}

function plural(count: number): string {
  return `${count} fixture domain${count === 1 ? '' : 's'}`;
}

/** The --domain names, each a lab domain; undefined without any: the whole lab. */
function labDomains(names: readonly string[] | undefined): string[] | undefined {
  if (names === undefined || names.length === 0) return undefined;
  const known = SCENARIOS.map((scenario) => scenario.domain);
  return names.map((name) => {
    const domain = normalizeDomain(name, '--domain');
    if (known.includes(domain)) return domain;
    const guess = nearest(domain, known);
    const hint = guess !== undefined && guess.distance <= 3 ? `did you mean ${guess.candidate}? ` : '';
    throw new UsageError(`--domain "${name}" is not a lab domain: ${hint}fedcheck lab lists them`);
  });
}
