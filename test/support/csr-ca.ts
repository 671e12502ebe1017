// A throw-away CA (root and intermediate) that issues certificates from PKCS#10 requests, as a public CA would from
// the request `fedcheck csr` writes; it can also misbehave as CAs do: drop Client Authentication, leave out names.

import { randomBytes, webcrypto } from 'node:crypto';
import { OID } from '../../src/pki/oids.js';
import { pemBlocks, toPem } from '../../src/pki/pem.js';
import { encodeSubjectAltNames, readSubjectAltNames } from '../../src/pki/subject-alt-names.js';
import { x509 } from '../../src/pki/x509-library.js';

const DAY = 86_400_000;
const RSA = { name: 'RSASSA-PKCS1-v1_5', modulusLength: 2048, publicExponent: new Uint8Array([1, 0, 1]), hash: 'SHA-256' };

export interface SignOptions {
  /** Default: what the request asked for. */
  eku?: ('serverAuth' | 'clientAuth')[];
  /** Requested names the CA leaves out. */
  dropNames?: string[];
  /** Where the AIA caIssuers extension points; default none. */
  caIssuersUrl?: string;
}

export interface CsrCa {
  rootPem: string;
  intermediatePem: string;
  intermediateDer: Buffer;
  /** The intermediate's private key, PKCS#8 PEM: the wrong key a user may give `cert bundle`. */
  intermediateKeyPem: string;
  /** The issued certificate, PEM; throws when the request's signature does not verify. */
  sign(csrPem: string, options?: SignOptions): Promise<string>;
}

export async function createCsrCa(organization = 'fedcheck Test CA'): Promise<CsrCa> {
  const [rootKeys, intermediateKeys] = (await Promise.all([
    webcrypto.subtle.generateKey(RSA, true, ['sign', 'verify']),
    webcrypto.subtle.generateKey(RSA, true, ['sign', 'verify']),
  ])) as [CryptoKeyPair, CryptoKeyPair];
  const rootName = `CN=${organization} Root,O=${organization}`;
  const intermediateName = `CN=${organization} Issuing CA,O=${organization}`;
  const now = Date.now();
  const caUsages = x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign;
  const root = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: serial(),
    name: rootName,
    notBefore: new Date(now - DAY),
    notAfter: new Date(now + 3650 * DAY),
    keys: rootKeys,
    signingAlgorithm: RSA,
    extensions: [
      new x509.BasicConstraintsExtension(true, undefined, true),
      new x509.KeyUsagesExtension(caUsages, true),
      await x509.SubjectKeyIdentifierExtension.create(rootKeys.publicKey),
    ],
  });
  const intermediate = await x509.X509CertificateGenerator.create({
    serialNumber: serial(),
    subject: intermediateName,
    issuer: rootName,
    notBefore: new Date(now - DAY),
    notAfter: new Date(now + 1825 * DAY),
    publicKey: intermediateKeys.publicKey,
    signingKey: rootKeys.privateKey,
    signingAlgorithm: RSA,
    extensions: [
      new x509.BasicConstraintsExtension(true, 0, true),
      new x509.KeyUsagesExtension(caUsages, true),
      await x509.SubjectKeyIdentifierExtension.create(intermediateKeys.publicKey),
      await x509.AuthorityKeyIdentifierExtension.create(rootKeys.publicKey),
    ],
  });
  const intermediateDer = Buffer.from(intermediate.rawData);
  return {
    rootPem: toPem(new Uint8Array(root.rawData), 'CERTIFICATE'),
    intermediatePem: toPem(intermediateDer, 'CERTIFICATE'),
    intermediateDer,
    intermediateKeyPem: toPem(new Uint8Array(await webcrypto.subtle.exportKey('pkcs8', intermediateKeys.privateKey)), 'PRIVATE KEY'),
    sign: async (csrPem, options = {}) => {
      const [der] = pemBlocks(csrPem, 'CERTIFICATE REQUEST');
      if (!der) throw new Error('no CERTIFICATE REQUEST block');
      const request = new x509.Pkcs10CertificateRequest(new Uint8Array(der));
      if (!(await request.verify())) throw new Error('the request signature does not verify');
      const requested = (type: string) => request.extensions.find((extension) => extension.type === type);
      const san = requested(OID.subjectAltName);
      const dns = san ? readSubjectAltNames(san.value).dns.filter((name) => !(options.dropNames ?? []).includes(name)) : [];
      const eku = options.eku?.map((name) => ({ serverAuth: x509.ExtendedKeyUsage.serverAuth, clientAuth: x509.ExtendedKeyUsage.clientAuth })[name]);
      const requestedKeyUsage = requested(OID.keyUsage);
      const certificate = await x509.X509CertificateGenerator.create({
        serialNumber: serial(),
        subject: request.subjectName,
        issuer: intermediateName,
        notBefore: new Date(Date.now() - 60_000),
        notAfter: new Date(Date.now() + 365 * DAY),
        publicKey: request.publicKey,
        signingKey: intermediateKeys.privateKey,
        signingAlgorithm: RSA,
        extensions: [
          new x509.BasicConstraintsExtension(false, undefined, true),
          ...(requestedKeyUsage ? [requestedKeyUsage] : []),
          eku ? new x509.ExtendedKeyUsageExtension(eku) : requested(OID.extendedKeyUsage),
          new x509.Extension(OID.subjectAltName, false, encodeSubjectAltNames({ dns })),
          new x509.CRLDistributionPointsExtension([`http://crl.${organization.toLowerCase().replace(/\W+/g, '-')}.example/issuing.crl`]),
          ...(options.caIssuersUrl ? [new x509.AuthorityInfoAccessExtension({ caIssuers: [options.caIssuersUrl] })] : []),
          await x509.SubjectKeyIdentifierExtension.create(await request.publicKey.export()),
          await x509.AuthorityKeyIdentifierExtension.create(intermediateKeys.publicKey),
        ].filter((extension): extension is x509.Extension => extension !== undefined),
      });
      return toPem(new Uint8Array(certificate.rawData), 'CERTIFICATE');
    },
  };
}

function serial(): string {
  const bytes = randomBytes(16);
  bytes[0] = ((bytes[0] as number) & 0x7f) | 0x10;
  return bytes.toString('hex');
}
