// The output folder's writer: a file is replaced whole or not at all, and nothing temporary stays behind.

import { mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { UsageError } from '../../src/model/errors.js';
import { prepareDir, writeFilesAtomically } from '../../src/run/out-dir.js';
import { tempFolders } from '../support/temp-folders.js';

const tempFolder = tempFolders();

const fresh = () => tempFolder('out-dir');

describe('writeFilesAtomically', () => {
  it('replaces each file with its new text, written piece by piece, and leaves only the files', () => {
    const dir = fresh();
    writeFileSync(join(dir, 'report.json'), 'old');
    const files = [
      { name: 'summary.md', chunks: () => ['# one', ' and two'] },
      { name: 'report.json', chunks: () => ['{', '}'] },
    ];
    expect(writeFilesAtomically(dir, files)).toEqual([join(dir, 'summary.md'), join(dir, 'report.json')]);
    expect(readFileSync(join(dir, 'summary.md'), 'utf8')).toBe('# one and two');
    expect(readFileSync(join(dir, 'report.json'), 'utf8')).toBe('{}');
    expect(readdirSync(dir).sort()).toEqual(['report.json', 'summary.md']);
  });

  it('renders one file after the other, and gives none its name before all are written', () => {
    const dir = fresh();
    const seen: string[] = [];
    function* pieces(name: string) {
      seen.push(`${name} started, on disk: ${readdirSync(dir).filter((file) => !file.startsWith('.')).join(' ') || 'nothing'}`);
      yield name;
      seen.push(`${name} done`);
    }
    writeFilesAtomically(dir, [
      { name: 'a.txt', chunks: () => pieces('a') },
      { name: 'b.txt', chunks: () => pieces('b') },
    ]);
    expect(seen).toEqual(['a started, on disk: nothing', 'a done', 'b started, on disk: nothing', 'b done']);
  });

  it('keeps the previous set whole, with no temporary file, when a renderer fails halfway', () => {
    const dir = fresh();
    writeFileSync(join(dir, 'a.txt'), 'old a');
    writeFileSync(join(dir, 'b.txt'), 'old b');
    function* failing() {
      yield 'half of b';
      throw new Error('renderer bug');
    }
    expect(() => writeFilesAtomically(dir, [{ name: 'a.txt', chunks: () => ['new a'] }, { name: 'b.txt', chunks: failing }])).toThrow('renderer bug');
    expect([readFileSync(join(dir, 'a.txt'), 'utf8'), readFileSync(join(dir, 'b.txt'), 'utf8')]).toEqual(['old a', 'old b']);
    expect(readdirSync(dir).sort()).toEqual(['a.txt', 'b.txt']);
  });

  it('keeps the old file and removes the temporary one when the rename fails', () => {
    const dir = fresh();
    // A folder where the file should be: the rename over it fails.
    mkdirSync(join(dir, 'report.html'));
    const files = [{ name: 'report.html', chunks: () => ['<html>'] }];
    expect(() => writeFilesAtomically(dir, files)).toThrow(UsageError);
    expect(() => writeFilesAtomically(dir, files)).toThrow(/^cannot write ".*report\.html": /);
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
