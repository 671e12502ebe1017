// JUnit XML for CI dashboards, valid against the JUnit schema Jenkins reads (test/fixtures/junit/junit-10.xsd): one
// <testsuite> per domain, one <testcase> per check and location. A warning is a passing test case with the warning in
// <system-out>, so a build can stay green on warnings (README "JUnit XML").

import type { Finding } from '../model/finding.js';
import { describeLocation } from '../model/location.js';
import type { DomainReport, Report } from '../model/report.js';
import { defineReporter } from './reporter.js';

export const junitReporter = defineReporter({ id: 'junit', extension: 'xml', outFile: 'junit.xml', render: (report) => renderJunit(report) });

export function renderJunit(report: Report): string {
  const { counts } = report.summary;
  const total = report.domains.reduce((sum, d) => sum + d.findings.length, 0);
  // The schema CI tools read (Jenkins's junit-10.xsd, test/fixtures/junit/) has no skipped or timestamp here: each
  // <testsuite> carries them.
  const root = attributes({ name: 'fedcheck', tests: total, failures: counts.fail, errors: counts.error, time: seconds(report.durationMs) });
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites${root}>`,
    ...report.domains.map((domain) => suite(domain, report.startedAt)),
    '</testsuites>',
    '',
  ].join('\n');
}

function suite(domain: DomainReport, timestamp: string): string {
  const head = attributes({
    name: domain.domain,
    tests: domain.findings.length,
    failures: domain.counts.fail,
    errors: domain.counts.error,
    skipped: domain.counts.skip,
    time: '0',
    timestamp,
  });
  const properties = {
    services: domain.services.join(','),
    ...(domain.role !== undefined ? { role: domain.role } : {}),
    ...(domain.note !== undefined ? { note: domain.note } : {}),
  };
  return [
    `  <testsuite${head}>`,
    '    <properties>',
    ...Object.entries(properties).map(([name, value]) => `      <property${attributes({ name, value })}/>`),
    '    </properties>',
    ...testcaseNames(domain.findings).map(([finding, name]) => testcase(finding, name)),
    '  </testsuite>',
  ].join('\n');
}

/**
 * Each finding's test case name: its check and where it applies, which a dashboard tracks from build to build. A
 * check that reports one location twice (two faults of one certificate) gets each message id added, so no two
 * test cases of a suite (classes are per service) share a name.
 */
function testcaseNames(findings: readonly Finding[]): [Finding, string][] {
  const named = findings.map((finding) => ({ finding, name: `${finding.checkId} ${describeLocation(finding.location)}` }));
  const uses = new Map<string, number>();
  const key = ({ finding, name }: { finding: Finding; name: string }) => `${finding.service}\u0000${name}`;
  for (const entry of named) uses.set(key(entry), (uses.get(key(entry)) ?? 0) + 1);
  return named.map((entry) => [entry.finding, (uses.get(key(entry)) ?? 0) > 1 ? `${entry.name} (${entry.finding.messageId})` : entry.name]);
}

function testcase(finding: Finding, name: string): string {
  const head = `    <testcase${attributes({ name, classname: `${finding.domain}.${finding.service}.${finding.area}`, time: '0' })}`;
  switch (finding.status) {
    case 'pass':
      return `${head}/>`;
    case 'info':
      return `${head}>\n      <system-out>${text(`INFO: ${finding.message}`)}</system-out>\n    </testcase>`;
    case 'skip':
      return `${head}>\n      <skipped${attributes({ message: finding.message })}/>\n    </testcase>`;
    case 'warn':
      return `${head}>\n      <system-out>${text(`WARNING: ${details(finding)}`)}</system-out>\n    </testcase>`;
    case 'fail':
    case 'error': {
      const element = finding.status === 'fail' ? 'failure' : 'error';
      return `${head}>\n      <${element}${attributes({ message: finding.message, type: finding.checkId })}>${text(details(finding))}</${element}>\n    </testcase>`;
    }
  }
}

/** What a CI log shows under the test: the message, the evidence, the fix and where to read more. */
function details(finding: Finding): string {
  const lines = [finding.message];
  if (finding.evidence.length > 0) lines.push('', 'Evidence:', ...finding.evidence.map((line) => `  ${line}`));
  if (finding.fix !== undefined) {
    lines.push('', `Fix: ${finding.fix.summary}`, ...finding.fix.steps.map((step, index) => `  ${index + 1}. ${step}`));
    for (const snippet of finding.fix.snippets) lines.push('', `[${snippet.lang}]`, snippet.text);
  }
  lines.push('', `More: fedcheck explain ${finding.checkId}`);
  return lines.join('\n');
}

function attributes(values: Record<string, string | number>): string {
  return Object.entries(values)
    .map(([name, value]) => ` ${name}="${attribute(String(value))}"`)
    .join('');
}

/** Characters XML 1.0 cannot hold at all (most C0 controls, U+FFFE/U+FFFF, lone surrogates) become U+FFFD. */
function xmlSafe(value: string): string {
  return value.replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, '\ufffd');
}

function text(value: string): string {
  return xmlSafe(value).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** Line breaks and tabs as character references, so attribute normalization keeps them. */
function attribute(value: string): string {
  return text(value).replace(/"/g, '&quot;').replace(/\n/g, '&#10;').replace(/\r/g, '&#13;').replace(/\t/g, '&#9;');
}

function seconds(ms: number): string {
  return (ms / 1000).toFixed(3);
}
