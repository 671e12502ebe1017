// The `fedcheck policy` command: its name, options and help. Its implementation (./policy.ts) is imported only when it
// runs, so `--version`, `--help` and the other commands never load it.

import type { Command } from 'commander';
import type { PolicyFlags } from './policy.js';
import { collect } from './repeatable.js';

const EXAMPLES = `
Examples:
  fedcheck policy explain fabrikam.com --config fedcheck.yaml   may we federate with fabrikam.com, and why not
  fedcheck policy lint --config fedcheck.yaml                   contradictions and gaps in the policy, with fixes

Options the config also holds (check.resolvers, allowPrivate, timeoutMs, caFiles) come from it unless given here.`;

export function definePolicyCommands(program: Command, finish: (exitCode: number) => void): void {
  const policy = program
    .command('policy')
    .description('our own federation policy, from the config file: explain the decision for a partner, or lint the policy')
    .addHelpText('after', EXAMPLES);
  withProbeOptions(
    policy
      .command('explain')
      .description('whether our policy allows a partner and by which rule, the federation type and what it needs, then the partner\'s live checks')
      .argument('<partner>', 'the partner domain, such as fabrikam.com'),
  )
    .option('--ca-file <pem>', 'also trust the CA certificates in this PEM file; repeatable (default: check.caFiles)', collect)
    .action(async (partner: string, flags: PolicyFlags) => {
      const { explain } = await import('./policy.js');
      finish(await explain(partner, flags));
    });
  withProbeOptions(policy.command('lint').description('contradictions and gaps in the policy, each with its fix, and the Cisco static routes\' next hops probed'))
    .option('--ca-file <pem>', 'also trust the CA certificates in this PEM file for the next-hop TLS probes; repeatable (default: check.caFiles)', collect)
    .action(async (flags: PolicyFlags) => {
      const { lint } = await import('./policy.js');
      finish(await lint(flags));
    });
}

function withProbeOptions(command: Command): Command {
  return command
    .requiredOption('--config <file>', 'the fedcheck config file (fedcheck init writes a starter)')
    .option('--resolver <ip[:port]>', 'a DNS resolver to ask; repeatable (default: check.resolvers, else the system\'s)', collect)
    .option('--allow-private [cidrs]', 'also connect to these private networks, comma-separated; no value: every non-public one (default: check.allowPrivate)')
    .option('--timeout <ms>', 'time limit of each probe, in milliseconds (default: check.timeoutMs)')
    .option('--format <format>', 'report format: terminal or json (default: terminal)')
    .option('--no-color', 'no colour in the terminal report');
}
