// `fedcheck cert inspect` and `fedcheck cert bundle`: the Edge certificate once the CA has issued it. Their names,
// options and help; each implementation is imported only when its command runs, so `--help` loads neither.

import type { Command } from 'commander';
import { CERTIFICATE_ROLES } from '../engine/certificate-roles.js';
import type { BundleFlags } from './cert-bundle.js';
import type { InspectFlags } from './cert-inspect.js';
import { DEFAULTS } from '../util/defaults.js';
import { KEY_PASSPHRASE_ENV, PFX_PASSPHRASE_ENV } from './passphrases.js';
import { collect } from './repeatable.js';

const INSPECT_EXAMPLES = `
Examples:
  fedcheck cert inspect edge.pfx
  fedcheck cert inspect edge.pfx --role sip-edge --edge sip.contoso.com --domain contoso.com --domain fabrikam.com
  fedcheck cert inspect edge.pfx --role xmpp-server --domain contoso.com
  fedcheck cert inspect sip.fabrikam.com:5061 --role sip-edge --domain fabrikam.com
  fedcheck cert inspect xmpp.fabrikam.com:5269 --starttls xmpp --role xmpp-server --domain fabrikam.com

Exit codes: without --role 0; with it 0 all pass, 1 the worst finding is a warning, 2 a failure;
3 the certificate could not be read or fetched.`;

const BUNDLE_EXAMPLES = `
Examples:
  fedcheck cert bundle --key sip.contoso.com.key --cert issued.cer --csr sip.contoso.com.csr --out edge.pfx
  fedcheck cert bundle --key edge.key --cert issued.pem --chain intermediates.pem --out edge.pfx --legacy

Exit codes: 0 written, 1 written with a warning (such as a certificate without Client Authentication),
3 nothing written (a key that does not match, an incomplete chain, a name the CA left out...).`;

export function defineCertCommand(program: Command, finish: (exitCode: number) => void): void {
  const cert = program.command('cert').description('inspect an Edge certificate (a file or a live server) and bundle an issued one into a PFX');
  cert
    .command('inspect')
    .description("show a certificate chain's every field, and with --role judge it with the certificate checks of fedcheck check")
    .argument('<source>', 'a certificate file (PEM, DER, PKCS#7 .p7b, PKCS#12 .pfx) or a live server as host:port')
    .option('--role <role>', `judge the certificate as ${CERTIFICATE_ROLES.join(' or ')}: the same checks, findings and fixes as fedcheck check`)
    .option('--domain <domain>', 'with --role: the SIP or XMPP domain the certificate serves; repeatable', collect)
    .option('--edge <fqdn>', 'with --role sip-edge: the Access Edge FQDN partners connect to (default for host:port: the host); with xmpp-server: the SRV target host')
    .option('--starttls <protocol>', 'for host:port: speak XMPP server-to-server and STARTTLS first (xmpp), as on port 5269')
    .option('--servername <name>', 'for host:port: the TLS server name (SNI) to send (default: the Edge FQDN for sip-edge, the domain for xmpp-server, else the host)')
    .option('--ca-file <pem>', 'also trust the CA certificates in this PEM file (a private CA); repeatable', collect)
    .option('--warn-days <days>', `warn when the certificate expires in fewer days than this (default: ${DEFAULTS.warnDays})`)
    .option('--timeout <ms>', `time limit of the connection and of downloading a missing issuer, in milliseconds (default: ${DEFAULTS.timeoutMs})`)
    .option('--allow-private <cidrs>', "download a missing issuer from these non-public networks too (comma-separated), when the chain's AIA URL points there")
    .option('--resolver <ip[:port]>', "a DNS resolver to ask for the host and the issuer URL's host instead of the system's (/etc/resolv.conf); repeatable", collect)
    .option('--format <format>', `terminal or json (default: ${DEFAULTS.format})`)
    .option('--no-color', 'no colour in the terminal output')
    .addHelpText('after', `\nA PFX's passphrase comes from ${PFX_PASSPHRASE_ENV} or a prompt (an empty one is tried first).\n${INSPECT_EXAMPLES}`)
    .action(async (source: string, flags: InspectFlags) => {
      const { runInspect } = await import('./cert-inspect.js');
      finish(await runInspect(source, flags));
    });
  cert
    .command('bundle')
    .description('bundle the issued certificate, its chain and its key into a PKCS#12 / PFX file that Windows Server imports')
    .option('--key <file>', `the private key fedcheck csr wrote (PEM; its passphrase from ${KEY_PASSPHRASE_ENV} or a prompt) (required)`)
    .option('--cert <file>', 'the certificate the CA issued (PEM, DER or PKCS#7; may hold the chain too) (required)')
    .option('--chain <file>', "the CA's intermediate certificates (PEM, DER or PKCS#7); without it, missing ones are downloaded from the certificate's AIA URL")
    .option('--csr <file>', 'the request the certificate was issued from: every requested name must be in the certificate')
    .option('--out <file>', `the PFX to write, mode 0600; its passphrase from ${PFX_PASSPHRASE_ENV} or a prompt (required)`)
    .option('--legacy', 'protect the PFX with 3DES and a SHA-1 MAC, for Windows Server 2016 and older (default: AES-256 and SHA-256)')
    .option('--friendly-name <name>', 'the name Windows shows for the certificate (default: its CN and expiry date)')
    .option('--ca-file <pem>', 'also trust the CA certificates in this PEM file, for a chain from a private CA; repeatable', collect)
    .option('--timeout <ms>', `time limit of each issuer download, in milliseconds (default: ${DEFAULTS.timeoutMs})`)
    .option('--include-root', 'also put the root CA certificate in the PFX (default: left out, as partners and Windows have the root in their own trust store)')
    .option('--allow-private <cidrs>', "download issuers from these non-public networks too (comma-separated), when the AIA URL points there")
    .option('--resolver <ip[:port]>', "a DNS resolver to ask for the issuer URL's host instead of the system's (/etc/resolv.conf); repeatable", collect)
    .option('--force', 'overwrite --out if it exists')
    .addHelpText('after', BUNDLE_EXAMPLES)
    .action(async (flags: BundleFlags) => {
      const { runBundle } = await import('./cert-bundle.js');
      finish(await runBundle(flags));
    });
}
