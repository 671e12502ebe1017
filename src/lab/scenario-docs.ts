// The lab's scenarios as a markdown table, for the README (kept in sync by a test) and `fedcheck lab`.

import { SCENARIOS } from './scenarios.js';

export function renderScenariosMarkdown(): string {
  return [
    '| Domain | What it shows |',
    '|---|---|',
    ...SCENARIOS.map(({ domain, shows }) => `| \`${domain}\` | ${shows} |`),
  ].join('\n');
}
