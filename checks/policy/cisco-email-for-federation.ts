// Email address for federation is unsupported with partitioned intradomain or Microsoft interdomain federation.

import { primaryOwnDomain } from '../../src/policy/config-views.js';
import { defineCheck } from '../../src/model/check.js';
import { REFERENCES } from '../../src/judge/references.js';

export default defineCheck({
  meta: {
    id: 'policy.cisco-email-for-federation',
    area: 'policy',
    title: 'Email address for federation is off where it is not supported',
    failureTitle: 'Email address for federation is on where it is not supported',
    description:
      'IM and Presence does not support email address for federation with partitioned intradomain federation, nor for ' +
      'interdomain federation through Skype for Business / Lync / OCS: it must be off everywhere in such deployments.',
    services: ['sip'],
    judgedPer: 'config',
    requires: ['policy'],
    references: [REFERENCES.ciscoIntradomain, REFERENCES.ciscoEmailForFederation],
    messages: {
      off: 'email address for federation is off',
      onSupported: 'email address for federation is on, with no partitioned intradomain or Microsoft interdomain federation',
      withPartitioned: 'email address for federation is on with partitioned intradomain federation, which does not support it',
      withMicrosoft: 'email address for federation is on while {{domains}} federate through the Microsoft server, which does not support it',
    },
    fixes: {
      turnOff: {
        summary: 'Turn email address for federation off on every cluster',
        steps: [
          'Cisco Unified CM IM and Presence Administration: Presence > Settings > Standard Configuration, uncheck Enable use of Email Address for Interdomain Federation, Save.',
          'Do it on every cluster of the deployment, then restart the Cisco XCP Router on all IM and Presence nodes.',
          'Then set own.cisco.emailAddressForFederation: false in the config.',
        ],
      },
    },
  },
  evaluate({ facts }) {
    const config = facts.policy()?.config;
    if (config === undefined) return [];
    const cisco = config.own.cisco;
    if (cisco === undefined) return [];
    const domain = primaryOwnDomain(config);
    const subject = 'own.cisco.emailAddressForFederation';
    const location = { policyEntry: subject };
    if (!cisco.emailAddressForFederation) return [{ domain, status: 'pass', subject, location, messageId: 'off' }];
    if (cisco.partitionedIntradomainFederation) return [{ domain, status: 'fail', subject, location, messageId: 'withPartitioned', fixId: 'turnOff' }];
    const microsoft = cisco.federationDomains.filter((entry) => entry.integrationType === 'inter-domain-to-ocs-lync').map((entry) => entry.domain);
    if (microsoft.length > 0 || cisco.staticRoutes.length > 0) {
      const domains = microsoft.length > 0 ? microsoft.join(', ') : 'the statically routed domains';
      return [{ domain, status: 'fail', subject, location, messageId: 'withMicrosoft', data: { domains }, fixId: 'turnOff' }];
    }
    return [{ domain, status: 'pass', subject, location, messageId: 'onSupported' }];
  },
});
