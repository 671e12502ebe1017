// Reads the config file: YAML, validated against the schema; every problem is one UsageError line naming
// the file, the line, the field's path and what was expected.

import { dirname, resolve } from 'node:path';
import { LineCounter, isMap, isScalar, isSeq, parseDocument } from 'yaml';
import type { Document } from 'yaml';
import { escapeControl } from '../util/control-characters.js';
import { UsageError } from '../model/errors.js';
import { readInputText } from '../util/input-file.js';
import { SERVICES } from '../model/target.js';
import type { Service, Target } from '../model/target.js';
import { formatPath, issueMessage } from './issue-message.js';
import { configSchema } from './schema.js';
import type { ParsedConfig } from './schema.js';
import type { ClientCertificateFromConfig, FedcheckConfig } from '../model/config.js';

export function loadConfig(path: string): FedcheckConfig {
  return parseConfig(readInputText(path, 'config file', 'config'), path);
}

/** Parses the text of a config file; `source` names it in messages and anchors its relative paths. */
export function parseConfig(text: string, source: string): FedcheckConfig {
  const notYaml = notAConfig(text);
  if (notYaml !== undefined) throw new UsageError(`${source}: ${notYaml}: expected a YAML config such as fedcheck init writes`);
  const lineCounter = new LineCounter();
  const document = parseDocument(text, { lineCounter });
  const [syntaxError] = document.errors;
  if (syntaxError !== undefined) {
    const position = syntaxError.linePos?.[0];
    const where = position === undefined ? source : `${source}:${position.line}:${position.col}`;
    const message = syntaxError.message.split('\n')[0]?.replace(/ at line \d+, column \d+:?$/, '') ?? syntaxError.code;
    // The parser's message quotes the input, which may hold anything: its control characters are shown escaped.
    throw new UsageError(`${where}: YAML syntax error: ${escapeControl(message)}`);
  }
  // An empty file is an empty mapping, so the error names the first missing section rather than "null".
  const raw: unknown = toPlainValue(document, source) ?? {};
  const result = configSchema.safeParse(raw, { reportInput: true });
  if (!result.success) {
    const [first, ...others] = misspeltKeysFirst(result.error.issues);
    if (first === undefined) throw new UsageError(`${source}: invalid config`);
    const position = positionOf(document, lineCounter, first.code === 'unrecognized_keys' ? [...first.path, first.keys[0] ?? ''] : first.path);
    const more = others.length === 0 ? '' : ` (and ${others.length} more problem${others.length > 1 ? 's' : ''})`;
    throw new UsageError(`${source}${position}: ${formatPath(first.path)}: ${issueMessage(first, configSchema)}${more}`);
  }
  const parsed: ParsedConfig = result.data;
  return withDerivedDefaults(parsed, source);
}

/** The aliases a config may expand: anchors save repetition in a hand-written file; thousands are an alias bomb. */
export const CONFIG_MAX_ALIASES = 100;

/**
 * Why the text cannot be a config before YAML reads it: a key or certificate file given by mistake is named by its
 * PEM type and never shown; binary bytes are not echoed back.
 */
function notAConfig(text: string): string | undefined {
  const pem = /-----BEGIN ([A-Z0-9 ]{1,40})-----/.exec(text);
  if (pem !== null) return `holds a PEM block (${pem[1]}), not a YAML config (its content is not shown)`;
  // NUL never occurs in YAML; U+FFFD is what bytes that are not UTF-8 decode to.
  if (/[\u0000\ufffd]/.test(text)) return 'is not a text file (it holds bytes that are not UTF-8 text)';
  return undefined;
}

function toPlainValue(document: Document, source: string): unknown {
  try {
    return document.toJS({ maxAliasCount: CONFIG_MAX_ALIASES });
  } catch (error) {
    // The yaml library's guard against exponential alias expansion (a "billion laughs" file).
    if (error instanceof ReferenceError && /alias/i.test(error.message)) {
      throw new UsageError(`${source}: YAML aliases expand past ${CONFIG_MAX_ALIASES} nodes (an alias bomb?): write the values out, or use fewer aliases`);
    }
    throw error;
  }
}

/** A misspelt key is usually why a required one is missing: it is named first, the outermost first. */
function misspeltKeysFirst<T extends { code: string; path: readonly PropertyKey[] }>(issues: readonly T[]): T[] {
  const misspelt = issues.filter((issue) => issue.code === 'unrecognized_keys').sort((a, b) => a.path.length - b.path.length);
  return [...misspelt, ...issues.filter((issue) => issue.code !== 'unrecognized_keys')];
}

/**
 * `:line:column` of the deepest part of the path that exists in the file (the key itself for a mapping entry,
 * so an unknown key is pointed at); empty when none does.
 */
function positionOf(document: Document, lineCounter: LineCounter, path: readonly PropertyKey[]): string {
  for (let length = path.length; length > 0; length -= 1) {
    const parent = length === 1 ? document.contents : document.getIn(path.slice(0, length - 1) as unknown[], true);
    const segment = path[length - 1];
    const node = isMap(parent) ? parent.items.find((pair) => isScalar(pair.key) && pair.key.value === segment)?.key : isSeq(parent) ? parent.get(Number(segment), true) : undefined;
    const range = (node as { range?: [number, number, number] } | undefined)?.range;
    if (range !== undefined) {
      const { line, col } = lineCounter.linePos(range[0]);
      return `:${line}:${col}`;
    }
  }
  return '';
}

function withDerivedDefaults(parsed: ParsedConfig, source: string): FedcheckConfig {
  // Paths in the file are relative to the file, so a config works from any working directory.
  const base = dirname(resolve(source));
  const fromFile = (path: string) => resolve(base, path);
  const { outputs } = parsed;
  const { clientCertificate } = parsed.check;
  const fromDomain = parsed.fromDomain ?? parsed.own.xmppDomains[0] ?? parsed.own.sipDomains[0];
  return {
    ...parsed,
    source,
    ...(fromDomain !== undefined ? { fromDomain } : {}),
    check: {
      ...parsed.check,
      caFiles: parsed.check.caFiles.map(fromFile),
      ...(clientCertificate !== undefined ? { clientCertificate: clientCertificateFromFile(clientCertificate, fromFile) } : {}),
    },
    outputs: {
      ...outputs,
      ...(outputs.dir !== undefined ? { dir: fromFile(outputs.dir) } : {}),
      ...(outputs.historyDir !== undefined ? { historyDir: fromFile(outputs.historyDir) } : {}),
    },
    serve: { ...parsed.serve, ...(parsed.serve.tokenFile !== undefined ? { tokenFile: fromFile(parsed.serve.tokenFile) } : {}) },
  };
}

function clientCertificateFromFile(entry: ClientCertificateFromConfig, fromFile: (path: string) => string): ClientCertificateFromConfig {
  const { certFile, keyFile, passphraseFile, passphraseEnv } = entry;
  return {
    certFile: fromFile(certFile),
    ...(keyFile !== undefined ? { keyFile: fromFile(keyFile) } : {}),
    ...(passphraseFile !== undefined ? { passphraseFile: fromFile(passphraseFile) } : {}),
    ...(passphraseEnv !== undefined ? { passphraseEnv } : {}),
  };
}

/**
 * The domains a config asks to watch: our own first (role own, the services we run for each), then the
 * partners (role partner), each domain once. A partner on the allowed list with a ProxyFqdn is probed there.
 */
/** Both lists' services, in sip, xmpp order. */
function union(a: readonly Service[], b: readonly Service[]): Service[] {
  return SERVICES.filter((service) => a.includes(service) || b.includes(service));
}

export function configTargets(config: FedcheckConfig): Target[] {
  const targets = new Map<string, Target>();
  const { sipDomains, xmppDomains, federation } = config.own;
  for (const domain of [...sipDomains, ...xmppDomains]) {
    if (targets.has(domain)) continue;
    const services: Service[] = [];
    if (sipDomains.includes(domain)) services.push('sip');
    if (xmppDomains.includes(domain)) services.push('xmpp');
    // Our own domains must offer what we run for them.
    targets.set(domain, { domain, input: domain, services, expected: [...services], role: 'own' });
  }
  for (const partner of config.partners) {
    const known = targets.get(partner.domain);
    if (known !== undefined) {
      // A partner listed twice is watched for every service either entry asks for, and expected to offer each one written.
      if (known.role === 'partner') {
        known.services = union(known.services, partner.services ?? SERVICES);
        known.expected = union(known.expected ?? [], partner.services ?? []);
      }
      continue;
    }
    const target: Target = {
      domain: partner.domain,
      input: partner.domain,
      services: [...(partner.services ?? SERVICES)],
      expected: [...(partner.services ?? [])],
      role: 'partner',
    };
    // A server we configured for the partner (direct federation, an XMPP partner's ProxyFqdn) is one we expect to answer.
    const edge = partner.edge ?? federation.allowedDomains.find((entry) => entry.domain === partner.domain)?.proxyFqdn;
    if (edge !== undefined && target.services.includes('sip')) {
      target.edge = edge;
      target.expected = union(target.expected ?? [], ['sip']);
    }
    const xmppServer = federation.xmppPartners.find((entry) => entry.domain === partner.domain)?.proxyFqdn;
    if (xmppServer !== undefined && target.services.includes('xmpp')) {
      target.xmppEdge = xmppServer;
      target.expected = union(target.expected ?? [], ['xmpp']);
    }
    targets.set(partner.domain, target);
  }
  return [...targets.values()];
}
