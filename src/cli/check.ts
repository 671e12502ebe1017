// `fedcheck check <domain...>`: gather facts live (or load them with --replay), judge, report.

import type { Command } from 'commander';
import { UsageError } from '../model/errors.js';
import { readFactsFile } from '../engine/facts-io.js';
import type { SavedFacts } from '../model/facts-file.js';
import type { Report } from '../model/report.js';
import { endGathering, gatherLive, judgeLive, replay, startRun } from '../engine/run.js';
import type { LiveRun } from '../engine/run.js';
import { describeResolverFailure, resolverFailedEverywhere } from '../probes/resolver-check.js';
import { formatServer, systemResolvers } from '../probes/resolvers.js';
import type { DnsServer } from '../probes/resolvers.js';
import { FORMAT_HELP, parseCheckOptions } from './options.js';
import { DEFAULTS } from '../util/defaults.js';
import type { CheckFlags, LiveSettings, OutputSettings, ReplaySettings } from './options.js';
import { PASSPHRASE_ENV, loadClientCertificate } from './credentials.js';
import { loadCaFiles } from '../config/ca-files.js';
import { checkOutputPaths, emitReport } from './output.js';
import { progressWanted, startProgress } from './progress.js';
import { traceOutput } from './trace-output.js';
import type { TraceOutput } from './trace-output.js';

const EXAMPLES = `
Examples:
  fedcheck check contoso.com                        SIP and XMPP federation of contoso.com
  fedcheck check contoso.com --sip --edge sip.contoso.com
                                                    SIP only, with the Edge configured for direct federation
  fedcheck check contoso.com --vantage internal     run on the Edge: also its internal listeners
  fedcheck check contoso.com --save-facts run.json  keep every fact, to attach to a ticket
  fedcheck check --replay run.json                  judge those facts again, with no network
  fedcheck check contoso.com fabrikam.com --format json --out report.json

Exit codes: 0 all pass, 1 the worst finding is a warning, 2 a failure or an error,
3 fedcheck could not run (bad input, unreadable file, no answer from the resolver).`;

export function defineCheckCommand(program: Command, finish: (exitCode: number) => void): void {
  program
    .command('check')
    .description('check whether each domain is ready for SIP and XMPP federation, and say exactly why not')
    .argument('[domain...]', 'the domains to check, such as contoso.com (IDNs welcome); may be omitted with --replay')
    .option(
      '--sip',
      'check SIP federation only (Skype for Business / Lync, Microsoft 365, Cisco), and expect the domain to offer it; neither flag: both, as published',
    )
    .option('--xmpp', 'check XMPP server-to-server federation only, and expect the domain to offer it; neither flag: both, as published')
    .option(
      '--expect <services>',
      'sip, xmpp or sip,xmpp: the domain must offer these, so an unpublished one is a failure (default: a service the domain does not publish is reported as information)',
    )
    .option(
      '--edge <fqdn>',
      'the Access Edge FQDN configured for direct federation with the domain: probed even without SRV records (one domain only)',
    )
    .option(
      '--vantage <where>',
      `external (as a partner sees the domain) or internal (run on or inside the Edge: also probes its internal listeners, such as the XMPP gateway port 23456) (default: ${DEFAULTS.vantage})`,
    )
    .option(
      '--resolver <ip[:port]>',
      "a DNS resolver to ask instead of the system's (/etc/resolv.conf); repeatable. The domains' own name servers are asked on port 53, except when exactly one --resolver with a port other than 53 is given: then on that port, as the lab serves every zone on one port",
      collect,
    )
    .option('--timeout <ms>', `time limit of each probe, in milliseconds (default: ${DEFAULTS.timeoutMs})`)
    .option('--deadline <ms>', `time limit of the whole run, in milliseconds (default: ${DEFAULTS.deadlineMs})`)
    .option('--concurrency <n>', `most probes running at once (default: ${DEFAULTS.concurrency})`)
    .option(
      '--allow-private [cidrs]',
      'also connect to private, loopback and link-local addresses found in DNS (not done by default): without a value every non-public network, with a comma-separated list only those, such as 127.0.0.0/8,::1/128',
    )
    .option('--ca-file <pem>', 'also trust the CA certificates in this PEM file (a private CA of a partner); repeatable', collect)
    .option(
      '--client-cert <file>',
      `present this certificate for mutual TLS (PEM with --client-key, or PFX / PKCS#12) and lint it like a partner's; a passphrase comes from ${PASSPHRASE_ENV} or a prompt`,
    )
    .option('--client-key <file>', 'the PEM private key of a PEM --client-cert (when the certificate file does not hold it)')
    .option('--from-domain <domain>', 'our own domain, sent as the XMPP stream "from" and the SIP From (default: fedcheck.invalid)')
    .option(
      '--revocation',
      "also check whether each certificate is revoked: ask its OCSP responder, else fetch its CRL (as a Lync / Skype for Business Edge does), under the same private-address rule as the Edges",
    )
    .option('--warn-days <days>', `warn when a certificate expires in fewer days than this (default: ${DEFAULTS.warnDays})`)
    .option('--format <format>', FORMAT_HELP)
    .option('--out <file>', 'write the report to this file instead of stdout (the terminal format then has no colour)')
    .option('--save-facts <file>', 'also write every fact gathered to this file, to replay it later or attach it to a ticket')
    .option(
      '--replay <file>',
      'judge facts saved with --save-facts again, with no network; domains given must be in the file, none means all of them',
    )
    .option('--no-color', 'no colour in the terminal report (colour is also off when NO_COLOR is set or stdout is not a terminal)')
    .option('--trace', 'after the report, print on stderr when each probe ran and how it ended, and the longest chain of probes (also FEDCHECK_TRACE=1, or =json for one line of JSON)')
    .addHelpText('after', EXAMPLES)
    .action(async (domains: string[], flags: CheckFlags) => finish(await runCheck(domains, flags)));
}

function collect(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), value];
}

async function runCheck(domains: string[], flags: CheckFlags): Promise<number> {
  const { run, output } = parseCheckOptions(domains, flags);
  checkOutputPaths(output);
  const trace = traceOutput(flags.trace, process.env);
  const { report, saved } = run.mode === 'replay' ? replayFile(run) : await checkLive(run, output, trace);
  const exitCode = emitReport(report, saved, output);
  trace.print(process.stderr);
  return exitCode;
}

/** The report, and the facts it was judged from (for --save-facts). */
function replayFile({ file, domains }: ReplaySettings): { report: Report; saved: SavedFacts } {
  const saved = readFactsFile(file);
  const heldDomains = saved.targets.map((target) => target.domain);
  const missing = domains.filter((domain) => !heldDomains.includes(domain));
  if (missing.length > 0) {
    throw new UsageError(
      `facts file "${file}" holds no facts for ${missing.join(', ')}: it holds ${heldDomains.join(', ') || 'no domain'}`,
    );
  }
  const targets = domains.length === 0 ? saved.targets : saved.targets.filter((t) => domains.includes(t.domain));
  const judged = { ...saved, targets };
  return { report: replay(judged, file), saved: judged };
}

async function checkLive(live: LiveSettings, output: OutputSettings, trace: TraceOutput): Promise<{ report: Report; saved: SavedFacts }> {
  const resolvers = live.resolvers ?? systemResolvers();
  const progress = startProgress(
    progressWanted(output.format, process.stderr, process.env),
    `asking ${resolvers.map(formatServer).join(', ')}`,
  );
  try {
    const caPem = loadCaFiles(live.caFiles);
    const clientCertificate = live.clientCert && (await loadClientCertificate(live.clientCert.cert, live.clientCert.key));
    const options = {
      targets: live.targets,
      resolvers,
      authoritativePort: live.authoritativePort,
      vantage: live.vantage,
      allowPrivate: live.allowPrivate,
      timeoutMs: live.timeoutMs,
      deadlineMs: live.deadlineMs,
      concurrency: live.concurrency,
      caPem,
      expiryWarningDays: live.expiryWarningDays,
      revocation: live.revocation,
      ...(clientCertificate ? { clientCertificate } : {}),
      ...(live.fromDomain !== undefined ? { fromDomain: live.fromDomain } : {}),
      onProgress: progress.probes,
      ...(trace.record ? { onTrace: trace.record } : {}),
    };
    const run = startRun(options);
    let saved: SavedFacts;
    try {
      saved = await gatherLive(options, run);
    } finally {
      endGathering(run);
    }
    ensureResolversAnswered(run, saved, resolvers, live);
    return { report: await judgeLive(saved, run), saved };
  } finally {
    progress.stop();
  }
}

/**
 * A resolver that answered no question of the run would turn every finding into an error; that is a setup
 * problem, not the domains', so it stops the run. A domain it fails for alone is judged with the others.
 */
function ensureResolversAnswered(run: LiveRun, saved: SavedFacts, resolvers: DnsServer[], live: LiveSettings): void {
  // Cut short, the run's questions were aborted rather than unanswered.
  const { deadlineReached, interrupted } = run.scheduler;
  const failure = deadlineReached || interrupted ? undefined : resolverFailedEverywhere(saved.facts);
  if (failure === undefined) return;
  const hint = live.resolvers === undefined ? 'check /etc/resolv.conf or pass --resolver IP[:PORT]' : 'check --resolver';
  throw new UsageError(`${describeResolverFailure(resolvers, failure, live.targets.length)}: ${hint}`);
}
