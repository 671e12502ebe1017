// Every document a check cites, in one place, so a title and its URL are written once and checked once.
// Verified 2026-12-03 with the search tool: each page was found under this URL (or, for learn.microsoft.com, as the
// Markdown source Microsoft publishes it from), and each RFC section cited is the section the title names.
// A check's meta.references picks entries from here; a unit test keeps it that way.

import type { Reference } from '../model/finding.js';

const ref = (title: string, url: string): Reference => ({ title, url });

const RFC = (number: number, section?: string) => `https://www.rfc-editor.org/rfc/rfc${number}${section ? `#section-${section}` : ''}`;
const LEARN = 'https://learn.microsoft.com/en-us';
const LYNC_2013 = `${LEARN}/previous-versions/office/lync-server-2013`;
const SFB_PLAN = `${LEARN}/skypeforbusiness/plan-your-deployment`;
const SKYPE_CMDLET = (name: string) => ref(`${name} (Skype for Business Server PowerShell)`, `${LEARN}/powershell/module/skype/${name.toLowerCase()}`);
const CISCO_IMP_FEDERATION =
  'https://www.cisco.com/c/en/us/td/docs/voice_ip_comm/cucm/im_presence/interdomain_federation/14/cup0_b_interdomain-federation-guide-14';

export const REFERENCES = {
  // DNS
  rfc1034ZoneTransfers: ref('RFC 1034 section 4.3.5: Zone maintenance and transfers', RFC(1034, '4.3.5')),
  rfc1996Notify: ref('RFC 1996: A Mechanism for Prompt Notification of Zone Changes (DNS NOTIFY)', RFC(1996)),
  rfc1912LameDelegation: ref('RFC 1912 section 2.8: Common DNS Operational and Configuration Errors (lame delegations)', RFC(1912, '2.8')),
  rfc1912Cname: ref('RFC 1912 section 2.4: Common DNS Operational and Configuration Errors (CNAME records)', RFC(1912, '2.4')),
  rfc2782Srv: ref('RFC 2782: A DNS RR for specifying the location of services (DNS SRV)', RFC(2782)),
  // Addresses
  rfc6890SpecialPurpose: ref('RFC 6890: Special-Purpose IP Address Registries', RFC(6890)),
  rfc1918Private: ref('RFC 1918: Address Allocation for Private Internets', RFC(1918)),
  rfc4193UniqueLocal: ref('RFC 4193: Unique Local IPv6 Unicast Addresses', RFC(4193)),
  // SIP
  rfc3261Options: ref('RFC 3261 section 11: Querying for Capabilities (OPTIONS)', RFC(3261, '11')),
  rfc3261ResponseCodes: ref('RFC 3261 section 21: Response Codes', RFC(3261, '21')),
  rfc5922SipCertificates: ref('RFC 5922: Domain Certificates in the Session Initiation Protocol', RFC(5922)),
  // XMPP
  rfc6120Resolution: ref('RFC 6120 section 3.2: Resolution of Fully Qualified Domain Names (XMPP)', RFC(6120, '3.2')),
  rfc6120SrvLookup: ref('RFC 6120 section 3.2.1: Preferred Process: SRV Lookup (XMPP)', RFC(6120, '3.2.1')),
  rfc6120StreamAttributes: ref('RFC 6120 section 4.7: Stream Attributes', RFC(6120, '4.7')),
  rfc6120StreamErrors: ref('RFC 6120 section 4.9: Stream Errors', RFC(6120, '4.9')),
  rfc6120Starttls: ref('RFC 6120 section 5: STARTTLS Negotiation', RFC(6120, '5')),
  rfc6120Sasl: ref('RFC 6120 section 6: SASL Negotiation', RFC(6120, '6')),
  rfc6120ServerCertificates: ref('RFC 6120 section 13.7.1.2: Server Certificates (XMPP)', RFC(6120, '13.7.1.2')),
  rfc7590XmppTls: ref('RFC 7590: Use of TLS in XMPP', RFC(7590)),
  xep0178SaslExternal: ref('XEP-0178: Best Practices for Use of SASL EXTERNAL with Certificates', 'https://xmpp.org/extensions/xep-0178.html'),
  xep0220Dialback: ref('XEP-0220: Server Dialback', 'https://xmpp.org/extensions/xep-0220.html'),
  xep0368DirectTls: ref('XEP-0368: SRV records for XMPP over TLS', 'https://xmpp.org/extensions/xep-0368.html'),
  // TLS and certificates
  rfc5280PathValidation: ref('RFC 5280 section 6: Certification Path Validation', RFC(5280, '6')),
  rfc5280Validity: ref('RFC 5280 section 4.1.2.5: Validity', RFC(5280, '4.1.2.5')),
  rfc5280ExtendedKeyUsage: ref('RFC 5280 section 4.2.1.12: Extended Key Usage', RFC(5280, '4.2.1.12')),
  rfc5280Crl: ref('RFC 5280 section 5: CRL and CRL Extensions Profile', RFC(5280, '5')),
  rfc6960Ocsp: ref('RFC 6960: X.509 Internet PKI Online Certificate Status Protocol (OCSP)', RFC(6960)),
  rfc8446Tls13: ref('RFC 8446: The Transport Layer Security (TLS) Protocol Version 1.3', RFC(8446)),
  rfc8446Certificate: ref('RFC 8446 section 4.4.2: Certificate (the chain a server or client sends, in order)', RFC(8446, '4.4.2')),
  rfc8996OldTls: ref('RFC 8996: Deprecating TLS 1.0 and TLS 1.1', RFC(8996)),
  rfc9155Sha1: ref('RFC 9155: Deprecating MD5 and SHA-1 Signature Hashes in TLS 1.2 and DTLS 1.2', RFC(9155)),
  rfc1035MasterFiles: ref('RFC 1035 section 5.1: master files (a name without its final dot is relative to the origin)', RFC(1035, '5.1')),
  kamailioTls: ref('Kamailio TLS module (listen=tls:, tls.cfg)', 'https://www.kamailio.org/docs/modules/5.6.x/modules/tls.html'),
  rfc9525ServiceIdentity: ref('RFC 9525: Service Identity in TLS', RFC(9525)),
  rfc6125CommonNames: ref('RFC 6125 section 6.4.4: Checking of Common Names', RFC(6125, '6.4.4')),
  rfc6125Wildcards: ref('RFC 6125 section 6.4.3: Checking of Wildcard Certificates', RFC(6125, '6.4.3')),
  nist800131a: ref(
    'NIST SP 800-131A Rev. 2: Transitioning the Use of Cryptographic Algorithms and Key Lengths',
    'https://csrc.nist.gov/pubs/sp/800/131/a/r2/final',
  ),
  // The end of clientAuth in public TLS certificates (the dates are in src/pki/client-auth-deadlines.ts)
  chromeRootProgram: ref('Chrome Root Program Policy', 'https://googlechrome.github.io/chromerootprogram/'),
  letsEncryptClientAuth: ref(
    "Let's Encrypt: Ending TLS Client Authentication Certificate Support in 2026",
    'https://letsencrypt.org/2025/05/14/ending-tls-client-authentication/',
  ),
  digiCertClientAuth: ref(
    'DigiCert: Removing the client authentication EKU from public TLS certificates',
    'https://knowledge.digicert.com/alerts/sunsetting-client-authentication-eku-from-digicert-public-tls-certificates',
  ),
  sectigoClientAuth: ref('Sectigo: Deprecation of Client Authentication EKU from Sectigo SSL/TLS Certificates', 'https://sectigo.com/faq-client-authentication-eku-deprecation'),
  googleTrustServicesClientAuth: ref(
    'Google Trust Services: Client Authentication Certificates (clientAuth) Deprecation',
    'https://pki.goog/updates/may2025-clientauth.html',
  ),
  ciscoFieldNotice74362: ref(
    'Cisco Field Notice FN74362: Expressway and the Client Authentication EKU',
    'https://www.cisco.com/c/en/us/support/docs/field-notices/743/fn74362.html',
  ),
  ciscoExpresswayClientEku: ref(
    'Cisco: Navigate the Client EKU Sunset with Cisco Expressway X15.5',
    'https://www.cisco.com/c/en/us/support/docs/unified-communications/telepresence-video-communication-server-expressway/225693-navigate-client-eku-sunset-with.html',
  ),
  // Lync Server 2013 (the admin guides in shared/seeds)
  lyncFederation: ref('Lync Server 2013: Setting up Lync federation', `${LYNC_2013}/lync-server-2013-setting-up-lync-federation`),
  federationTypes: ref(
    'Lync Server 2013: Planning for SIP, XMPP federation, and public instant messaging',
    `${LYNC_2013}/lync-server-2013-planning-for-sip-xmpp-federation-and-public-instant-messaging`,
  ),
  xmppFederation: ref('Lync Server 2013: Setting up XMPP federation', `${LYNC_2013}/lync-server-2013-setting-up-xmpp-federation`),
  xmppNegotiationSettings: ref(
    'Lync Server 2013: Negotiation settings for XMPP federated partners',
    `${LYNC_2013}/lync-server-2013-negotiation-settings-for-xmpp-federated-partners`,
  ),
  lyncCertificateInfrastructure: ref(
    'Lync Server 2013: Certificate infrastructure requirements (CRL distribution point required, RSASSA-PSS unsupported)',
    `${LYNC_2013}/lync-server-2013-certificate-infrastructure-requirements`,
  ),
  // Skype for Business Server and Microsoft 365
  edgeEnvironment: ref(
    'Edge Server environmental requirements in Skype for Business Server',
    `${SFB_PLAN}/edge-server-deployments/edge-environmental-requirements`,
  ),
  lyncEdgeCertificates: ref(
    'Plan for Edge Server certificates in Lync Server 2013 (wildcard certificates are not supported on the Edge)',
    `${LYNC_2013}/lync-server-2013-plan-for-edge-server-certificates`,
  ),
  edgeCertificatePlanning: ref(
    'Edge Server environmental requirements in Skype for Business Server: Certificate planning',
    `${SFB_PLAN}/edge-server-deployments/edge-environmental-requirements#CertPlan`,
  ),
  edgePortPlanning: ref(
    'Edge Server environmental requirements in Skype for Business Server: Port and firewall planning',
    `${SFB_PLAN}/edge-server-deployments/edge-environmental-requirements#PortFirewallPlan`,
  ),
  advancedEdgeDns: ref('Advanced Edge Server DNS planning for Skype for Business Server', `${SFB_PLAN}/edge-server-deployments/advanced-edge-server-dns`),
  loadBalancing: ref('Load balancing requirements for Skype for Business', `${SFB_PLAN}/network-requirements/load-balancing`),
  tlsAndMtls: ref('TLS and MTLS for Skype for Business Server', `${SFB_PLAN}/security/tls-and-mtls`),
  sfbEncryption: ref('Encryption for Skype for Business Server', `${SFB_PLAN}/security/encryption`),
  msOcerDiagnostics: ref(
    '[MS-OCER]: Client Error Code Extensions, ms-diagnostics header',
    `${LEARN}/openspecs/office_protocols/ms-ocer/f6787b39-0842-43ca-94a2-6afadda5f0a3`,
  ),
  msOcerSipStack: ref(
    '[MS-OCER] 7.2 SipStack: the ErrorIds 1000-1999 of the Front End and the Access Edge',
    `${LEARN}/openspecs/office_protocols/ms-ocer/88f739c4-83cf-480e-bd53-fe2d311aad3f`,
  ),
  winsockErrors: ref('Windows Sockets Error Codes (WinsockFailureCode)', `${LEARN}/windows/win32/winsock/windows-sockets-error-codes-2`),
  m365DnsRecords: ref('External Domain Name System records for Microsoft 365', `${LEARN}/microsoft-365/enterprise/external-domain-name-system-records`),
  externalAccessM365: ref(
    'Manage external meetings and chat with people and organizations using Microsoft identities',
    `${LEARN}/microsoftteams/trusted-organizations-external-meetings-chat`,
  ),
  accessEdgeConfiguration: SKYPE_CMDLET('Set-CsAccessEdgeConfiguration'),
  allowedDomain: SKYPE_CMDLET('New-CsAllowedDomain'),
  blockedDomain: SKYPE_CMDLET('Remove-CsBlockedDomain'),
  hostingProvider: SKYPE_CMDLET('New-CsHostingProvider'),
  externalAccessPolicy: SKYPE_CMDLET('Set-CsExternalAccessPolicy'),
  xmppAllowedPartner: SKYPE_CMDLET('New-CsXmppAllowedPartner'),
  testFederatedPartner: SKYPE_CMDLET('Test-CsFederatedPartner'),
  requestCertificate: SKYPE_CMDLET('Request-CsCertificate'),
  setCertificate: SKYPE_CMDLET('Set-CsCertificate'),
  startWindowsService: SKYPE_CMDLET('Start-CsWindowsService'),
  // Windows Server
  newNetFirewallRule: ref('New-NetFirewallRule (Windows PowerShell NetSecurity module)', `${LEARN}/powershell/module/netsecurity/new-netfirewallrule`),
  tlsRegistrySettings: ref('Transport Layer Security (TLS) registry settings (Windows Server)', `${LEARN}/windows-server/security/tls/tls-registry-settings`),
  adcsCdpAndAia: ref(
    'Configure the CDP and AIA extensions on CA1 (Active Directory Certificate Services)',
    `${LEARN}/windows-server/networking/core-network-guide/cncg/server-certs/configure-the-cdp-and-aia-extensions-on-ca1`,
  ),
  // Prosody and ejabberd
  prosodyDns: ref('Prosody: DNS configuration in XMPP', 'https://prosody.im/doc/dns'),
  prosodyPorts: ref('Prosody: Port and network configuration', 'https://prosody.im/doc/ports'),
  prosodyCertificates: ref('Prosody: Certificates', 'https://prosody.im/doc/certificates'),
  prosodyAdvancedTls: ref('Prosody: Advanced SSL/TLS configuration', 'https://prosody.im/doc/advanced_ssl_config'),
  prosodyS2sSecurity: ref('Prosody: Server-to-server (s2s) security', 'https://prosody.im/doc/s2s#security'),
  prosodyConfigure: ref('Prosody: Configuring Prosody (VirtualHost)', 'https://prosody.im/doc/configure'),
  ejabberdS2sStarttls: ref('ejabberd: s2s_use_starttls', 'https://docs.ejabberd.im/admin/configuration/toplevel/#s2s-use-starttls'),
  // Cisco IM and Presence
  ciscoSipFederation: ref(
    'Interdomain Federation for IM and Presence Service: IM and Presence Service configuration for SIP federation',
    `${CISCO_IMP_FEDERATION}/cup0_b_interdomain-federation-1251su3_chapter_011.html`,
  ),
  ciscoEmailForFederation: ref(
    'Interdomain Federation for IM and Presence Service: Email address for federation configuration',
    `${CISCO_IMP_FEDERATION}/cup0_b_interdomain-federation-1251su3_chapter_01111.html`,
  ),
  ciscoIntradomain: ref(
    'Cisco IM and Presence Service installation and configuration guides (Partitioned Intradomain Federation)',
    'https://www.cisco.com/c/en/us/support/unified-communications/unified-presence/products-installation-and-configuration-guides-list.html',
  ),
} as const satisfies Record<string, Reference>;
