// Asserts that printed text holds no private key: no PEM key block, and none of the key's secret numbers in base64,
// base64url or hex, in any byte alignment. Public parts (an RSA modulus) are shared with the certificate, so only
// the secret ones are looked for.

import { createPrivateKey } from 'node:crypto';
import { expect } from 'vitest';

const WINDOW_BYTES = 18;

export function expectNoKeyMaterial(text: string, keyPem: string, passphrase?: string): void {
  expect(text).not.toMatch(/PRIVATE KEY/);
  const jwk = createPrivateKey(passphrase === undefined ? keyPem : { key: keyPem, passphrase }).export({ format: 'jwk' });
  const secrets = (['d', 'p', 'q'] as const).flatMap((name) => (jwk[name] ? [Buffer.from(jwk[name], 'base64url')] : []));
  expect(secrets.length).toBeGreaterThan(0);
  for (const secret of secrets) {
    // Three alignments cover wherever the secret starts within a base64 group of three bytes.
    for (const shift of [0, 1, 2]) {
      const window = secret.subarray(shift, shift + WINDOW_BYTES);
      const hex = window.toString('hex');
      const colonHex = hex.replace(/(..)(?!$)/g, '$1:');
      for (const needle of [window.toString('base64'), window.toString('base64url'), hex, hex.toUpperCase(), colonHex, colonHex.toUpperCase()]) {
        expect(text).not.toContain(needle);
      }
    }
  }
}
