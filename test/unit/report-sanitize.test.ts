// The per-format sanitisers, against arbitrary text (any code point, lone surrogates included): no control
// character survives in any format, Markdown and HTML cannot gain markup or links, a Nagios line stays one line
// before its perfdata, a Prometheus label value cannot end early.

import fc from 'fast-check';
import { micromark } from 'micromark';
import { gfm, gfmHtml } from 'micromark-extension-gfm';
import { describe, expect, it } from 'vitest';
import { escapeHtml } from '../../src/report/html-escape.js';
import { renderReport } from '../../src/report/index.js';
import { markdownCode, markdownFence, markdownText, nagiosText, prometheusLabel, terminalText } from '../../src/report/sanitize.js';
import { finding, observedRun, reportOf, savedOf } from '../support/report-runs.js';

/** What a terminal, a Markdown viewer or a log reader could act on: C0, DEL, C1, line separators, bidi controls. */
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;
/** Arbitrary text, weighted towards the characters that matter here. */
const hostile = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 200 }),
  fc.string({ unit: fc.constantFrom('\u001b', '\u0007', '\r', '\n', '\t', '\u009b', '\u202e', '<', '>', '&', '"', "'", '`', '*', '_', '[', ']', '(', ')', '!', '|', '#', '\\', '-', '1', '.', ' ', 'a'), maxLength: 60 }),
  // GitHub's literal autolinks: www., http(s)://, e-mail addresses, xmpp: and mailto:.
  fc.array(fc.constantFrom('www.', 'WWW.', 'https://', 'Http://', 'xmpp:', 'mailto:', 'a@b.example', '@', 'evil.example', '/x', ' ', '(', '.', ':', '_'), { maxLength: 8 }).map((parts) => parts.join('')),
);
const RUNS = { numRuns: 2000 };

describe('terminal text', () => {
  it('keeps no control character, and shows each as its escape', () => {
    fc.assert(
      fc.property(hostile, (text) => {
        const shown = terminalText(text);
        expect(shown).not.toMatch(CONTROL);
        expect(shown.split('\\x1b').length).toBeGreaterThanOrEqual(text.split('\u001b').length);
      }),
      RUNS,
    );
    expect(terminalText('a\u001b]0;owned\u0007\u001b[2J\rb')).toBe('a\\x1b]0;owned\\x07\\x1b[2J\\x0db');
  });
});

describe('Markdown', () => {
  /** The text a renderer shows after undoing the backslash escapes and the three entities. */
  const unescaped = (markdown: string) =>
    markdown.replace(/\\([\\`*_[\]|#~+=.)@:-])/g, '$1').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');

  it('prose: one line, no tag, no unescaped markup character, nothing lost', () => {
    fc.assert(
      fc.property(hostile, (text) => {
        const prose = markdownText(text);
        expect(prose).not.toMatch(CONTROL);
        expect(prose).not.toMatch(/[<>]/);
        // Every markup character is escaped: removing the escapes pairwise leaves none.
        expect(prose.replace(/\\[\\`*_[\]|#~+=.)@:-]/g, '')).not.toMatch(/[\\`*_[\]|#~@]/);
        expect(prose).not.toMatch(/^ ?(?:[-+=]|\d+[.)])/);
        expect(prose).not.toMatch(/&(?!amp;|lt;|gt;)/);
        expect(unescaped(prose)).toBe(terminalText(text.replace(/[ \t\r\n]+/g, ' ')));
      }),
      RUNS,
    );
    expect(markdownText('<img src=x onerror=alert(1)>')).toBe('&lt;img src=x onerror=alert(1)&gt;');
    expect(markdownText('[click](https://evil.example)')).toBe('\\[click\\](https\\://evil.example)');
    expect(markdownText('see www.evil.example or admin@evil.example')).toBe('see www\\.evil.example or admin\\@evil.example');
  });

  it('prose, as GitHub renders it (micromark with GFM): one paragraph of plain text, no link, image or tag', () => {
    const decode = (html: string) =>
      html.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&amp;/g, '&');
    fc.assert(
      fc.property(hostile, (text) => {
        const html = micromark(markdownText(text), { extensions: [gfm()], htmlExtensions: [gfmHtml()] });
        const shown = terminalText(text.replace(/[ \t\r\n]+/g, ' ')).trim();
        if (shown === '') return;
        const body = /^<p>([\s\S]*)<\/p>$/.exec(html)?.[1];
        expect(body, html).toBeDefined();
        expect(body).not.toMatch(/</);
        expect(decode(body ?? '')).toBe(shown);
      }),
      RUNS,
    );
  });

  it('code span: no backtick run inside as long as its own, one line, no control character', () => {
    fc.assert(
      fc.property(hostile, (text) => {
        const span = markdownCode(text);
        const ticks = /^`+/.exec(span)?.[0] ?? '';
        expect(ticks.length).toBeGreaterThan(0);
        expect(span.endsWith(ticks)).toBe(true);
        const inside = span.slice(ticks.length, span.length - ticks.length);
        expect(Math.max(0, ...(inside.match(/`+/g) ?? []).map((run) => run.length))).toBeLessThan(ticks.length);
        expect(span).not.toMatch(CONTROL);
      }),
      RUNS,
    );
  });

  it('fenced block: no line inside can close the fence, no control character', () => {
    fc.assert(
      fc.property(hostile, fc.string({ maxLength: 10 }), (text, lang) => {
        const [open = '', ...rest] = markdownFence(lang, text);
        const fence = /^`+/.exec(open)?.[0] ?? '';
        expect(fence.length).toBeGreaterThanOrEqual(3);
        expect(open.slice(fence.length)).toMatch(/^[a-z0-9+-]*$/i);
        expect(rest.at(-1)).toBe(fence);
        for (const line of rest.slice(0, -1)) {
          expect(line).not.toMatch(CONTROL);
          expect(line.trimStart().startsWith(fence)).toBe(false);
        }
      }),
      RUNS,
    );
  });
});

describe('HTML', () => {
  it('no tag, attribute quote or stray entity can be formed', () => {
    fc.assert(
      fc.property(hostile, (text) => {
        const html = escapeHtml(text);
        expect(html).not.toMatch(/[<>"']/);
        expect(html).not.toMatch(/&(?!amp;|lt;|gt;|quot;|#39;)/);
        expect(html).not.toMatch(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/);
      }),
      RUNS,
    );
  });
});

describe('Nagios', () => {
  it('one line, no pipe (which would start the perfdata), no control character', () => {
    fc.assert(
      fc.property(hostile, (text) => {
        const line = nagiosText(text);
        expect(line).not.toMatch(/[|]/);
        expect(line).not.toMatch(CONTROL);
      }),
      RUNS,
    );
  });
});

describe('Prometheus label values', () => {
  /** The exposition format's reading of a label value: the value as a scraper stores it. */
  const parsed = (value: string) => value.replace(/\\(["\\n])/g, (_, c: string) => (c === 'n' ? '\n' : c));

  it('cannot end the value early, and read back is the text with its controls escaped', () => {
    fc.assert(
      fc.property(hostile, (text) => {
        const label = prometheusLabel(text);
        expect(label).not.toMatch(CONTROL);
        // A quote is always escaped: the backslashes before it are odd in number.
        for (const match of label.matchAll(/(\\*)"/g)) expect((match[1] ?? '').length % 2).toBe(1);
        expect(label.endsWith('\\') && !label.endsWith('\\\\')).toBe(false);
        expect(parsed(label)).toBe(terminalText(text));
      }),
      RUNS,
    );
  });
});

describe('reports with a hostile name from DNS', () => {
  const NAME = 'sip.\u001b]0;owned\u0007\u001b[2J\r<img src=x onerror=alert(1)>.example.com';
  const report = reportOf([finding('dns.srv-target-address', NAME, 'fail', { service: 'sip', message: `${NAME} has no address`, evidence: [`SRV target ${NAME}`] })]);
  const saved = savedOf({}, [{ domain: 'example.com', input: 'example.com', services: ['sip'] }]);

  for (const format of ['terminal', 'md', 'nagios', 'prom'] as const) {
    it(`${format}: no control character from the name reaches the output, each shown as its escape`, () => {
      const text = renderReport(format, observedRun(report, saved).report, { color: format === 'terminal' });
      // Only the report's own colour codes remain, and line feeds between its lines.
      const withoutOwnColours = text.replace(/\u001b\[(?:\d+)m/g, '');
      expect(withoutOwnColours.replace(/\n/g, '')).not.toMatch(CONTROL);
      // A label value escapes its backslashes: the scraper stores `\x1b`, as the other formats show it.
      if (format === 'prom') expect(text).toContain('subject="sip.\\\\x1b]0;owned\\\\x07');
      else if (format !== 'nagios') expect(text).toContain('\\x1b]0;owned\\x07');
      // Code spans and fenced blocks show markup as text (CommonMark recognises no HTML there); elsewhere it is escaped.
      if (format === 'md') expect(text.replace(/^(`{3,})[^\n]*\n[\s\S]*?\n\1$/gm, '').replace(/(`+)[^`]*?\1/g, '')).not.toMatch(/<img/);
    });
  }
});
