// The registry: every check fedcheck runs, in documentation order. Adding a check is one file plus one line here.

import type { Check } from '../src/engine/check.js';

export const allChecks: Check[] = [];
