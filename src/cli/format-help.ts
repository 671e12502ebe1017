// The --format help of the commands that render a Report. The formats are written out here rather than read from
// the reporters' registry, so defining the commands (for --help and --version) loads no reporter;
// test/unit/format-help.test.ts holds both texts to the registry.

import { DEFAULTS } from '../util/defaults.js';

/** The --format help of `check` and `demo`. */
export const FORMAT_HELP = `report format: terminal, json, html (one self-contained page), md (Markdown for a ticket), junit (JUnit XML), prom (Prometheus textfile metrics) or nagios (one status line with perfdata, exit 0-3) (default: ${DEFAULTS.format})`;

/** The --format help of `fedcheck run`, in the registry's order. */
export const RUN_FORMAT_HELP =
  'print the report on stdout in this format: terminal, json, junit, html, md, prom, nagios (default: the terminal report, or a short summary with --out-dir)';
