// `fedcheck decode`: decoded ms-diagnostics headers as text for people or JSON for scripts.

import type { Fix } from '../model/finding.js';
import type { DecodedDiagnostic } from '../judge/ms-diagnostics.js';
import { hanging } from './wrap.js';
import { terminalText } from './sanitize.js';

export const DECODE_SCHEMA_VERSION = 1;

/** One decoded header and the fix sip.ms-diagnostics would give for it (none for an informational code). */
export interface DecodedWithFix extends DecodedDiagnostic {
  fix?: Fix;
}

const VERDICTS = { pass: 'information', warn: 'warning', fail: 'failure' } as const;
const PARAMETER = '    ';
const DETAIL = '        ';

export function renderDecodedTerminal(decoded: readonly DecodedWithFix[]): string {
  return `${decoded.map(diagnosticLines).map((lines) => lines.map(terminalText).join('\n')).join('\n\n')}\n`;
}

export function renderDecodedJson(decoded: readonly DecodedWithFix[]): string {
  return `${JSON.stringify({ schemaVersion: DECODE_SCHEMA_VERSION, diagnostics: decoded }, null, 2)}\n`;
}

function diagnosticLines(diagnostic: DecodedWithFix): string[] {
  const { known } = diagnostic;
  const code = diagnostic.code ?? diagnostic.raw;
  const lines = known
    ? [
        ...hanging('', `${diagnostic.header} ${code}: ${VERDICTS[known.status]}: ${known.meaning}`),
        ...hanging('  Microsoft\'s text: ', `"${known.reason}" (${known.source.title}, ${known.source.url})`),
      ]
    : hanging('', `${diagnostic.header} ${code}: a code fedcheck does not know; the parameters below are what it says`);
  if (diagnostic.parameters.length > 0) lines.push('  Parameters:');
  for (const parameter of diagnostic.parameters) {
    lines.push(...hanging(PARAMETER, `${parameter.name} = ${parameter.value}`));
    lines.push(...hanging(DETAIL, parameter.meaning ?? '(a parameter fedcheck does not explain)'));
    if (parameter.valueMeaning !== undefined) lines.push(...hanging(DETAIL, parameter.valueMeaning));
  }
  if (diagnostic.fix) lines.push(...fixLines(diagnostic.fix));
  return lines;
}

function fixLines(fix: Fix): string[] {
  const lines = hanging('  Fix: ', fix.summary);
  fix.steps.forEach((step, index) => lines.push(...hanging(`    ${index + 1}. `, step)));
  for (const snippet of fix.snippets) {
    // Snippets are pasted as they are, so they are never wrapped.
    lines.push(`    ${snippet.lang}:`, ...snippet.text.split('\n').map((text) => `      ${text}`));
  }
  return lines;
}
