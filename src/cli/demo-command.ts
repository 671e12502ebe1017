// The `fedcheck demo` command: its name, options and help. Its implementation (./demo.ts) is imported only when it
// runs, so `--version`, `--help` and the other commands never load it.

import type { Command } from 'commander';
import { DEFAULTS } from '../util/defaults.js';
import { FORMAT_HELP } from './format-help.js';
import type { DemoFlags } from './demo.js';
import { collect } from './repeatable.js';

export function defineDemoCommand(program: Command, finish: (exitCode: number) => void): void {
  program
    .command('demo')
    .description(
      'run the full check against the embedded lab: fixture domains served on loopback, with passing and failing setups; no internet needed',
    )
    .option('--domain <name>', 'only this lab domain, such as expired-cert.test, with its evidence and fix; repeatable (fedcheck lab lists them)', collect)
    .option('--format <format>', FORMAT_HELP)
    .option('--out <file>', 'write the report to this file instead of stdout (the terminal format then has no colour)')
    .option('--save-facts <file>', 'also write every fact gathered, to try fedcheck check --replay on it')
    .option('--no-color', 'no colour in the terminal report (colour is also off when NO_COLOR is set or stdout is not a terminal)')
    .option('-v, --verbose', 'terminal report: also list the passes, information and checks not run or not applicable here')
    .option('--details', `terminal report: every problem with its evidence and fix (the default up to ${DEFAULTS.fullDetailDomains} domains; beyond, one line per problem)`)
    .addHelpText(
      'after',
      '\nThe terminal report: each lab domain that is not healthy, worst first, with its problems one line each, the\n' +
        'healthy ones on one line, then the counts. --domain <name> or --details shows the evidence and fixes, -v the\n' +
        "passes too. Its width is the terminal's (COLUMNS when set, 80 when stdout is not a terminal)." +
        '\n\nThe demo exits 0 when it ran; its closing line says the exit code a real check would have had.',
    )
    .action(async (flags: DemoFlags) => {
      const { runDemo } = await import('./demo.js');
      finish(await runDemo(flags));
    });
}
