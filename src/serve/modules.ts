// The /probe modules: `federation` (both services, as the domain publishes them), `sip` and `xmpp` (that service,
// required), and serve.modules of the config, which may redefine a built-in one.

import type { FedcheckConfig, ServeModule } from '../model/config.js';

export const BUILT_IN_MODULES: Readonly<Record<string, ServeModule>> = {
  federation: { clientCertificate: false },
  sip: { services: ['sip'], clientCertificate: false },
  xmpp: { services: ['xmpp'], clientCertificate: false },
};

export const DEFAULT_MODULE = 'federation';

export function serveModules(config: FedcheckConfig | undefined): Map<string, ServeModule> {
  return new Map(Object.entries({ ...BUILT_IN_MODULES, ...(config?.serve.modules ?? {}) }));
}
