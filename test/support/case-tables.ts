/// <reference types="vite/client" />
// Every check's case table, by check id: test/unit/checks/<area>/<name>.cases.ts holds the cases of `<area>.<name>`.

import type { CheckCases } from './check-tester.js';

const caseModules = import.meta.glob<{ default: CheckCases }>('../unit/checks/**/*.cases.ts', { eager: true });

/** `../unit/checks/dns/sip-federation-srv.cases.ts` → `dns.sip-federation-srv`. */
export const casesById = new Map<string, CheckCases>(
  Object.entries(caseModules).map(([path, module]) => {
    const [area, file] = path.replace('../unit/checks/', '').split('/');
    return [`${area}.${file?.replace(/\.cases\.ts$/, '')}`, module.default];
  }),
);
