// The `fedcheck checks` and `fedcheck explain` commands: their names, options and help. Their implementation
// (./checks.ts, which loads every check) is imported only when one runs, so `--version` and `--help` never load it.

import type { Command } from 'commander';

export function defineChecksCommands(program: Command, finish: (exitCode: number) => void): void {
  program
    .command('checks')
    .description('list every check: its id, what it checks, why it matters and how to fix a failure')
    .option(
      '--format <format>',
      "terminal, json (the checks' full metadata) or markdown (the README's Checks section) (default: terminal)",
    )
    .action(async (flags: { format?: string }) => {
      const { listChecks } = await import('./checks.js');
      finish(listChecks(flags));
    });
  program
    .command('explain')
    .description('explain one check in full: what it checks and why, every message, every fix with its steps and snippets')
    .argument('<check-id>', 'a check id as listed by fedcheck checks, such as dns.sip-federation-srv')
    .action(async (id: string) => {
      const { explainCheck } = await import('./checks.js');
      finish(explainCheck(id));
    });
}
