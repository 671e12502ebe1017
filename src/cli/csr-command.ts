// The `fedcheck csr` command: its name, options and help. Its implementation (./csr.ts) is imported only when it
// runs, so `--version`, `--help` and the other commands never load it.

import type { Command } from 'commander';
import { KEY_ALGORITHMS } from '../pki/key-algorithms.js';
import type { CsrFlags } from './csr.js';
import { KEY_PASSPHRASE_ENV } from './passphrases.js';
import { collect } from './repeatable.js';

const EXAMPLES = `
Examples:
  fedcheck csr --access-edge sip.contoso.com --webconf webconf.contoso.com \\
      --sip-domain contoso.com --sip-domain fabrikam.com --xmpp-domain contoso.com \\
      --org "Contoso Ltd" --locality Redmond --state WA --country US --out-dir certs
  FEDCHECK_KEY_PASSPHRASE=... fedcheck csr --access-edge sip.contoso.com --sip-domain contoso.com --encrypt-key`;

export function defineCsrCommand(program: Command, finish: (exitCode: number) => void): void {
  program
    .command('csr')
    .description("write a new private key and the certificate request (CSR) for an Edge's external certificate, with every name partners check")
    .option('--access-edge <fqdn>', 'the Access Edge FQDN: the subject CN and the first subject alternative name (required)')
    .option('--sip-domain <domain>', 'a SIP domain the Edge federates: adds sip.<domain>; repeatable', collect)
    .option('--webconf <fqdn>', 'the Web Conferencing Edge FQDN')
    .option('--xmpp-domain <domain>', 'an XMPP domain the Edge federates: adds the domain itself; repeatable', collect)
    .option('--san <name>', 'any other subject alternative name (a wildcard *.example.com is allowed here); repeatable', collect)
    .option('--org <name>', 'the organization (O) in the subject')
    .option('--ou <name>', 'the organizational unit (OU); public CAs no longer accept it')
    .option('--locality <name>', 'the city (L)')
    .option('--state <name>', 'the state or province (ST), spelled out')
    .option('--country <cc>', 'the two-letter country code (C), such as US')
    .option('--key <type>', `the key: ${KEY_ALGORITHMS.join(', ')} (default: rsa2048)`)
    .option('--out-dir <dir>', 'the folder to write <access-edge>.key and <access-edge>.csr into, made if missing (default: the current folder)')
    .option('--encrypt-key', `encrypt the key with a passphrase from ${KEY_PASSPHRASE_ENV} or asked on the terminal (also done whenever ${KEY_PASSPHRASE_ENV} is set)`)
    .option('--force', 'overwrite the key and request files if they exist')
    .addHelpText('after', EXAMPLES)
    .action(async (flags: CsrFlags) => {
      const { runCsr } = await import('./csr.js');
      finish(await runCsr(flags));
    });
}
