// The command line: every command, and the one place errors become a message and an exit code.

import { Command, CommanderError } from 'commander';
import { escapeControl } from '../util/control-characters.js';
import { UsageError, describeError } from '../model/errors.js';
import { EXIT } from '../model/finding.js';
import { VERSION } from '../util/version.js';
// Only the commands' definitions: each imports its implementation when it runs, so `fedcheck --version` and
// `fedcheck --help` load no check, probe or reporter, and a command loads only its own.
import { defineCertCommand } from './cert.js';
import { defineCheckCommand } from './check-command.js';
import { defineChecksCommands } from './checks-command.js';
import { defineCsrCommand } from './csr-command.js';
import { defineDecodeCommand } from './decode-command.js';
import { defineDemoCommand } from './demo-command.js';
import { defineInitCommand } from './init.js';
import { defineDiffCommand } from './diff-command.js';
import { defineLabCommand } from './lab-command.js';
import { definePolicyCommands } from './policy-command.js';
import { defineRunCommand } from './run-command.js';
import { defineServeCommand } from './serve-command.js';

const EXIT_CODES = `
Exit codes: 0 all pass, 1 the worst finding is a warning, 2 a failure or an error,
3 fedcheck could not run (bad input, unreadable file, no answer from the resolver).

Start with: fedcheck demo`;

/** The whole command tree; `finish` receives the exit code of the command that ran. */
export function createProgram(finish: (exitCode: number) => void): Command {
  const program = new Command('fedcheck')
    .description('Tells whether a domain is ready for SIP (Skype for Business / Lync, Microsoft 365, Cisco) and XMPP federation, and exactly why not.')
    .version(VERSION, '-V, --version', 'print the version of fedcheck')
    .helpOption('-h, --help', 'show help for a command')
    // Set before the commands are defined, which inherit both: errors are thrown to main(), never printed by commander.
    .exitOverride()
    .configureOutput({ outputError: () => {} })
    .addHelpText('after', EXIT_CODES);
  defineCheckCommand(program, finish);
  defineDemoCommand(program, finish);
  defineLabCommand(program, finish);
  defineChecksCommands(program, finish);
  defineDecodeCommand(program, finish);
  defineDiffCommand(program, finish);
  defineCsrCommand(program, finish);
  defineCertCommand(program, finish);
  defineInitCommand(program, finish);
  definePolicyCommands(program, finish);
  defineRunCommand(program, finish);
  defineServeCommand(program, finish);
  return program;
}

export async function main(argv: string[]): Promise<number> {
  // `fedcheck ... | head` closes the pipe early: that reader has what it wanted, so stop quietly.
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EPIPE') throw error;
    process.exit(process.exitCode ?? EXIT.ok);
  });
  let exitCode: number = EXIT.ok;
  try {
    await createProgram((code) => {
      exitCode = code;
    }).parseAsync(argv, { from: 'user' });
    return exitCode;
  } catch (error) {
    const { exitCode: failed, message } = reportError(error);
    if (message !== undefined) printLine(message);
    if (process.env.FEDCHECK_DEBUG === '1' && !(error instanceof CommanderError || error instanceof UsageError) && error instanceof Error && error.stack) {
      process.stderr.write(`${error.stack}\n`);
    }
    if (message !== undefined) await answerInFormat(argv, message);
    return failed;
  }
}

/** The exit code of an error, and the one line that tells the user (none when commander already printed help). */
function reportError(error: unknown): { exitCode: number; message?: string } {
  if (error instanceof CommanderError) {
    // --help and --version end through here too, with their own exit code 0.
    if (error.exitCode === 0) return { exitCode: EXIT.ok };
    // Help already printed because no command was given.
    if (error.code === 'commander.help') return { exitCode: EXIT.unusable };
    return { exitCode: EXIT.unusable, message: error.message.replace(/^error: /, '') };
  }
  if (error instanceof UsageError) return { exitCode: EXIT.unusable, message: error.message };
  return { exitCode: EXIT.unusable, message: `internal error: ${describeError(error)}` };
}

/**
 * A format whose reader needs an answer on every run (`--format nagios`: a status line, UNKNOWN) gets it on stdout
 * too. The format is read from the arguments as commander would (the last one wins), because the error may come
 * before commander parsed them, as an unknown option does. Loaded only then: the reporters cost a plain error nothing.
 */
async function answerInFormat(argv: string[], message: string): Promise<void> {
  let format: string | undefined;
  for (const [index, arg] of argv.entries()) {
    if (arg === '--') break;
    if (arg === '--format') format = argv[index + 1];
    else if (arg.startsWith('--format=')) format = arg.slice('--format='.length);
  }
  if (format === undefined) return;
  const { unusableAnswer } = await import('../report/index.js');
  const answer = unusableAnswer(format, oneLine(message));
  if (answer !== undefined) process.stdout.write(answer);
}

/** Exactly one line, whatever the message holds: scripts and people read it the same way. */
function printLine(message: string): void {
  // A path or a partner's answer quoted in the message may hold control characters: shown as `\x1b`, never sent.
  process.stderr.write(`fedcheck: ${escapeControl(oneLine(message))}\n`);
}

function oneLine(message: string): string {
  return message
    .split('\n')
    .map((part) => part.trim())
    .filter((part) => part !== '')
    .join(' ');
}
