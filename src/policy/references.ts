// The documents the policy rules come from (the admin guides in shared/seeds and the cmdlet references).

import type { Reference } from '../engine/finding.js';

const ref = (title: string, url: string): Reference => ({ title, url });

export const REFERENCES = {
  lyncFederation: ref(
    'Lync Server 2013: Setting up Lync federation',
    'https://learn.microsoft.com/en-us/lyncserver/lync-server-2013-setting-up-lync-federation',
  ),
  federationTypes: ref(
    'Lync Server 2013: Planning for SIP, XMPP federation, and public instant messaging',
    'https://learn.microsoft.com/en-us/lyncserver/lync-server-2013-planning-for-sip-xmpp-federation-and-public-instant-messaging',
  ),
  xmppFederation: ref(
    'Lync Server 2013: Setting up XMPP federation',
    'https://learn.microsoft.com/en-us/lyncserver/lync-server-2013-setting-up-xmpp-federation',
  ),
  externalAccessM365: ref(
    'Manage external meetings and chat with people and organizations using Microsoft identities',
    'https://learn.microsoft.com/en-us/microsoftteams/trusted-organizations-external-meetings-chat',
  ),
  accessEdgeConfiguration: ref('Set-CsAccessEdgeConfiguration', 'https://learn.microsoft.com/en-us/powershell/module/skype/set-csaccessedgeconfiguration'),
  allowedDomain: ref('New-CsAllowedDomain', 'https://learn.microsoft.com/en-us/powershell/module/skype/new-csalloweddomain'),
  blockedDomain: ref('Remove-CsBlockedDomain', 'https://learn.microsoft.com/en-us/powershell/module/skype/remove-csblockeddomain'),
  hostingProvider: ref('New-CsHostingProvider', 'https://learn.microsoft.com/en-us/powershell/module/skype/new-cshostingprovider'),
  externalAccessPolicy: ref('Set-CsExternalAccessPolicy', 'https://learn.microsoft.com/en-us/powershell/module/skype/set-csexternalaccesspolicy'),
  xmppAllowedPartner: ref('New-CsXmppAllowedPartner', 'https://learn.microsoft.com/en-us/powershell/module/skype/new-csxmppallowedpartner'),
  ciscoSipFederation: ref(
    'Interdomain Federation for IM and Presence Service: IM and Presence Service configuration for SIP federation',
    'https://www.cisco.com/c/en/us/td/docs/voice_ip_comm/cucm/im_presence/interdomain_federation/14/cup0_b_interdomain-federation-guide-14/cup0_b_interdomain-federation-1251su3_chapter_011.html',
  ),
  ciscoEmailForFederation: ref(
    'Interdomain Federation for IM and Presence Service: Email address for federation configuration',
    'https://www.cisco.com/c/en/us/td/docs/voice_ip_comm/cucm/im_presence/interdomain_federation/14/cup0_b_interdomain-federation-guide-14/cup0_b_interdomain-federation-1251su3_chapter_01111.html',
  ),
  ciscoIntradomain: ref(
    'Partitioned Intradomain Federation for IM and Presence Service: Interdomain and intradomain federation deployment integration',
    'https://www.cisco.com/c/en/us/support/unified-communications/unified-presence/products-installation-and-configuration-guides-list.html',
  ),
} as const;
