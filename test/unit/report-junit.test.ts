import { SaxesParser } from 'saxes';
import { describe, expect, it } from 'vitest';
import { replay } from '../../src/engine/run.js';
import { renderJunit } from '../../src/report/junit.js';
import { finding, hostileRun, labRun, reportOf } from '../support/report-runs.js';

interface XmlElement {
  name: string;
  attributes: Record<string, string>;
  text: string;
  children: XmlElement[];
}

/** Parses with saxes, which throws on anything not well-formed. */
function parseXml(xml: string): XmlElement {
  const parser = new SaxesParser();
  const root: XmlElement = { name: '#document', attributes: {}, text: '', children: [] };
  const stack = [root];
  parser.on('error', (error) => {
    throw error;
  });
  parser.on('opentag', (tag) => {
    const element: XmlElement = { name: tag.name, attributes: tag.attributes as Record<string, string>, text: '', children: [] };
    stack[stack.length - 1]?.children.push(element);
    stack.push(element);
  });
  parser.on('text', (text) => {
    const top = stack[stack.length - 1];
    if (top) top.text += text;
  });
  parser.on('closetag', () => stack.pop());
  parser.write(xml).close();
  const [document] = root.children;
  if (document === undefined) throw new Error('no root element');
  return document;
}

const all = (element: XmlElement, name: string): XmlElement[] =>
  element.children.flatMap((child) => [...(child.name === name ? [child] : []), ...all(child, name)]);

// Judged again from the recorded facts, so every finding has the location the checks give it now.
const lab = { report: replay(labRun().saved, 'fixtures/facts/lab-demo.json') };
const xml = renderJunit(lab.report);
const doc = parseXml(xml);

describe('JUnit XML', () => {
  it('is well-formed, with one testsuite per domain and one testcase per finding', () => {
    expect(xml.startsWith('<?xml version="1.0" encoding="UTF-8"?>')).toBe(true);
    expect(doc.name).toBe('testsuites');
    const suites = all(doc, 'testsuite');
    expect(suites.map((s) => s.attributes.name)).toEqual(lab.report.domains.map((d) => d.domain));
    const total = lab.report.domains.reduce((sum, d) => sum + d.findings.length, 0);
    expect(all(doc, 'testcase')).toHaveLength(total);
    expect(doc.attributes.tests).toBe(String(total));
  });

  it('counts failures, errors and skipped as the report does', () => {
    const { counts } = lab.report.summary;
    expect(all(doc, 'failure')).toHaveLength(counts.fail);
    expect(all(doc, 'error')).toHaveLength(counts.error);
    expect(all(doc, 'skipped')).toHaveLength(counts.skip);
    // The schema has no skipped on <testsuites>: each <testsuite> counts its own.
    expect(doc.attributes).toMatchObject({ failures: String(counts.fail), errors: String(counts.error) });
    for (const suite of all(doc, 'testsuite')) {
      const domain = lab.report.domains.find((d) => d.domain === suite.attributes.name);
      expect(suite.attributes.failures).toBe(String(domain?.counts.fail));
      expect(suite.attributes.skipped).toBe(String(domain?.counts.skip));
      expect(all(suite, 'failure')).toHaveLength(domain?.counts.fail ?? -1);
    }
  });

  it('names test cases by check and location, classes by domain, service and area', () => {
    const cases = all(doc, 'testcase');
    const srv = cases.find((c) => c.attributes.name === 'dns.xmpp-server-srv _xmpp-server._tcp.no-srv.test');
    expect(srv?.attributes.classname).toBe('no-srv.test.xmpp.dns');
    const failure = srv?.children.find((c) => c.name === 'failure');
    expect(failure?.attributes.type).toBe('dns.xmpp-server-srv');
    expect(failure?.text).toContain('Evidence:');
    expect(failure?.text).toContain('Fix: ');
    expect(failure?.text).toContain('More: fedcheck explain dns.xmpp-server-srv');
    const expiry = cases.find((c) => c.attributes.classname === 'healthy.test.sip.tls' && c.attributes.name?.startsWith('tls.certificate-expiry '));
    expect(expiry?.attributes.name).toMatch(/^tls\.certificate-expiry sip\.healthy\.test \S+:5061 sha256:[0-9a-f]{16}$/);
  });

  it('gives no two test cases of a suite one class and name', () => {
    for (const suite of all(doc, 'testsuite')) {
      const ids = all(suite, 'testcase').map((c) => `${c.attributes.classname} ${c.attributes.name}`);
      expect(ids.filter((id, index) => ids.indexOf(id) !== index)).toEqual([]);
    }
  });

  it('keeps a test case name when only the subject text changes, and tells two faults at one location apart', () => {
    const location = { domain: 'example.com', host: 'sip.example.com', address: '203.0.113.5', port: 5061, certificate: 'ab'.repeat(32) };
    const names = (subject: string) =>
      all(parseXml(renderJunit(reportOf([finding('tls.certificate-key-strength', subject, 'fail', { location, messageId: 'weakKey' }), finding('tls.certificate-key-strength', subject, 'fail', { location, messageId: 'weakSignature' })]))), 'testcase').map((c) => c.attributes.name);
    const expected = [
      'tls.certificate-key-strength sip.example.com 203.0.113.5:5061 sha256:abababababababab (weakKey)',
      'tls.certificate-key-strength sip.example.com 203.0.113.5:5061 sha256:abababababababab (weakSignature)',
    ];
    expect(names('sip.example.com 203.0.113.5:5061')).toEqual(expected);
    expect(names('the Edge, as shown')).toEqual(expected);
  });

  it('passes a warning with the warning in system-out, and information likewise', () => {
    const all_ = lab.report.domains.flatMap((d) => d.findings);
    const outs = all(doc, 'system-out');
    expect(outs.filter((out) => out.text.startsWith('WARNING: '))).toHaveLength(all_.filter((f) => f.status === 'warn').length);
    expect(outs.filter((out) => out.text.startsWith('INFO: '))).toHaveLength(all_.filter((f) => f.status === 'info').length);
    expect(outs).toHaveLength(all_.filter((f) => f.status === 'warn' || f.status === 'info').length);
  });

  it('stays well-formed with markup, quotes and control characters from the network', async () => {
    const hostile = await hostileRun();
    const nasty = finding('sip.options-response', 'a "b" <c> & d', 'fail', {
      message: 'bell \u0007 escape \u001b[31m nul \u0000 lone \ud800 ]]> end',
      evidence: ['</failure><injected/>', 'tab\there\r\nnext'],
    });
    const report = reportOf([...hostile.report.domains[0]!.findings, nasty]);
    const parsed = parseXml(renderJunit(report));
    expect(all(parsed, 'injected')).toHaveLength(0);
    const failures = all(parsed, 'failure');
    expect(failures.map((f) => f.attributes.message)).toContain('bell \ufffd escape \ufffd[31m nul \ufffd lone \ufffd ]]> end');
    expect(failures.some((f) => f.text.includes('</failure><injected/>'))).toBe(true);
    expect(all(parsed, 'testcase').map((c) => c.attributes.name)).toContain('sip.options-response a "b" <c> & d');
  });
});
