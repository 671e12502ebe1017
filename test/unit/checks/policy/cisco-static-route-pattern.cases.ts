import type { CheckCases } from '../../../support/check-tester.js';
import { policyConfig } from '../../../support/policy-config.js';

const cisco = (federationDomains: unknown[], staticRoutes: Record<string, unknown>[]) =>
  policyConfig({}, { own: { cisco: { federationDomains, staticRoutes: staticRoutes.map((route) => ({ nextHop: '10.0.0.21', ...route })) } } });

export default {
  valid: [
    {
      name: 'remote.com as .com.remote, and a wildcard for the names below it',
      policy: { config: cisco(['remote.com', 'fabrikam.co.uk'], [{ destinationPattern: '.com.remote' }, { destinationPattern: '.uk.co.fabrikam.*' }]) },
      expect: [
        { status: 'pass', messageId: 'reversed', domain: 'remote.com', subject: 'static route .com.remote' },
        { status: 'pass', messageId: 'reversed', domain: 'fabrikam.co.uk' },
      ],
    },
    { name: 'a pattern for a domain the config does not name is read as written', policy: { config: cisco([], [{ destinationPattern: '.com.northwind' }]) }, expect: [{ status: 'pass', messageId: 'reversed', domain: 'northwind.com' }] },
    { name: 'no Cisco section', policy: { config: policyConfig() }, expect: [] },
  ],
  invalid: [
    {
      name: 'the domain written as is',
      policy: { config: cisco(['remote.com'], [{ destinationPattern: 'remote.com' }]) },
      expect: [{ status: 'fail', messageId: 'missingDot', data: { domain: 'remote.com', right: '.com.remote' }, fix: 'Presence > Routing > Static Routes' }],
    },
    {
      name: 'reversed but without the dot',
      policy: { config: cisco(['remote.com'], [{ destinationPattern: 'com.remote' }]) },
      expect: [{ status: 'fail', messageId: 'missingDot', data: { domain: 'remote.com', right: '.com.remote' } }],
    },
    {
      name: 'a leading dot but written forwards',
      policy: { config: cisco(['remote.com'], [{ destinationPattern: '.remote.com' }]) },
      expect: [{ status: 'fail', messageId: 'notReversed', domain: 'remote.com', data: { right: '.com.remote' }, fix: 'Destination Pattern to .com.remote' }],
    },
    { name: 'not a domain at all', policy: { config: cisco([], [{ destinationPattern: '.com_remote' }]) }, expect: [{ status: 'fail', messageId: 'invalid', domain: 'contoso.com' }] },
    {
      name: 'route type user',
      policy: { config: cisco(['remote.com'], [{ destinationPattern: '.com.remote', routeType: 'user' }]) },
      expect: [{ status: 'fail', messageId: 'userRouteType', fix: 'Choose domain for Route Type' }],
    },
  ],
} satisfies CheckCases;
