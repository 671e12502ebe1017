// The `fedcheck decode` command: its name, arguments and help. Its implementation (./decode.ts) is imported only
// when it runs, so `--version`, `--help` and the other commands never load it.

import type { Command } from 'commander';

const HELP = `
Quote the header in single quotes: it holds semicolons and double quotes the shell would read.
  fedcheck decode 'ms-diagnostics: 1046;reason="...";WinsockFailureCode="10060(WSAETIMEDOUT)";PeerServer="sip.fabrikam.com"'
Or paste several headers, or a whole trace, on standard input (end with Ctrl+D):
  fedcheck decode < trace.txt

Exit codes: 0 decoded (known codes or not), 3 the input holds no ms-diagnostics header.`;

export function defineDecodeCommand(program: Command, finish: (exitCode: number) => void): void {
  program
    .command('decode')
    .description('decode an ms-diagnostics header pasted from a Lync / Skype for Business trace: each code, its meaning, its parameters, the fix')
    .argument('[header...]', 'the header, with or without its "ms-diagnostics:" name; several may be given; none or "-": read standard input')
    .option('--format <format>', 'terminal or json (default: terminal)')
    .addHelpText('after', HELP)
    .action(async (headers: string[], flags: { format?: string }) => {
      const { runDecode } = await import('./decode.js');
      finish(await runDecode(headers, flags));
    });
}
