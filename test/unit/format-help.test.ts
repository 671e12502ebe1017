// The --format help texts are written out so defining the commands loads no reporter; they must still name every
// format the registry renders, in its order, and nothing else.

import { describe, expect, it } from 'vitest';
import { FORMAT_HELP, RUN_FORMAT_HELP } from '../../src/cli/format-help.js';
import { REPORT_FORMATS } from '../../src/report/index.js';

describe('--format help', () => {
  it('of fedcheck run lists the formats of the registry, in its order', () => {
    expect(RUN_FORMAT_HELP).toContain(`in this format: ${REPORT_FORMATS.join(', ')} (default:`);
  });

  it('of check and demo names every format of the registry and no other', () => {
    // Each format is a word after "report format: ", ", " or " or ", once the explanations in brackets are dropped.
    const named = [...FORMAT_HELP.replace(/ \([^)]*\)/g, '').matchAll(/(?:^report format: |, | or )(\w+)/g)].map((match) => match[1]);
    expect(named.sort()).toEqual([...REPORT_FORMATS].sort());
  });
});
