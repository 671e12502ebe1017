// The `fedcheck demo` command: its name, options and help. Its implementation (./demo.ts) is imported only when it
// runs, so `--version`, `--help` and the other commands never load it.

import type { Command } from 'commander';
import { FORMAT_HELP } from './format-help.js';
import type { OutputFlags } from './options.js';

export function defineDemoCommand(program: Command, finish: (exitCode: number) => void): void {
  program
    .command('demo')
    .description(
      'run the full check against the embedded lab: fixture domains served on loopback, with passing and failing setups; no internet needed',
    )
    .option('--format <format>', FORMAT_HELP)
    .option('--out <file>', 'write the report to this file instead of stdout (the terminal format then has no colour)')
    .option('--save-facts <file>', 'also write every fact gathered, to try fedcheck check --replay on it')
    .option('--no-color', 'no colour in the terminal report (colour is also off when NO_COLOR is set or stdout is not a terminal)')
    .addHelpText('after', '\nThe demo exits 0 when it ran; its closing line says the exit code a real check would have had.')
    .action(async (flags: OutputFlags) => {
      const { runDemo } = await import('./demo.js');
      finish(await runDemo(flags));
    });
}
