// `fedcheck csr`: a new key and the certificate request for an Edge's external interface, with every name partners
// check, in the order Lync / Skype for Business expects, and what to do with it next.

import { accessSync, constants, existsSync, mkdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { caCutoffs, chromeRule } from '../judge/client-auth-outlook.js';
import { UsageError, describeError } from '../model/errors.js';
import { EXIT } from '../model/finding.js';
import { normalizeDomain } from '../model/target.js';
import { CLIENT_AUTH_DEADLINES_AS_OF } from '../pki/client-auth-deadlines.js';
import { KEY_ALGORITHMS, MAX_SUBJECT_ALT_NAMES, generateCertificateRequest, planSubjectAltNames } from '../pki/csr.js';
import type { EdgeNames, KeyAlgorithm, PlannedName, RequestSubject } from '../pki/csr.js';
import { PUBLIC_FILE_MODE, SECRET_FILE_MODE, privateKeyPem } from '../pki/key-files.js';
import { writeNewFile } from '../util/atomic-file.js';
import { hanging } from '../report/wrap.js';
import { parseChoice } from '../util/choices.js';
import { KEY_PASSPHRASE_ENV, newPassphrase, passphraseFromEnv } from './passphrases.js';

export interface CsrFlags {
  accessEdge?: string;
  sipDomain?: string[];
  webconf?: string;
  xmppDomain?: string[];
  san?: string[];
  org?: string;
  ou?: string;
  locality?: string;
  state?: string;
  country?: string;
  key?: string;
  outDir?: string;
  encryptKey?: boolean;
  force?: boolean;
}

interface CsrSettings {
  names: EdgeNames;
  planned: PlannedName[];
  subject: RequestSubject;
  key: KeyAlgorithm;
  outDir: string;
  keyPath: string;
  csrPath: string;
  encryptKey: boolean;
  force: boolean;
}

// X.520 upper bounds (RFC 5280 appendix A.1), which CAs enforce.
const MAX_COMMON_NAME = 64;
const ATTRIBUTE_LIMITS = { org: 64, ou: 64, locality: 128, state: 128 } as const;

export async function runCsr(flags: CsrFlags): Promise<number> {
  const settings = parseCsrOptions(flags);
  const passphrase = settings.encryptKey
    ? await newPassphrase(KEY_PASSPHRASE_ENV, `the key ${settings.keyPath}`, (value) => (value === '' ? 'it is empty' : undefined))
    : undefined;
  makeOutputFolder(settings.outDir);
  const request = await generateCertificateRequest({
    subject: settings.subject,
    subjectAltNames: settings.planned.map((entry) => entry.name),
    key: settings.key,
  });
  writeOutput(settings.keyPath, privateKeyPem(request.privateKeyPkcs8, passphrase), SECRET_FILE_MODE, settings.force);
  try {
    writeOutput(settings.csrPath, request.csrPem, PUBLIC_FILE_MODE, settings.force);
  } catch (error) {
    // A key without its request is of no use and must not linger.
    rmSync(settings.keyPath, { force: true });
    throw error;
  }
  process.stdout.write(csrSummary(settings, passphrase !== undefined, new Date()));
  return EXIT.ok;
}

function parseCsrOptions(flags: CsrFlags): CsrSettings {
  if (flags.accessEdge === undefined) throw new UsageError('fedcheck csr needs --access-edge FQDN: the Access Edge FQDN partners connect to');
  const accessEdge = hostName(flags.accessEdge, '--access-edge', 'Lync and Skype for Business do not support a wildcard for the Access Edge');
  if (accessEdge.length > MAX_COMMON_NAME) {
    throw new UsageError(`--access-edge ${accessEdge} cannot be the subject CN: a CN holds at most ${MAX_COMMON_NAME} characters`);
  }
  const names: EdgeNames = {
    accessEdge,
    sipDomains: (flags.sipDomain ?? []).map((domain) => hostName(domain, '--sip-domain', 'give the domain; fedcheck adds sip.<domain>')),
    xmppDomains: (flags.xmppDomain ?? []).map((domain) => hostName(domain, '--xmpp-domain', 'XMPP peers check the domain itself')),
    extraNames: (flags.san ?? []).map(extraName),
  };
  if (flags.webconf !== undefined) names.webConferencing = hostName(flags.webconf, '--webconf', 'give the Web Conferencing Edge FQDN');
  const planned = planSubjectAltNames(names);
  if (planned.length > MAX_SUBJECT_ALT_NAMES) {
    throw new UsageError(
      `the request would name ${planned.length} subject alternative names: public CAs accept at most ${MAX_SUBJECT_ALT_NAMES} in one certificate; split the domains over two Edge pools or drop --san names`,
    );
  }
  const outDir = flags.outDir ?? '.';
  checkOutputFolder(outDir);
  const settings: CsrSettings = {
    names,
    planned,
    subject: { commonName: accessEdge, ...subjectAttributes(flags) },
    key: parseChoice<KeyAlgorithm>(flags.key, '--key', KEY_ALGORITHMS, 'rsa2048'),
    outDir,
    keyPath: join(outDir, `${accessEdge}.key`),
    csrPath: join(outDir, `${accessEdge}.csr`),
    // Set without --encrypt-key, the variable still says the admin wants the key encrypted.
    encryptKey: flags.encryptKey === true || passphraseFromEnv(KEY_PASSPHRASE_ENV) !== undefined,
    force: flags.force === true,
  };
  if (!settings.force) {
    for (const path of [settings.keyPath, settings.csrPath]) {
      if (existsSync(path)) {
        throw new UsageError(`"${path}" already exists: fedcheck does not overwrite it (it may hold the key of a certificate in use); move it away or give --force`);
      }
    }
  }
  return settings;
}

/** A host or domain name, lower-case A-labels; a wildcard is refused with `whyNoWildcard`. */
function hostName(input: string, flag: string, whyNoWildcard: string): string {
  if (input.trim().startsWith('*')) throw new UsageError(`${flag} "${input}" is a wildcard: ${whyNoWildcard}`);
  return normalizeDomain(input, flag);
}

/** --san accepts one wildcard as the whole left-most label, as CAs issue them. */
function extraName(input: string): string {
  const trimmed = input.trim();
  if (trimmed.startsWith('*.')) return `*.${normalizeDomain(trimmed.slice(2), '--san')}`;
  return normalizeDomain(trimmed, '--san');
}

function subjectAttributes(flags: CsrFlags): Omit<RequestSubject, 'commonName'> {
  const attributes: Omit<RequestSubject, 'commonName'> = {};
  const text = (value: string | undefined, flag: string, limit: number): string | undefined => {
    if (value === undefined) return undefined;
    const trimmed = value.trim();
    if (trimmed === '' || trimmed.length > limit) throw new UsageError(`invalid ${flag} "${value}": expected 1 to ${limit} characters`);
    return trimmed;
  };
  const organization = text(flags.org, '--org', ATTRIBUTE_LIMITS.org);
  const organizationalUnit = text(flags.ou, '--ou', ATTRIBUTE_LIMITS.ou);
  const locality = text(flags.locality, '--locality', ATTRIBUTE_LIMITS.locality);
  const state = text(flags.state, '--state', ATTRIBUTE_LIMITS.state);
  if (organization !== undefined) attributes.organization = organization;
  if (organizationalUnit !== undefined) attributes.organizationalUnit = organizationalUnit;
  if (locality !== undefined) attributes.locality = locality;
  if (state !== undefined) attributes.state = state;
  if (flags.country !== undefined) {
    if (!/^[A-Za-z]{2}$/.test(flags.country.trim())) {
      throw new UsageError(`invalid --country "${flags.country}": expected the two-letter ISO 3166 code, such as US or DE`);
    }
    attributes.country = flags.country.trim().toUpperCase();
  }
  return attributes;
}

/** An existing folder must be writable; a missing one is made, but only once everything else has been checked. */
function checkOutputFolder(dir: string): void {
  if (!existsSync(dir)) return;
  if (!statSync(dir).isDirectory()) throw new UsageError(`--out-dir "${dir}" is not a folder`);
  try {
    accessSync(dir, constants.W_OK);
  } catch (error) {
    throw new UsageError(`cannot write into --out-dir "${dir}": ${describeError(error)}`);
  }
}

function makeOutputFolder(dir: string): void {
  try {
    // Only the owner may list a folder made to hold a private key.
    mkdirSync(dir, { recursive: true, mode: 0o700 });
  } catch (error) {
    throw new UsageError(`cannot create --out-dir "${dir}": ${describeError(error)}`);
  }
}

function writeOutput(path: string, content: string, mode: number, force: boolean): void {
  try {
    writeNewFile(path, content, mode, force);
  } catch (error) {
    const exists = (error as NodeJS.ErrnoException).code === 'EEXIST';
    throw new UsageError(exists ? `"${path}" already exists: move it away or give --force` : `cannot write "${path}": ${describeError(error)}`);
  }
}

const KEY_WORDS: Record<KeyAlgorithm, string> = {
  rsa2048: 'RSA 2048-bit',
  rsa3072: 'RSA 3072-bit',
  rsa4096: 'RSA 4096-bit',
  'ec-p256': 'ECDSA P-256',
  'ec-p384': 'ECDSA P-384',
};

const LABEL_WIDTH = 22;

function csrSummary(settings: CsrSettings, encrypted: boolean, now: Date): string {
  const { planned, subject, names } = settings;
  const field = (label: string, text: string) => hanging(`  ${label.padEnd(LABEL_WIDTH - 2)}`, text);
  const nameWidth = Math.max(...planned.map((entry) => entry.name.length));
  const numberWidth = String(planned.length).length + 2;
  const nameLines = planned.map((entry, index) => `${`${index + 1}.`.padEnd(numberWidth)}${entry.name.padEnd(nameWidth + 2)}${entry.reasons.join(', ')}`);
  const hash = settings.key === 'ec-p384' ? 'SHA-384' : 'SHA-256';
  const lines = [
    `Certificate request for the Access Edge ${subject.commonName}`,
    '',
    ...field('Subject', subjectText(subject)),
    `  ${'Names, in order'.padEnd(LABEL_WIDTH - 2)}${nameLines[0] ?? ''}`,
    ...nameLines.slice(1).map((line) => `${' '.repeat(LABEL_WIDTH)}${line}`),
    ...field('Key usages', 'Server Authentication and Client Authentication (requested)'),
    ...field('Key', `${KEY_WORDS[settings.key]}, PKCS#8 PEM, ${encrypted ? 'encrypted with AES-256-CBC' : 'not encrypted'}: ${settings.keyPath} (mode 0600)`),
    ...field('Request', `PKCS#10 PEM signed with ${hash}: ${settings.csrPath}`),
  ];
  const notes = [
    ...planned
      .filter((entry) => entry.reasons.length > 1)
      .map((entry) => `${entry.name} was given as ${entry.reasons.join(' and as ')}: requested once.`),
    ...(subject.organizationalUnit !== undefined
      ? ['Public CAs no longer put an OU in certificates (CA/Browser Forum, since September 2022): they drop it or refuse the request; leave --ou out for a public CA.']
      : []),
    ...(encrypted ? [] : [`The key is not encrypted: keep it readable only by you, or make it again with --encrypt-key.`]),
  ];
  if (notes.length > 0) lines.push('', 'Notes', ...notes.flatMap((note) => hanging('  - ', note)));
  const domainsFor = (role: string, domains: readonly string[]) =>
    `fedcheck cert inspect edge.pfx --role ${role} ${domains.map((domain) => `--domain ${domain}`).join(' ')}`;
  const steps: { text: string; commands?: string[] }[] = [
    {
      text: `Send ${settings.csrPath} (the text from -----BEGIN CERTIFICATE REQUEST----- to the END line) to a public CA and ask for a TLS server certificate with ${planned.length === 1 ? 'this name' : `all ${planned.length} names`} and both Server Authentication and Client Authentication.`,
    },
    { text: `Keep ${settings.keyPath} on this machine and send it to no one, the CA included: the certificate is useless without it.` },
    {
      text: "When the CA has issued the certificate, bundle it with the key and the CA's intermediate certificates for the Edge servers:",
      commands: [`fedcheck cert bundle --key ${settings.keyPath} --cert <issued certificate> --csr ${settings.csrPath} --out edge.pfx`],
    },
    {
      text: 'Check the bundle as partners will see it:',
      commands: [
        `${domainsFor('sip-edge', names.sipDomains.length > 0 ? names.sipDomains : ['<SIP domain>'])} --edge ${names.accessEdge}`,
        ...(names.xmppDomains.length > 0 ? [domainsFor('xmpp-server', names.xmppDomains)] : []),
      ],
    },
  ];
  lines.push('', 'Next steps');
  steps.forEach((step, index) => {
    lines.push(...hanging(`  ${index + 1}. `, step.text));
    // Commands are pasted as they are, so they are never wrapped.
    lines.push(...(step.commands ?? []).map((command) => `       ${command}`));
  });
  lines.push(
    '',
    'Warning: public CAs are removing Client Authentication from server certificates',
    ...hanging('  ', clientAuthWarning(now)),
  );
  return `${lines.join('\n')}\n`;
}

/** The CA is not known yet, so every CA's own last date, and Chrome's, in the tense of today. */
function clientAuthWarning(now: Date): string {
  const chrome = chromeRule(now);
  return (
    `${chrome.charAt(0).toUpperCase()}${chrome.slice(1)}. ${caCutoffs(now).join('; ')} (dates as of ${CLIENT_AUTH_DEADLINES_AS_OF}). ` +
    'A CA may issue this request without Client Authentication and say nothing. The Edge presents this certificate as the TLS ' +
    'client of its outbound federation (mutual TLS): without Client Authentication, partners that demand a client certificate ' +
    'refuse it, and XMPP peers refuse SASL EXTERNAL (ejabberd: "unsupported certificate purpose"; server dialback still works). ' +
    'Cisco Expressway needs it in its own certificate up to X15.3.2 (field notice FN74362); X15.4 can only upload a serverAuth-only ' +
    'certificate (xConfiguration XCP TLS Certificate CVS EnableServerEkuUpload: On); X15.5 has separate client certificates ' +
    '(CSCwr73373). fedcheck cert bundle warns when the issued certificate lacks it.'
  );
}

/** RFC 4514 order, most specific first, as fedcheck prints every subject. */
function subjectText(subject: RequestSubject): string {
  const parts: [string, string | undefined][] = [
    ['CN', subject.commonName],
    ['OU', subject.organizationalUnit],
    ['O', subject.organization],
    ['L', subject.locality],
    ['ST', subject.state],
    ['C', subject.country],
  ];
  return parts.flatMap(([type, value]) => (value === undefined ? [] : [`${type}=${value.replace(/([\\",+;<>])/g, '\\$1')}`])).join(',');
}
