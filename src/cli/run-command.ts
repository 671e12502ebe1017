// The `fedcheck run` command: its name, options and help. Its implementation (./run.ts) is imported only when it
// runs, so `--version`, `--help` and the other commands never load it.

import type { Command } from 'commander';
import type { RunFlags } from '../run/settings.js';
import type { TerminalFlags } from './run.js';
import { WEBHOOK_DEFAULTS } from '../run/webhook-defaults.js';
import { DEFAULTS } from '../util/defaults.js';
import { RUN_FORMAT_HELP } from './format-help.js';
import { CLIENT_PASSPHRASE_ENV } from './passphrases.js';
import { collect } from './repeatable.js';

const EXAMPLES = `
Examples:
  fedcheck run --config fedcheck.yaml                           every domain of the config, report on the terminal
  fedcheck run --config fedcheck.yaml --out-dir /var/www/fedcheck --history /var/lib/fedcheck/history
                                                                report files, and what changed since the last run
  fedcheck run --config fedcheck.yaml --format nagios           one Nagios / Icinga status line and its exit code
  fedcheck run --config fedcheck.yaml --webhook https://hooks.slack.com/services/...

Exit codes: 0 all pass, 1 the worst finding is a warning, 2 a failure or an error (--format nagios: 0 OK,
1 WARNING, 2 CRITICAL, 3 UNKNOWN), 3 fedcheck could not run, or the run was interrupted (SIGINT, SIGTERM):
the partial report is written to interrupted/ in the output folder, beside the last complete one. A webhook that cannot be reached never changes the exit code.`;

export function defineRunCommand(program: Command, finish: (exitCode: number) => void): void {
  program
    .command('run')
    .description('the nightly job: check every own and partner domain of a config file, write the reports, say what changed')
    .option('--config <file>', 'the config file (YAML) naming own and partner domains, the policy and the outputs (required)')
    .option('--out-dir <dir>', 'write report.json, report.html, junit.xml, fedcheck.prom and summary.md here (default: outputs.dir of the config)')
    .option('--history <dir>', "keep every run's JSON here and compare each run with the previous one (default: outputs.historyDir of the config)")
    .option('--format <format>', RUN_FORMAT_HELP)
    .option('--concurrency <n>', `most probes running at once (default: check.concurrency of the config, else ${DEFAULTS.concurrency})`)
    .option('--deadline <ms>', `time limit of the whole run, in milliseconds (default: check.deadlineMs of the config, else ${DEFAULTS.deadlineMs})`)
    .option('--timeout <ms>', `time limit of each probe, in milliseconds (default: check.timeoutMs of the config, else ${DEFAULTS.timeoutMs})`)
    .option('--webhook <url>', 'post a summary to this Slack or Microsoft Teams incoming webhook; empty: none (default: outputs.webhookUrl of the config)')
    .option('--webhook-timeout <ms>', `time limit of each webhook attempt, in milliseconds (default: ${WEBHOOK_DEFAULTS.timeoutMs})`)
    .option('--resolver <ip[:port]>', 'a DNS resolver to ask instead of the config\'s check.resolvers; repeatable', collect)
    .option(
      '--allow-private [cidrs]',
      "also connect to these private networks (comma-separated), instead of the config's check.allowPrivate; without a value every non-public network",
    )
    .option('--ca-file <pem>', "trust the CA certificates in this PEM file, instead of the config's check.caFiles; repeatable", collect)
    .option(
      '--client-cert <file>',
      `present this certificate for mutual TLS (PEM with --client-key, or PFX), instead of the config's check.clientCertificate; a passphrase comes from ${CLIENT_PASSPHRASE_ENV} or a prompt`,
    )
    .option('--client-key <file>', 'the PEM private key of a PEM --client-cert (when the certificate file does not hold it)')
    .option('--revocation', "also check whether each certificate is revoked, by OCSP or its CRL (default: check.revocation of the config)")
    .option('--no-color', 'no colour in the terminal report')
    .option('-v, --verbose', 'terminal report: also list the passes, information and checks not run or not applicable here')
    .option('--details', `terminal report: every problem with its evidence and fix (the default up to ${DEFAULTS.fullDetailDomains} domains; beyond, one line per problem)`)
    .option('--trace', 'after the report, print on stderr when each probe ran and how it ended, and the longest chain of probes (also FEDCHECK_TRACE=1, or =json for one line of JSON)')
    .addHelpText('after', EXAMPLES)
    .action(async (flags: RunFlags & TerminalFlags) => {
      const { run } = await import('./run.js');
      finish(await run(flags));
    });
}
