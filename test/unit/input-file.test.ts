// The one reader of every input file: a regular file up to its cap is read whole, a byte more is refused before
// it is read, and a missing file names itself.

import { mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { INPUT_FILE_CAPS, formatBytes, readInputFile } from '../../src/util/input-file.js';

const dir = mkdtempSync(join(tmpdir(), 'fedcheck-input-file-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('readInputFile', () => {
  it('reads a file of exactly the cap whole', () => {
    const path = join(dir, 'at-cap.yaml');
    writeFileSync(path, Buffer.alloc(INPUT_FILE_CAPS.config, 'a'));
    expect(readInputFile(path, 'config file', 'config').length).toBe(INPUT_FILE_CAPS.config);
  });

  it('refuses one byte more, naming the file, its size and the cap', () => {
    const path = join(dir, 'over-cap.yaml');
    writeFileSync(path, Buffer.alloc(INPUT_FILE_CAPS.config + 1, 'a'));
    expect(() => readInputFile(path, 'config file', 'config')).toThrow(
      `config file "${path}" is 1.0 MiB (1048577 bytes): the cap for this file is 1 MiB (1048576 bytes)`,
    );
  });

  it('follows a link to a regular file, and refuses one to a device', () => {
    const target = join(dir, 'real.pem');
    writeFileSync(target, 'text');
    symlinkSync(target, join(dir, 'link.pem'));
    symlinkSync('/dev/zero', join(dir, 'zero.pem'));
    expect(readInputFile(join(dir, 'link.pem'), '--ca-file', 'caBundle').toString()).toBe('text');
    expect(() => readInputFile(join(dir, 'zero.pem'), '--ca-file', 'caBundle')).toThrow('is a character device, not a regular file');
  });

  it('names a file that is not there', () => {
    expect(() => readInputFile(join(dir, 'missing.json'), 'facts file', 'facts')).toThrow(/^cannot read facts file ".*missing\.json": ENOENT/);
  });

  it('says sizes in binary units with the exact byte count', () => {
    expect(formatBytes(512)).toBe('512 bytes');
    expect(formatBytes(4 * 1024 * 1024)).toBe('4 MiB (4194304 bytes)');
    expect(formatBytes(1536)).toBe('1.5 KiB (1536 bytes)');
  });
});
