// Config files for `fedcheck run` against a running lab: fixtures/configs/lab-nightly.yaml with the lab's
// resolver, CA file and probe timeout filled in, since those are known only once the lab runs.

import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import type { LabFacts } from './lab.js';
import { formatServer } from '../../src/probes/resolvers.js';
import { ROOT } from './fedcheck.js';

const TEMPLATE = join(ROOT, 'fixtures', 'configs', 'lab-nightly.yaml');

/** A fresh folder with the lab's CA and the filled-in config; returns the config's path and the folder. */
export function writeNightlyConfig(
  lab: LabFacts,
  options: { timeoutMs?: number; edit?: (yaml: string) => string } = {},
): { config: string; dir: string } {
  const dir = mkdtempSync(join(tmpdir(), 'fedcheck-run-'));
  const caFile = join(dir, 'lab-root.pem');
  writeFileSync(caFile, lab.caPem);
  const text = readFileSync(TEMPLATE, 'utf8')
    .replaceAll('{{resolver}}', formatServer(lab.resolver))
    .replaceAll('{{caFile}}', caFile)
    .replaceAll('{{timeoutMs}}', String(options.timeoutMs ?? lab.timeoutMs));
  const config = join(dir, 'lab-nightly.yaml');
  writeFileSync(config, options.edit ? options.edit(text) : text);
  return { config, dir };
}

/** The domains a config file names: own (SIP and XMPP) and partners, as a reader of the file sees them. */
export function configDomains(config: string): { own: string[]; partners: string[] } {
  const parsed = parse(readFileSync(config, 'utf8')) as {
    own: { sipDomains: string[]; xmppDomains: string[] };
    partners: (string | { domain: string })[];
  };
  return {
    own: [...new Set([...parsed.own.sipDomains, ...parsed.own.xmppDomains])],
    partners: parsed.partners.map((entry) => (typeof entry === 'string' ? entry : entry.domain)),
  };
}
