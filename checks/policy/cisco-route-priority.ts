// Cisco static routes per remote domain: the primary has priority 1, backups greater and distinct.

import { knownRemoteDomains, routeDomain } from '../../src/policy/cisco-routes.js';
import type { CiscoStaticRoute } from '../../src/model/config.js';
import { entryPath, primaryOwnDomain } from '../../src/policy/config-views.js';
import { defineCheck } from '../../src/model/check.js';
import type { FindingDraft } from '../../src/model/check.js';
import { REFERENCES } from '../../src/judge/references.js';

const UI_STEP = 'Cisco Unified CM IM and Presence Administration: Presence > Routing > Static Routes, Find the routes for {{pattern}}.';

export default defineCheck({
  meta: {
    id: 'policy.cisco-route-priority',
    area: 'policy',
    title: 'Each remote domain has one primary static route and distinct backups',
    failureTitle: 'Static route priorities leave no clear primary',
    description:
      'The primary static route has priority 1 and backups greater values (the lower the value, the higher the priority); ' +
      'a backup is used only when the primary\'s next hop is unreachable, so two routes with one priority make the choice arbitrary.',
    services: ['sip'],
    judgedPer: 'config',
    requires: ['policy'],
    references: [REFERENCES.ciscoIntradomain],
    messages: {
      ordered: '{{pattern}}: primary {{primary}} with priority 1{{backups}}',
      noPrimary: '{{pattern}} has no primary route: its lowest priority is {{lowest}}, and the primary\'s must be 1',
      samePriority: '{{pattern}} has {{count}} routes with priority {{priority}} ({{nextHops}}): backups need distinct priorities greater than 1',
    },
    fixes: {
      setPrimary: {
        summary: 'Give the primary route of {{pattern}} priority 1',
        steps: [UI_STEP, 'Open the route to the preferred Front End and set Priority to 1; leave the backups at 2, 3...', 'Make the change on the publisher node of each cluster.'],
      },
      distinctPriorities: {
        summary: 'Give each route of {{pattern}} its own priority',
        steps: [UI_STEP, 'Keep priority 1 on the primary and set the backups to 2, 3... in the order they should take over.'],
      },
    },
  },
  evaluate({ facts }) {
    const config = facts.policy()?.config;
    if (config === undefined) return [];
    const cisco = config.own.cisco;
    if (cisco === undefined) return [];
    const known = knownRemoteDomains(config);
    const own = primaryOwnDomain(config);
    const groups = new Map<string, CiscoStaticRoute[]>();
    for (const route of cisco.staticRoutes) {
      const key = route.destinationPattern.trim().toLowerCase();
      groups.set(key, [...(groups.get(key) ?? []), route]);
    }
    return [...groups].flatMap(([pattern, routes]): FindingDraft[] => {
      const [first] = routes;
      const domain = (first && routeDomain(first, known)) ?? own;
      const subject = `static routes ${pattern}`;
      // The group's first route stands for it, whatever its findings.
      const location = { policyEntry: entryPath('own.cisco.staticRoutes', cisco.staticRoutes.findIndex((route) => route === first)) };
      const drafts: FindingDraft[] = [];
      const lowest = Math.min(...routes.map((route) => route.priority));
      if (lowest !== 1) drafts.push({ domain, status: 'fail', subject, location, messageId: 'noPrimary', data: { pattern, lowest }, fixId: 'setPrimary' });
      for (const priority of new Set(routes.map((route) => route.priority))) {
        const same = routes.filter((route) => route.priority === priority);
        if (same.length < 2) continue;
        const nextHops = same.map((route) => route.nextHop).join(', ');
        drafts.push({ domain, status: 'fail', subject, location, messageId: 'samePriority', data: { pattern, priority, count: same.length, nextHops }, fixId: 'distinctPriorities' });
      }
      if (drafts.length > 0) return drafts;
      const sorted = [...routes].sort((a, b) => a.priority - b.priority);
      const backups = sorted.slice(1).map((route) => `${route.nextHop} (${route.priority})`);
      const data = { pattern, primary: sorted[0]?.nextHop ?? '', backups: backups.length === 0 ? '' : `, backups ${backups.join(', ')}` };
      return [{ domain, status: 'pass', subject, location, messageId: 'ordered', data }];
    });
  },
});
