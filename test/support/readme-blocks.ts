// The README's fenced blocks, as a reader sees them: each with its language, its text, the section it sits in and
// the HTML comment just before it (the README marks a block the tests cannot run there). The commands of a shell
// block, and the commands and shown output of a console block, come out as a shell would read them.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from './fedcheck.js';

export interface ReadmeBlock {
  lang: string;
  text: string;
  /** The nearest `##` or `###` heading above the block. */
  section: string;
  /** The HTML comment on the last non-blank line before the block, without `<!--` and `-->`. */
  marker?: string;
}

/** A command of a console block (`$ ...`) and the lines shown under it, up to the next command. */
export interface ShownCommand {
  command: string;
  output: string[];
}

export const NEEDS_A_REAL_DOMAIN = 'needs a real domain';

export function readmeBlocks(text = readFileSync(join(ROOT, 'README.md'), 'utf8')): ReadmeBlock[] {
  const blocks: ReadmeBlock[] = [];
  const lines = text.split('\n');
  let section = '';
  let previous = '';
  for (let index = 0; index < lines.length; index += 1) {
    const line = lines[index] as string;
    const heading = /^#{2,3} (.+)$/.exec(line);
    if (heading) section = heading[1] as string;
    const fence = /^```(\S*)\s*$/.exec(line);
    if (!fence) {
      if (line.trim() !== '') previous = line.trim();
      continue;
    }
    const body: string[] = [];
    for (index += 1; index < lines.length && !/^```\s*$/.test(lines[index] as string); index += 1) body.push(lines[index] as string);
    const marker = /^<!--\s*(.*?)\s*-->$/.exec(previous)?.[1];
    blocks.push({ lang: fence[1] as string, text: body.join('\n'), section, ...(marker !== undefined ? { marker } : {}) });
    previous = '';
  }
  return blocks;
}

/** A shell block's commands: continuation lines joined, comments and blank lines left out. */
export function shellCommands(text: string): string[] {
  return text
    .replace(/\\\n\s*/g, '')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'));
}

/** A console block's `$ ` commands, each with the output shown under it. */
export function consoleCommands(text: string): ShownCommand[] {
  const commands: ShownCommand[] = [];
  for (const line of text.split('\n')) {
    if (line.startsWith('$ ')) commands.push({ command: line.slice(2).trim(), output: [] });
    else commands.at(-1)?.output.push(line);
  }
  return commands;
}

/** Splits a command line into words as sh does for the quoting the README uses: '...', "..." and bare words. */
export function shellWords(command: string): string[] {
  return [...command.matchAll(/'([^']*)'|"([^"]*)"|(\S+)/g)].map((match) => match[1] ?? match[2] ?? match[3] ?? '');
}
