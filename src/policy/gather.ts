// The I/O half of the hosting question: where each partner's SIP federation SRV record points. Asked through the
// run's scheduler under the key the domains' gathering uses, so a partner the run also checks is asked once.

import type { DnsAnswer } from '../model/facts.js';
import { factKey } from '../model/facts.js';
import type { Scheduler } from '../gather/scheduler.js';
import { srvName, srvRecords } from '../judge/services.js';
import type { FedcheckConfig } from '../model/config.js';
import { ADMINS_OWN } from '../probes/connector.js';
import { queryDns } from '../probes/dns.js';
import type { DnsServer } from '../probes/resolvers.js';
import { sipPartnerDomains } from './config-views.js';
import type { PartnerDns, PartnerHosting } from '../model/policy-facts.js';

/** `domains`: the partners to look up; every SIP partner the config names when absent. */
export async function gatherPartnerHosting(
  config: FedcheckConfig,
  resolvers: DnsServer[],
  scheduler: Scheduler,
  domains: string[] = sipPartnerDomains(config),
): Promise<PartnerHosting> {
  const entries = await Promise.all(
    domains.map(async (domain): Promise<[string, PartnerDns]> => {
      const name = srvName('sipFederation', domain);
      const outcome = await scheduler.probe<DnsAnswer>(factKey.dns(name, 'SRV'), (context) =>
        queryDns({ name, type: 'SRV', recursive: true }, resolvers, { ...context, egress: ADMINS_OWN }),
      );
      if (outcome.status === 'error') return [domain, { lookupError: `${name} SRV: ${outcome.detail}` }];
      if (outcome.status === 'skipped') return [domain, { lookupError: `${name} SRV: ${outcome.because}` }];
      const { rcode } = outcome.facts;
      if (rcode !== 'NOERROR' && rcode !== 'NXDOMAIN') return [domain, { lookupError: `${name} SRV: the resolver answered ${rcode}` }];
      const [preferred] = srvRecords(outcome);
      // "." is "not offered" (RFC 2782): no target, like no record.
      const target = preferred?.target;
      return [domain, target === undefined || target === '' || target === '.' ? {} : { sipFederationTarget: target }];
    }),
  );
  return Object.fromEntries(entries);
}
