// What changed between two runs: new failures, fixed ones, still failing, moved to another address, certificates
// renewed, expiry countdowns, domains added and removed. Pure: the runs come in as read from report or history files.
// A finding is the same finding from one run to the next by its domain, check, service and location, but for the
// address, port and certificate: a renumbered Edge or a renewed certificate keeps its findings.

import type { SavedFacts } from '../model/facts-file.js';
import type { Finding, Status } from '../model/finding.js';
import { EXIT, severity } from '../model/finding.js';
import { findingKey } from '../model/location.js';
import type { Report } from '../model/report.js';
import { leafOf, seenCertificates } from '../model/report-certificates.js';
import type { SeenCertificate } from '../model/report-certificates.js';

/** One run: its report, and its facts when it was kept by --history (a plain JSON report has none). */
export interface RunRecord {
  report: Report;
  facts?: SavedFacts;
}

/** A finding (by domain, check, service and location) whose standing changed or did not. */
export interface FindingChange {
  domain: string;
  checkId: string;
  subject: string;
  /** The older run's subject, when the finding moved (the same host at another address or port). */
  subjectBefore?: string;
  /** Absent: the older run did not report it. */
  before?: Status;
  /** Absent: the newer run no longer reports it. */
  after?: Status;
  /** The newer run's finding, or the older one's when it is gone. */
  finding: Finding;
}

export interface CertificateRenewal {
  domain: string;
  /** `<host> <address:port>`. */
  endpoint: string;
  before: SeenCertificate;
  after: SeenCertificate;
  /** False when the new certificate expires no later than the old one: replaced, not renewed. */
  laterExpiry: boolean;
}

export interface ExpiryCountdown {
  domain: string;
  endpoint: string;
  /** The leaf's common name. */
  name: string;
  notAfter: string;
  /** Days left at the older run, for the certificate the endpoint had then; absent when it was not seen. */
  daysLeftBefore?: number;
  daysLeftNow: number;
}

export interface ReportDiff {
  from: { startedAt: string };
  to: { startedAt: string };
  /** warn, fail or error that was pass, skip, absent, or a lesser problem (warn → fail). */
  newFailures: FindingChange[];
  /** A warning, failure or error that now passes, is skipped, or is no longer reported. */
  fixed: FindingChange[];
  /** A problem in both runs, no worse than before, at the same address and port. */
  stillFailing: FindingChange[];
  /** A problem in both runs, no worse than before, now at another address or port of the same host (a renumbered Edge). */
  changed: FindingChange[];
  renewed: CertificateRenewal[];
  /** Soonest expiry first. */
  countdown: ExpiryCountdown[];
  domainsAdded: string[];
  domainsRemoved: string[];
  /** False when either run is a report without observations (an older fedcheck's): certificates were then not compared. */
  certificatesCompared: boolean;
}

/** `old → new` for a finding that moved to another address or port. */
export function subjectText(change: FindingChange): string {
  return change.subjectBefore === undefined ? change.subject : `${change.subjectBefore} → ${change.subject}`;
}

/** 0 nothing got worse, 1 new warnings, 2 new failures or errors: the exit code of `fedcheck diff`. */
export function diffExitCode(diff: ReportDiff): number {
  const worst = Math.max(0, ...diff.newFailures.map((change) => problemLevel(change.after)));
  return worst === 2 ? EXIT.failure : worst === 1 ? EXIT.warning : EXIT.ok;
}

export function diffReports(older: RunRecord, newer: RunRecord): ReportDiff {
  const oldDomains = new Set(older.report.domains.map((d) => d.domain));
  const newDomains = new Set(newer.report.domains.map((d) => d.domain));
  // A run written before findings had a location is matched by subject, the only identity it has.
  const bySubject = !hasLocations(older.report) || !hasLocations(newer.report);
  const before = findingIndex(older.report, bySubject);
  const after = findingIndex(newer.report, bySubject);
  const newFailures: FindingChange[] = [];
  const fixed: FindingChange[] = [];
  const stillFailing: FindingChange[] = [];
  const changed: FindingChange[] = [];
  for (const pair of pairFindings(before, after, bySubject ? (key) => key : identityOf)) {
    if (pair.after === undefined) {
      // A removed domain's problems are not fixed, just no longer watched: domainsRemoved says so.
      if (newDomains.has(pair.before.domain) && problemLevel(pair.before.status) > 0) fixed.push(changeOf(pair.before, pair.before.status, undefined));
      continue;
    }
    const was = pair.before?.status;
    const levelNow = problemLevel(pair.after.status);
    const levelThen = problemLevel(was);
    const change = changeOf(pair.after, was, pair.after.status, pair.moved ? pair.before?.subject : undefined);
    if (levelNow > levelThen) newFailures.push(change);
    else if (levelNow > 0) (change.subjectBefore === undefined ? stillFailing : changed).push(change);
    else if (levelThen > 0) fixed.push(change);
  }
  const certificates = isObserved(older.report) && isObserved(newer.report);
  return {
    from: { startedAt: older.report.startedAt },
    to: { startedAt: newer.report.startedAt },
    newFailures: worstFirst(newFailures),
    fixed: worstFirst(fixed, (change) => change.before),
    stillFailing: worstFirst(stillFailing),
    changed: worstFirst(changed),
    renewed: renewals(older, newer),
    countdown: countdown(older, newer),
    domainsAdded: [...newDomains].filter((domain) => !oldDomains.has(domain)),
    domainsRemoved: [...oldDomains].filter((domain) => !newDomains.has(domain)),
    certificatesCompared: certificates,
  };
}

/** 0: nothing to act on (pass, skip, not reported); 1: a warning; 2: a failure or an error. */
function problemLevel(status: Status | undefined): number {
  if (status === 'fail' || status === 'error') return 2;
  return status === 'warn' ? 1 : 0;
}

/** Whether every finding of the run says where it applies (reports written before locations do not). */
function hasLocations(report: Report): boolean {
  // The type says every finding has one; a report file read back from before it may not.
  return report.domains.every((d) => d.findings.every((finding) => (finding.location as Finding['location'] | undefined) !== undefined));
}

/**
 * By findingKey across renewals (domain, check, service and location but the certificate), or by domain, check and
 * subject for runs without locations; the worst when a check reported one location (or subject) twice.
 */
function findingIndex(report: Report, bySubject: boolean): Map<string, Finding> {
  const index = new Map<string, Finding>();
  for (const finding of report.domains.flatMap((d) => d.findings)) {
    const key = bySubject ? `${finding.domain}\u0000${finding.checkId}\u0000${finding.subject}` : findingKey(finding, true);
    const known = index.get(key);
    if (known === undefined || severity(finding.status) > severity(known.status)) index.set(key, finding);
  }
  return index;
}

/** A finding of the older run, the newer, or both: the same finding. */
type FindingPair = { before: Finding; after?: undefined } | { before?: Finding; after: Finding; moved?: true };

/** The finding without where its host answered: the key shared by a renumbered Edge's findings in both runs. */
function identityOf(_key: string, finding: Finding): string {
  const { address: _address, port: _port, ...location } = finding.location;
  return findingKey({ ...finding, location }, true);
}

/**
 * Each finding of either run with its counterpart: the same key first (same address and port); then, among the rest
 * sharing an identity, the same port and address family, then the same family, in subject order. What is left has none.
 */
function pairFindings(before: Map<string, Finding>, after: Map<string, Finding>, identity: (key: string, finding: Finding) => string): FindingPair[] {
  const pairs: FindingPair[] = [];
  const unmatched = new Map<string, Finding[]>();
  for (const [key, finding] of before) {
    const counterpart = after.get(key);
    if (counterpart !== undefined) pairs.push({ before: finding, after: counterpart });
    else unmatched.set(identity(key, finding), [...(unmatched.get(identity(key, finding)) ?? []), finding]);
  }
  const bySubject = (a: Finding, b: Finding) => a.subject.localeCompare(b.subject, 'en', { numeric: true });
  for (const [key, finding] of [...after].filter(([key]) => !before.has(key)).sort(([, a], [, b]) => bySubject(a, b))) {
    const candidates = (unmatched.get(identity(key, finding)) ?? []).sort(bySubject);
    const samePort = candidates.findIndex((old) => old.location.port === finding.location.port && family(old) === family(finding));
    const index = samePort >= 0 ? samePort : candidates.findIndex((old) => family(old) === family(finding));
    const [old] = index >= 0 ? candidates.splice(index, 1) : [];
    pairs.push(old === undefined ? { after: finding } : { before: old, after: finding, moved: true });
  }
  for (const rest of unmatched.values()) pairs.push(...rest.map((finding) => ({ before: finding })));
  return pairs;
}

/** An IPv6 address is not the renumbered IPv4 one: a host that lost one and kept the other is not "moved". */
function family(finding: Finding): string {
  const { address } = finding.location;
  return address === undefined ? '' : address.includes(':') ? 'ipv6' : 'ipv4';
}

function changeOf(finding: Finding, before: Status | undefined, after: Status | undefined, subjectBefore?: string): FindingChange {
  const change: FindingChange = { domain: finding.domain, checkId: finding.checkId, subject: finding.subject, finding };
  if (subjectBefore !== undefined && subjectBefore !== finding.subject) change.subjectBefore = subjectBefore;
  if (before !== undefined) change.before = before;
  if (after !== undefined) change.after = after;
  return change;
}

function worstFirst(changes: FindingChange[], statusOf: (change: FindingChange) => Status | undefined = (c) => c.after): FindingChange[] {
  const rank = (change: FindingChange) => severity(statusOf(change) ?? 'pass');
  return changes.sort(
    (a, b) =>
      rank(b) - rank(a) ||
      a.domain.localeCompare(b.domain) ||
      a.checkId.localeCompare(b.checkId) ||
      a.subject.localeCompare(b.subject, 'en', { numeric: true }),
  );
}

interface SeenLeaf {
  domain: string;
  endpoint: string;
  leaf: SeenCertificate;
}

/** Whether the report carries what its run observed (a report of an older fedcheck does not). */
function isObserved(report: Report): boolean {
  return report.domains.some((domain) => domain.observations !== undefined);
}

/** Each endpoint's leaf certificate, from the report's observations. */
function leavesByEndpoint(run: RunRecord): Map<string, SeenLeaf> {
  return new Map(
    seenCertificates(run.report).map((entry) => [
      `${entry.domain}\u0000${entry.endpoint}`,
      { domain: entry.domain, endpoint: entry.endpoint, leaf: leafOf(entry) },
    ]),
  );
}

function renewals(older: RunRecord, newer: RunRecord): CertificateRenewal[] {
  const then = leavesByEndpoint(older);
  const renewed: CertificateRenewal[] = [];
  for (const [key, now] of leavesByEndpoint(newer)) {
    const old = then.get(key);
    if (old === undefined || old.leaf.sha256 === now.leaf.sha256) continue;
    renewed.push({
      domain: now.domain,
      endpoint: now.endpoint,
      before: old.leaf,
      after: now.leaf,
      laterExpiry: Date.parse(now.leaf.notAfter) > Date.parse(old.leaf.notAfter),
    });
  }
  return renewed;
}

function countdown(older: RunRecord, newer: RunRecord): ExpiryCountdown[] {
  const then = leavesByEndpoint(older);
  return [...leavesByEndpoint(newer)]
    .map(([key, { domain, endpoint, leaf }]) => {
      const entry: ExpiryCountdown = { domain, endpoint, name: leaf.name, notAfter: leaf.notAfter, daysLeftNow: leaf.daysLeft };
      const old = then.get(key);
      if (old !== undefined) entry.daysLeftBefore = old.leaf.daysLeft;
      return entry;
    })
    .sort((a, b) => a.daysLeftNow - b.daysLeftNow || a.domain.localeCompare(b.domain) || a.endpoint.localeCompare(b.endpoint));
}
