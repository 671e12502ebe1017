// --ca-file and check.caFiles: PEM files of CA certificates trusted beside Node's roots.

import { UsageError } from '../model/errors.js';
import { readInputText } from '../util/input-file.js';
import { pemBlocks } from '../pki/pem.js';

/** Each file must hold at least one PEM certificate. */
export function loadCaFiles(paths: readonly string[]): string[] {
  return paths.map((path) => {
    const text = readInputText(path, '--ca-file', 'caBundle');
    if (pemBlocks(text, 'CERTIFICATE').length === 0) {
      throw new UsageError(`--ca-file "${path}" holds no PEM certificate: expected -----BEGIN CERTIFICATE----- blocks`);
    }
    return text;
  });
}
