// The `fedcheck check` command: its name, options and help. Its implementation (./check.ts) is imported only when it
// runs, so `--version`, `--help` and the other commands never load it.

import { Option } from 'commander';
import type { Command } from 'commander';
import { DEFAULTS } from '../util/defaults.js';
import { FORMAT_HELP } from './format-help.js';
import type { CheckFlags } from './options.js';
import { CLIENT_PASSPHRASE_ENV } from './passphrases.js';
import { collect } from './repeatable.js';

const EXAMPLES = `
Examples:
  fedcheck check contoso.com                        SIP and XMPP federation of contoso.com
  fedcheck check contoso.com --sip --edge sip.contoso.com
                                                    SIP only, with the Edge configured for direct federation
  fedcheck check contoso.com --vantage internal     run on the Edge: also its internal listeners
  fedcheck check contoso.com --save-facts run.json  keep every fact, to attach to a ticket
  fedcheck check --replay run.json                  judge those facts again, with no network
  fedcheck check contoso.com fabrikam.com --format json --out report.json

The terminal report shows problems only, worst domain first (-v: the passes too): each with its evidence
and fix for up to ${DEFAULTS.fullDetailDomains} domains, one line each beyond (--details: in full); it ends with the domains that
are not healthy and their worst problem. Its width is the terminal's: COLUMNS when set, else 80 when
stdout is not a terminal.

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
      `present this certificate for mutual TLS (PEM with --client-key, or PFX / PKCS#12) and lint it like a partner's; a passphrase comes from ${CLIENT_PASSPHRASE_ENV} or a prompt`,
    )
    .option('--client-key <file>', 'the PEM private key of a PEM --client-cert (when the certificate file does not hold it)')
    .option('--from-domain <domain>', 'our own domain, sent as the XMPP stream "from" and the SIP From (default: fedcheck.invalid)')
    .option(
      '--revocation',
      "also check whether each certificate is revoked: ask its OCSP responder, else fetch its CRL (as a Lync / Skype for Business Edge does), under the same private-address rule as the Edges",
    )
    .option('--warning-days <days>', `warn when a certificate expires in fewer days than this (default: ${DEFAULTS.warnDays})`)
    .option(
      '--critical-days <days>',
      `fail (Nagios CRITICAL) when a certificate expires in fewer days than this, fewer than --warning-days (default: ${DEFAULTS.criticalDays})`,
    )
    // The former name of --warning-days, kept so existing scripts and cron lines still run.
    .addOption(new Option('--warn-days <days>').hideHelp())
    .option('--format <format>', FORMAT_HELP)
    .option('--out <file>', 'write the report to this file instead of stdout (the terminal format then has no colour)')
    .option('--save-facts <file>', 'also write every fact gathered to this file, to replay it later or attach it to a ticket')
    .option(
      '--replay <file>',
      'judge facts saved with --save-facts again, with no network; domains given must be in the file, none means all of them',
    )
    .option('--no-color', 'no colour in the terminal report (colour is also off when NO_COLOR is set or stdout is not a terminal)')
    .option('-v, --verbose', 'terminal report: also list the passes, information and checks not run or not applicable here')
    .option('--details', `terminal report: every problem with its evidence and fix (the default up to ${DEFAULTS.fullDetailDomains} domains; beyond, one line per problem)`)
    .option('--trace', 'after the report, print on stderr when each probe ran and how it ended, and the longest chain of probes (also FEDCHECK_TRACE=1, or =json for one line of JSON)')
    .addHelpText('after', EXAMPLES)
    .action(async (domains: string[], flags: CheckFlags) => {
      const { runCheck } = await import('./check.js');
      finish(await runCheck(domains, flags));
    });
}
