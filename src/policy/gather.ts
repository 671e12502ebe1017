// The I/O half of the hosting question: where each partner's SIP federation SRV record points.

import type { DnsAnswer } from '../model/facts.js';
import { factKey } from '../model/facts.js';
import { Scheduler } from '../gather/scheduler.js';
import { srvName, srvRecords } from '../judge/services.js';
import type { FedcheckConfig } from '../model/config.js';
import { ADMINS_OWN } from '../probes/connector.js';
import { queryDns } from '../probes/dns.js';
import type { DnsServer } from '../probes/resolvers.js';
import { sipPartnerDomains } from './config-views.js';
import type { PartnerDns, PartnerHosting } from '../model/policy-facts.js';

export interface HostingGatherOptions {
  timeoutMs: number;
  deadlineMs: number;
  concurrency: number;
  /** The partners to look up; every SIP partner the config names when absent. */
  domains?: string[];
}

export async function gatherPartnerHosting(
  config: FedcheckConfig,
  resolvers: DnsServer[],
  options: HostingGatherOptions,
): Promise<PartnerHosting> {
  const domains = options.domains ?? sipPartnerDomains(config);
  const scheduler = new Scheduler({ concurrency: options.concurrency, probeTimeoutMs: options.timeoutMs, deadlineMs: options.deadlineMs });
  try {
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
  } finally {
    scheduler.close();
  }
}
