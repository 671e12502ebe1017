// The output folder's writer: a file is replaced whole or not at all, and nothing temporary stays behind.

import { mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { UsageError } from '../../src/model/errors.js';
import { prepareDir, writeFileAtomically } from '../../src/run/out-dir.js';
import { tempFolders } from '../support/temp-folders.js';

const tempFolder = tempFolders();

const fresh = () => tempFolder('out-dir');

describe('writeFileAtomically', () => {
  it('replaces the file with the new text and leaves only the file', () => {
    const dir = fresh();
    writeFileSync(join(dir, 'report.json'), 'old');
    expect(writeFileAtomically(dir, 'report.json', 'new')).toBe(join(dir, 'report.json'));
    expect(readFileSync(join(dir, 'report.json'), 'utf8')).toBe('new');
    expect(readdirSync(dir)).toEqual(['report.json']);
  });

  it('keeps the old file and removes the temporary one when the rename fails', () => {
    const dir = fresh();
    // A folder where the file should be: the rename over it fails.
    mkdirSync(join(dir, 'report.html'));
    expect(() => writeFileAtomically(dir, 'report.html', '<html>')).toThrow(UsageError);
    expect(() => writeFileAtomically(dir, 'report.html', '<html>')).toThrow(/^cannot write ".*report\.html": /);
    expect(readdirSync(dir)).toEqual(['report.html']);
  });
});

describe('prepareDir', () => {
  it('creates missing folders', () => {
    const dir = join(fresh(), 'a', 'b');
    prepareDir(dir, 'the output folder');
    expect(readdirSync(dir)).toEqual([]);
  });

  it('refuses a file in one line naming what it is for', () => {
    const file = join(fresh(), 'file');
    writeFileSync(file, '');
    expect(() => prepareDir(file, 'the output folder')).toThrow(/^cannot write to the output folder ".*file": /);
  });
});
