// The policy registry: checks judged once over the policy config (and the partners' DNS, the Cisco next hops), not per domain.

import type { Check } from '../../src/model/check.js';
import partnerAllowed from './partner-allowed.js';
import federationMode from './federation-mode.js';
import allowedAndBlocked from './allowed-and-blocked.js';
import allowListEmpty from './allow-list-empty.js';
import hostedPartnerWithoutProvider from './hosted-partner-without-provider.js';
import externalAccess from './external-access.js';
import xmppPartnerWithoutAccess from './xmpp-partner-without-access.js';
import duplicateEntry from './duplicate-entry.js';
import ciscoFederationDomain from './cisco-federation-domain.js';
import ciscoStaticRoutePattern from './cisco-static-route-pattern.js';
import ciscoRoutePortProtocol from './cisco-route-port-protocol.js';
import ciscoRoutePriority from './cisco-route-priority.js';
import ciscoRouteWithoutDomain from './cisco-route-without-domain.js';
import ciscoEmailForFederation from './cisco-email-for-federation.js';
import ciscoNextHop from './cisco-next-hop.js';

export const policyChecks: Check[] = [
  partnerAllowed,
  federationMode,
  allowedAndBlocked,
  allowListEmpty,
  hostedPartnerWithoutProvider,
  externalAccess,
  xmppPartnerWithoutAccess,
  duplicateEntry,
  ciscoFederationDomain,
  ciscoStaticRoutePattern,
  ciscoRoutePortProtocol,
  ciscoRoutePriority,
  ciscoRouteWithoutDomain,
  ciscoEmailForFederation,
  ciscoNextHop,
];
