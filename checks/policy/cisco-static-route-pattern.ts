// Cisco static routes: the destination pattern is the remote domain reversed with a leading dot, route type domain.

import { entryPath, primaryOwnDomain } from '../../src/policy/config-views.js';
import { knownRemoteDomains, readPattern, reversedPattern } from '../../src/policy/cisco-routes.js';
import { defineCheck } from '../../src/model/check.js';
import type { FindingDraft } from '../../src/model/check.js';
import { REFERENCES } from '../../src/judge/references.js';

const UI_STEP = 'Cisco Unified CM IM and Presence Administration: Presence > Routing > Static Routes, open the route {{pattern}}.';
const CLUSTER_STEP = 'Static routes are cluster-wide: make the change on the IM and Presence database publisher node of each cluster.';

export default defineCheck({
  meta: {
    id: 'policy.cisco-static-route-pattern',
    area: 'policy',
    title: 'Static route destination patterns are the reversed remote domains',
    failureTitle: 'A static route destination pattern will not match its remote domain',
    description:
      'IM and Presence matches a static route against the destination domain written backwards: remote.com must be entered ' +
      'as .com.remote, with route type domain; a pattern written forwards never matches and messages to the partner are not routed.',
    services: ['sip'],
    judgedPer: 'config',
    requires: ['policy'],
    references: [REFERENCES.ciscoIntradomain, REFERENCES.ciscoSipFederation],
    messages: {
      reversed: '{{pattern}} is {{domain}} reversed, route type domain',
      missingDot: '{{pattern}} lacks the leading dot of a reversed domain: for {{domain}} the pattern is {{right}}',
      notReversed: '{{pattern}} is written forwards: for {{domain}} the pattern is {{right}}',
      invalid: '{{pattern}} is not a reversed domain: {{reason}}',
      userRouteType: 'the route {{pattern}} has route type user: a remote domain needs route type domain',
    },
    fixes: {
      reversePattern: {
        summary: 'Set the destination pattern to {{right}}',
        steps: [UI_STEP, 'Set Destination Pattern to {{right}} ({{domain}} reversed, with a leading dot) and click Save.', CLUSTER_STEP],
      },
      writePattern: {
        summary: 'Write the destination pattern as the remote domain reversed, such as .com.remote for remote.com',
        steps: [UI_STEP, 'Set Destination Pattern to the remote domain written backwards with a leading dot (remote.com → .com.remote) and click Save.', CLUSTER_STEP],
      },
      domainRouteType: {
        summary: 'Set the route type of {{pattern}} to domain',
        steps: [UI_STEP, 'Choose domain for Route Type and click Save.', CLUSTER_STEP],
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
    return cisco.staticRoutes.flatMap((route, index): FindingDraft[] => {
      const pattern = route.destinationPattern;
      const subject = `static route ${pattern}`;
      const location = { policyEntry: entryPath('own.cisco.staticRoutes', index) };
      const reading = readPattern(pattern, known);
      if (reading.state === 'invalid') {
        return [{ domain: own, status: 'fail', subject, location, messageId: 'invalid', data: { pattern, reason: reading.reason }, fixId: 'writePattern' }];
      }
      const { domain } = reading;
      const data = { pattern, domain, right: reversedPattern(domain) };
      const drafts: FindingDraft[] = [];
      if (reading.state === 'ok') {
        if (route.routeType === 'domain') drafts.push({ domain, status: 'pass', subject, location, messageId: 'reversed', data });
      } else {
        const messageId = reading.state === 'missing-dot' ? 'missingDot' : 'notReversed';
        drafts.push({ domain, status: 'fail', subject, location, messageId, data, fixId: 'reversePattern' });
      }
      if (route.routeType === 'user') drafts.push({ domain, status: 'fail', subject, location, messageId: 'userRouteType', data, fixId: 'domainRouteType' });
      return drafts;
    });
  },
});
