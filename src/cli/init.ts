// `fedcheck init`: writes the commented starter config, never over an existing file unless told to.

import { writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import { STARTER_CONFIG } from '../config/starter.js';
import { UsageError, describeError } from '../model/errors.js';
import { EXIT } from '../model/finding.js';

const DEFAULT_PATH = 'fedcheck.yaml';

export function defineInitCommand(program: Command, finish: (exitCode: number) => void): void {
  program
    .command('init')
    .description('write a commented starter config: our policy, the partners to watch, how to check them')
    .option('--out <file>', `where to write it (default: ${DEFAULT_PATH})`)
    .option('--force', 'overwrite the file if it exists')
    .action((flags: { out?: string; force?: boolean }) => {
      const path = flags.out ?? DEFAULT_PATH;
      if (path.trim() === '') throw new UsageError('invalid --out "": expected a file path');
      writeStarter(path, flags.force === true);
      process.stdout.write(`wrote ${path}: edit it, then run fedcheck policy lint --config ${path}\n`);
      finish(EXIT.ok);
    });
}

function writeStarter(path: string, force: boolean): void {
  try {
    // "wx" fails when the file exists, in the same system call that would create it.
    writeFileSync(path, STARTER_CONFIG, { encoding: 'utf8', flag: force ? 'w' : 'wx' });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') {
      throw new UsageError(`${path} already exists: pass --force to overwrite it, or --out to write another file`);
    }
    throw new UsageError(`cannot write ${path}: ${describeError(error)}`);
  }
}
