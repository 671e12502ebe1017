// The `fedcheck lab` command: its name, options and help. Its implementation (./lab.ts) is imported only when it
// runs, so `--version`, `--help` and the other commands never load it.

import type { Command } from 'commander';

export function defineLabCommand(program: Command, finish: (exitCode: number) => void): void {
  program
    .command('lab')
    .description(
      'start the embedded lab (DNS and Edge listeners on loopback) and keep it running until Ctrl+C, to run fedcheck check against it',
    )
    .option('--delay <ms>', 'add this many milliseconds to every exchange the lab answers, as a network with latency would')
    .action(async (flags: { delay?: string }) => {
      const { runLab } = await import('./lab.js');
      finish(await runLab(flags));
    });
}
