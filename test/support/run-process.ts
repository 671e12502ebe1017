// Runs a program in a child process and collects what it prints, as a shell user sees it: its exit code (null when
// a signal ended it), stdout and stderr.

import { spawn } from 'node:child_process';

export interface ProcessResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

export interface ProcessOptions {
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  /** Killed after this many milliseconds, so a hung program fails its test instead of the whole run. */
  timeoutMs: number;
  /** Written to the program's standard input, which is then closed, as a shell pipe does. */
  input?: string;
}

export function runProcess(command: string, args: string[], options: ProcessOptions): Promise<ProcessResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: options.cwd, env: options.env, timeout: options.timeoutMs });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.once('error', reject);
    if (options.input !== undefined) child.stdin.end(options.input);
    child.once('close', (code) => resolve({ code, stdout, stderr }));
  });
}
