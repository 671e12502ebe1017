// The TLS settings every lab listener shares.

import type tls from 'node:tls';

/** A certificate as the lab serves it: the leaf, its key, and the intermediates sent with it. */
export interface LabCredentials {
  certPem: string;
  keyPem: string;
  chainPem: string;
}

/**
 * OpenSSL's default security level refuses to load 1024-bit keys, to sign with SHA-1 and to speak TLS 1.0;
 * the lab must serve each of those faults, so its servers always run at level 0.
 */
export const LAB_CIPHERS = 'DEFAULT:@SECLEVEL=0';

export function labContextOptions(credentials: LabCredentials): tls.SecureContextOptions {
  return {
    cert: `${credentials.certPem.trim()}\n${credentials.chainPem.trim()}\n`,
    key: credentials.keyPem,
    ciphers: LAB_CIPHERS,
  };
}
