// The `fedcheck serve` command: its name, options and help. Its implementation (./serve.ts) is imported only when it
// runs, so `--version`, `--help` and the other commands never load it.

import type { Command } from 'commander';
import { DEFAULTS } from '../util/defaults.js';
import { collect } from './repeatable.js';

const EXAMPLES = `
Endpoints:
  /probe?target=DOMAIN&module=MODULE   Prometheus metrics of one check (modules: federation, sip, xmpp, serve.modules)
  /metrics                             the server's own metrics
  /                                    a page to check a domain from a browser
  /api/check?domain=DOMAIN             the JSON report of one check

Examples:
  fedcheck serve --config fedcheck.yaml                 probe the config's domains, on ${DEFAULTS.serve.listen}
  fedcheck serve --config fedcheck.yaml --listen 0.0.0.0:9469
                                                        also reachable from other machines (set serve.tokenFile)
  curl 'http://${DEFAULTS.serve.listen}/probe?target=contoso.com&module=sip'

SIGTERM or Ctrl+C finishes the probes in flight and exits 0; SIGHUP reads the config again (a config with an
error is refused and the running one kept).`;

export interface ServeFlags {
  config?: string;
  listen?: string;
  allowAnyTarget?: boolean;
  resolver?: string[];
  /** True when given without a list. */
  allowPrivate?: string | true;
  caFile?: string[];
  timeout?: string;
}

export function defineServeCommand(program: Command, finish: (exitCode: number) => void): void {
  program
    .command('serve')
    .description('serve federation checks over HTTP: a probe endpoint for Prometheus (as blackbox_exporter) and a page to check a domain')
    .option('--config <file>', 'the fedcheck config: its check settings, own and partner domains, and the serve section (targets, modules, vantage, tokenFile, limits)')
    .option('--listen <host:port>', `where to listen (default: serve.listen of the config, else ${DEFAULTS.serve.listen}: loopback only)`)
    .option('--allow-any-target', "probe any domain asked for, not only the config's domains and serve.targets: anyone reaching the server can then make it probe any domain")
    .option('--resolver <ip[:port]>', 'a DNS resolver to ask instead of check.resolvers (else the system\'s); repeatable', collect)
    .option('--allow-private [cidrs]', 'also connect to these non-public networks found in DNS, instead of check.allowPrivate; without a value, every non-public network')
    .option('--ca-file <pem>', 'also trust the CA certificates in this PEM file, instead of check.caFiles; repeatable', collect)
    .option('--timeout <ms>', `time limit of each probe, instead of check.timeoutMs (default: ${DEFAULTS.timeoutMs})`)
    .addHelpText('after', EXAMPLES)
    .action(async (flags: ServeFlags) => {
      const { runServe } = await import('./serve.js');
      finish(await runServe(flags));
    });
}
