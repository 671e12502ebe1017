// Builds configs for policy tests from a few lines, through the real schema so defaults apply as in a file.

import { stringify } from 'yaml';
import { parseConfig } from '../../src/config/load.js';
import type { FedcheckConfig } from '../../src/model/config.js';

export const OWN_DOMAIN = 'contoso.com';

/** A config whose own side is contoso.com for SIP and XMPP, with the federation and rest given. */
export function policyConfig(
  federation: Record<string, unknown> = {},
  rest: { own?: Record<string, unknown>; partners?: unknown[]; [key: string]: unknown } = {},
): FedcheckConfig {
  const { own, ...top } = rest;
  const file = { own: { sipDomains: [OWN_DOMAIN], xmppDomains: [OWN_DOMAIN], federation, ...own }, ...top };
  return parseConfig(stringify(file), 'test.yaml');
}
