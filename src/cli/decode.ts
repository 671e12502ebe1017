// `fedcheck decode '<ms-diagnostics header>'`: what a header pasted from a Lync / Skype for Business trace says, with
// the same code table, parameter explanations and fixes as the sip.ms-diagnostics check.

import msDiagnosticsCheck from '../../checks/sip/ms-diagnostics.js';
import type { FindingData } from '../model/check.js';
import { UsageError } from '../model/errors.js';
import { EXIT } from '../model/finding.js';
import type { Fix } from '../model/finding.js';
import { MAX_PASTED_CHARS, decodeDiagnostic, diagnosticFixId, diagnosticPlaceholders, parsePastedDiagnostics } from '../judge/ms-diagnostics.js';
import type { MsDiagnostic } from '../judge/ms-diagnostics.js';
import { withPlaceholderNames } from '../report/check-docs.js';
import { renderDecodedJson, renderDecodedTerminal } from '../report/ms-diagnostics.js';
import type { DecodedWithFix } from '../report/ms-diagnostics.js';
import { parseChoice } from '../util/choices.js';

const FORMATS = ['terminal', 'json'] as const;

export async function runDecode(headers: string[], flags: { format?: string }): Promise<number> {
  const format = parseChoice(flags.format, '--format', FORMATS, 'terminal');
  const text = headers.length === 0 || (headers.length === 1 && headers[0] === '-') ? await readStdin() : headers.join('\n');
  const parsed = parsePastedDiagnostics(text);
  if ('error' in parsed) throw new UsageError(parsed.error);
  const decoded = parsed.diagnostics.map(withFix);
  process.stdout.write(format === 'json' ? renderDecodedJson(decoded) : renderDecodedTerminal(decoded));
  return EXIT.ok;
}

function withFix(diagnostic: MsDiagnostic): DecodedWithFix {
  const decoded = decodeDiagnostic(diagnostic);
  const fixId = diagnosticFixId(diagnostic);
  const template = fixId === undefined ? undefined : msDiagnosticsCheck.meta.fixes[fixId];
  if (template === undefined) return decoded;
  const placeholders = diagnosticPlaceholders(diagnostic);
  // The header names the domain it was about; without a run there is no other target domain.
  const data: FindingData = { ...placeholders, ...(placeholders.peerDomain !== undefined ? { domain: placeholders.peerDomain } : {}) };
  const fill = (text: string) => fillKnown(text, data);
  const fix: Fix = {
    summary: fill(template.summary),
    steps: template.steps.map(fill),
    snippets: (template.snippets ?? []).map((snippet) => ({ lang: snippet.lang, text: fill(snippet.text) })),
  };
  return { ...decoded, fix };
}

/** Fills the placeholders the header gave values for; the others read `<name>`, as in `fedcheck explain`. */
function fillKnown(template: string, data: FindingData): string {
  return withPlaceholderNames(
    template.replace(/\{\{\s*([a-zA-Z0-9_]+)\s*\}\}/g, (placeholder, name: string) => (data[name] === undefined ? placeholder : String(data[name]))),
  );
}

/** Standard input up to the size a pasted block may have; a terminal gets a prompt on stderr first. */
async function readStdin(): Promise<string> {
  if (process.stdin.isTTY) process.stderr.write('Paste the ms-diagnostics header(s), then press Ctrl+D:\n');
  let text = '';
  process.stdin.setEncoding('utf8');
  for await (const chunk of process.stdin) {
    text += String(chunk);
    if (text.length > MAX_PASTED_CHARS) {
      process.stdin.destroy();
      throw new UsageError(`standard input is longer than ${MAX_PASTED_CHARS} characters: paste only the ms-diagnostics headers`);
    }
  }
  return text;
}
