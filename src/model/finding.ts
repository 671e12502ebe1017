// The judged result of a check, as every reporter sees it.

import type { Service } from './target.js';

/**
 * `info` is healthy: a fact worth a line (a service the domain does not publish) that asks nothing of anyone.
 * `skip` is a check that did not apply or was not asked for; it never outranks a judged result in a headline.
 */
export type Status = 'pass' | 'info' | 'warn' | 'fail' | 'skip' | 'error';

/** Worst first, as reports list them. */
export const STATUSES: readonly Status[] = ['fail', 'error', 'warn', 'pass', 'info', 'skip'];

/** The federation service a finding is about; `none` for the domain as a whole (its name servers, its policy). */
export type FindingService = Service | 'none';

export interface Reference {
  title: string;
  url: string;
}

export interface Snippet {
  /** What the text is: `zone`, `powershell`, `shell`, `firewall`, `prosody`, `kamailio`... */
  lang: string;
  text: string;
}

export interface Fix {
  summary: string;
  steps: string[];
  snippets: Snippet[];
}

export type Area = 'dns' | 'net' | 'tls' | 'sip' | 'xmpp' | 'policy';

/**
 * Where a finding applies, as data: reporters, the history diff and the webhook key on these fields (and the check
 * id), never on the display text in `subject`. Only the fields that apply are present.
 */
export interface Location {
  domain: string;
  /** A DNS owner name, as queried: `_sipfederationtls._tcp.contoso.com`, `sip.contoso.com`. */
  name?: string;
  /** The server's host name: an SRV target, an Access Edge FQDN, a Cisco next hop. */
  host?: string;
  address?: string;
  port?: number;
  /** The SHA-256 fingerprint (lowercase hex, no colons) of the certificate judged. */
  certificate?: string;
  /** The config entry a policy finding is about, as a path: `own.federation.allowedDomains[2]`. */
  policyEntry?: string;
}

export interface Finding {
  checkId: string;
  area: Area;
  /** The normalized domain the finding belongs to. */
  domain: string;
  service: FindingService;
  status: Status;
  /** What was judged, for display: a DNS name, an address and port, a certificate. */
  subject: string;
  location: Location;
  messageId: string;
  message: string;
  evidence: string[];
  fix?: Fix;
  references: Reference[];
  /**
   * Only on a `skip`: why the check was not judged, when that is not "it did not apply". `vantage`: it cannot be judged
   * from where fedcheck ran (the Edge's internal listeners, from outside); reports say "n/a here", as nothing is missing.
   */
  skipReason?: SkipReason;
}

export type SkipReason = 'vantage';

/** How bad a status is, for sorting worst first and for exit codes. */
export function severity(status: Status): number {
  switch (status) {
    case 'fail':
      return 5;
    case 'error':
      return 4;
    case 'warn':
      return 3;
    case 'pass':
      return 2;
    case 'info':
      return 1;
    case 'skip':
      return 0;
  }
}

/** The headline of a set of findings: the worst judged status; `skip` only when nothing was judged; `pass` when empty. */
export function worstStatus(statuses: Iterable<Status>): Status {
  let worst: Status | undefined;
  for (const status of statuses) if (worst === undefined || severity(status) > severity(worst)) worst = status;
  return worst ?? 'pass';
}

/** Healthy: nothing for anyone to act on. */
export function isHealthy(status: Status): boolean {
  return status === 'pass' || status === 'info' || status === 'skip';
}

export const EXIT = { ok: 0, warning: 1, failure: 2, unusable: 3 } as const;

/**
 * Monitoring convention: 0 all pass, 1 worst is a warning, 2 a failure.
 * A finding that could not be measured counts as a failure of the run's promise:
 * the admin has no answer for it, so it must not read as healthy.
 */
export function exitCodeFor(findings: readonly Finding[]): number {
  const worst = worstStatus(findings.map((f) => f.status));
  if (worst === 'fail' || worst === 'error') return EXIT.failure;
  if (worst === 'warn') return EXIT.warning;
  return EXIT.ok;
}

export function countByStatus(findings: readonly Finding[]): Record<Status, number> {
  const counts: Record<Status, number> = { pass: 0, info: 0, warn: 0, fail: 0, skip: 0, error: 0 };
  for (const finding of findings) counts[finding.status] += 1;
  return counts;
}
