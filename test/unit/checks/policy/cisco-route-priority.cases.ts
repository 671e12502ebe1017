import type { CheckCases } from '../../../support/check-tester.js';
import { policyConfig } from '../../../support/policy-config.js';

const routes = (priorities: number[]) =>
  policyConfig({}, {
    own: { cisco: { federationDomains: ['fabrikam.com'], staticRoutes: priorities.map((priority, index) => ({ destinationPattern: '.com.fabrikam', nextHop: `10.0.0.${21 + index}`, priority })) } },
  });

export default {
  valid: [
    { name: 'a primary alone', policy: { config: routes([1]) }, expect: [{ status: 'pass', messageId: 'ordered', domain: 'fabrikam.com', data: { primary: '10.0.0.21', backups: '' } }] },
    { name: 'a primary and two backups', policy: { config: routes([3, 1, 2]) }, expect: [{ status: 'pass', messageId: 'ordered', data: { primary: '10.0.0.22', backups: ', backups 10.0.0.23 (2), 10.0.0.21 (3)' } }] },
  ],
  invalid: [
    { name: 'no priority 1', policy: { config: routes([2, 3]) }, expect: [{ status: 'fail', messageId: 'noPrimary', data: { lowest: 2 }, fix: 'set Priority to 1' }] },
    { name: 'priority 0', policy: { config: routes([0]) }, expect: [{ status: 'fail', messageId: 'noPrimary', data: { lowest: 0 } }] },
    { name: 'two primaries', policy: { config: routes([1, 1]) }, expect: [{ status: 'fail', messageId: 'samePriority', data: { priority: 1, count: 2, nextHops: '10.0.0.21, 10.0.0.22' }, fix: 'set the backups to 2, 3' }] },
    { name: 'two backups with one priority', policy: { config: routes([1, 2, 2]) }, expect: [{ status: 'fail', messageId: 'samePriority', data: { priority: 2 } }] },
  ],
} satisfies CheckCases;
