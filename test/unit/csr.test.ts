import { createPrivateKey, createPublicKey } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { KEY_ALGORITHMS, generateCertificateRequest, planSubjectAltNames } from '../../src/pki/csr.js';
import type { KeyAlgorithm } from '../../src/pki/csr.js';
import { writeNewFile } from '../../src/util/atomic-file.js';
import { PUBLIC_FILE_MODE, SECRET_FILE_MODE, isEncryptedKeyPem, privateKeyPem, readPrivateKey } from '../../src/pki/key-files.js';
import { OID } from '../../src/pki/oids.js';
import { readSubjectAltNames } from '../../src/pki/subject-alt-names.js';
import { x509 } from '../../src/pki/x509-library.js';

const workDir = mkdtempSync(join(tmpdir(), 'fedcheck-csr-unit-'));
afterAll(() => rmSync(workDir, { recursive: true, force: true }));

describe('planSubjectAltNames', () => {
  it('puts the Access Edge first, then webconf, sip.<domain> per SIP domain, the XMPP domains, the extra names', () => {
    const planned = planSubjectAltNames({
      accessEdge: 'access.contoso.com',
      webConferencing: 'webconf.contoso.com',
      sipDomains: ['contoso.com', 'fabrikam.com'],
      xmppDomains: ['contoso.com'],
      extraNames: ['*.contoso.com'],
    });
    expect(planned.map((entry) => entry.name)).toEqual([
      'access.contoso.com',
      'webconf.contoso.com',
      'sip.contoso.com',
      'sip.fabrikam.com',
      'contoso.com',
      '*.contoso.com',
    ]);
  });

  it('keeps a name given twice once, at its first place, with both reasons', () => {
    const planned = planSubjectAltNames({ accessEdge: 'sip.contoso.com', sipDomains: ['contoso.com'], xmppDomains: [], extraNames: ['sip.contoso.com'] });
    expect(planned).toEqual([{ name: 'sip.contoso.com', reasons: ['Access Edge FQDN', 'SIP domain contoso.com', 'extra name (--san)'] }]);
  });
});

describe('generateCertificateRequest', () => {
  const expectedKeys: Record<KeyAlgorithm, { type: string; size: number | string; signature: string }> = {
    rsa2048: { type: 'rsa', size: 2048, signature: 'RSASSA-PKCS1-v1_5' },
    rsa3072: { type: 'rsa', size: 3072, signature: 'RSASSA-PKCS1-v1_5' },
    rsa4096: { type: 'rsa', size: 4096, signature: 'RSASSA-PKCS1-v1_5' },
    'ec-p256': { type: 'ec', size: 'prime256v1', signature: 'ECDSA' },
    'ec-p384': { type: 'ec', size: 'secp384r1', signature: 'ECDSA' },
  };

  it.each(KEY_ALGORITHMS)('%s: a signed request with the names in order and both key usages, and its matching key', async (key) => {
    const sans = ['sip.contoso.com', 'webconf.contoso.com', 'sip.fabrikam.com', 'contoso.com'];
    const generated = await generateCertificateRequest({
      subject: { commonName: 'sip.contoso.com', organization: 'Contoso, Ltd', country: 'US', state: 'Washington', locality: 'Redmond' },
      subjectAltNames: sans,
      key,
    });
    const request = new x509.Pkcs10CertificateRequest(generated.csrPem);
    expect(await request.verify()).toBe(true);
    expect(request.subject).toBe('C=US, ST=Washington, L=Redmond, O=Contoso\\, Ltd, CN=sip.contoso.com');
    const san = request.extensions.find((extension) => extension.type === OID.subjectAltName);
    expect(san && readSubjectAltNames(san.value).dns).toEqual(sans);
    const eku = request.extensions.find((extension) => extension.type === OID.extendedKeyUsage);
    expect(eku && new x509.ExtendedKeyUsageExtension(eku.rawData).usages).toEqual([OID_SERVER_AUTH, OID_CLIENT_AUTH]);
    expect(request.signatureAlgorithm.name).toBe(expectedKeys[key].signature);

    const privateKey = createPrivateKey({ key: generated.privateKeyPkcs8, format: 'der', type: 'pkcs8' });
    const details = privateKey.asymmetricKeyDetails;
    expect(privateKey.asymmetricKeyType).toBe(expectedKeys[key].type);
    expect(details?.modulusLength ?? details?.namedCurve).toBe(expectedKeys[key].size);
    const requestKey = createPublicKey({ key: Buffer.from(request.publicKey.rawData), format: 'der', type: 'spki' });
    expect(requestKey.equals(createPublicKey(privateKey))).toBe(true);
  });
});

const OID_SERVER_AUTH = '1.3.6.1.5.5.7.3.1';
const OID_CLIENT_AUTH = '1.3.6.1.5.5.7.3.2';

describe('key files', () => {
  it('writes PKCS#8, encrypted with AES-256-CBC when given a passphrase, readable only with it', async () => {
    const { privateKeyPkcs8 } = await generateCertificateRequest({ subject: { commonName: 'sip.contoso.com' }, subjectAltNames: ['sip.contoso.com'], key: 'ec-p256' });
    const plain = privateKeyPem(privateKeyPkcs8, undefined);
    expect(plain).toMatch(/^-----BEGIN PRIVATE KEY-----/);
    expect(isEncryptedKeyPem(plain)).toBe(false);
    const encrypted = privateKeyPem(privateKeyPkcs8, 'correct horse');
    expect(encrypted).toMatch(/^-----BEGIN ENCRYPTED PRIVATE KEY-----/);
    expect(isEncryptedKeyPem(encrypted)).toBe(true);
    expect(readPrivateKey(encrypted, 'correct horse').export({ type: 'pkcs8', format: 'der' }).equals(privateKeyPkcs8)).toBe(true);
    expect(() => readPrivateKey(encrypted, 'wrong')).toThrow();
  });

  it('creates files with their mode whatever the umask, and refuses to overwrite without being told to', () => {
    const previous = process.umask(0);
    try {
      const key = join(workDir, 'umask.key');
      writeNewFile(key, 'secret', SECRET_FILE_MODE, false);
      expect(statSync(key).mode & 0o777).toBe(0o600);
      expect(() => writeNewFile(key, 'other', SECRET_FILE_MODE, false)).toThrow(expect.objectContaining({ code: 'EEXIST' }));
      expect(readFileSync(key, 'utf8')).toBe('secret');

      // Overwriting a file left world-readable tightens it before the new content is in it.
      const loose = join(workDir, 'loose.key');
      writeFileSync(loose, 'old', { mode: 0o666 });
      writeNewFile(loose, 'new secret', SECRET_FILE_MODE, true);
      expect(statSync(loose).mode & 0o777).toBe(0o600);
      expect(readFileSync(loose, 'utf8')).toBe('new secret');

      const request = join(workDir, 'public.csr');
      writeNewFile(request, 'request', PUBLIC_FILE_MODE, false);
      expect(statSync(request).mode & 0o777).toBe(0o644);
    } finally {
      process.umask(previous);
    }
  });
});
