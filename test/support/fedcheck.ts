// Runs the CLI as a user does: `node bin/fedcheck.js ...` in a child process, stdout and stderr collected.

import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const BIN = fileURLToPath(new URL('../../bin/fedcheck.js', import.meta.url));

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Asynchronous, so a lab started inside the test process keeps answering while the CLI runs. `input`, when given, is
 * written to the CLI's standard input, which is then closed, as a shell pipe does.
 */
export function fedcheck(args: string[], extraEnv: Record<string, string> = {}, input?: string): Promise<CliResult> {
  const env: NodeJS.ProcessEnv = { ...process.env };
  // The tests assert what a user sees without a terminal; inherited colour settings would change it.
  delete env.NO_COLOR;
  delete env.FORCE_COLOR;
  delete env.FEDCHECK_DEBUG;
  delete env.FEDCHECK_TRACE;
  Object.assign(env, extraEnv);
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { cwd: ROOT, env, timeout: 55000 });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.once('error', reject);
    if (input !== undefined) child.stdin.end(input);
    child.once('close', (code) => resolve({ code, stdout, stderr }));
  });
}

export const ANSI_ESCAPE = /\u001b\[/;
