// The commented starter config `fedcheck init` writes: every field, what it is, and where its value is read.

/** Marks the Cisco block, commented out in the starter; its lines uncomment by dropping the "# " after the indent. */
export const CISCO_BLOCK_START = '  # cisco:';

export const STARTER_CONFIG = `# fedcheck configuration: our federation policy, the partners to watch, and how to check them.
# Check it with: fedcheck policy lint --config fedcheck.yaml
# Ask about one partner with: fedcheck policy explain fabrikam.com --config fedcheck.yaml
# Domain names may be written in any case, with or without a trailing dot; IDNs are welcome.

# Our own side: the domains we federate for and the policy our Edge (or Microsoft 365) applies.
own:
  # The SIP domains users sign in with (Get-CsSipDomain; Microsoft 365 admin center > Settings > Domains).
  sipDomains:
    - contoso.com
  # The domains we federate for over XMPP (the Lync / Skype for Business XMPP gateway, Prosody, ejabberd...).
  # Leave the list empty when we do not federate over XMPP.
  xmppDomains:
    - contoso.com
  # The external FQDN of the Access Edge service: the target of _sipfederationtls._tcp.<our domain>
  # (Topology Builder > Edge pool > Edit Properties; Get-CsService -EdgeServer).
  accessEdgeFqdn: sip.contoso.com
  # The external FQDN of the web conferencing Edge service (Topology Builder, same place).
  webConferencingEdgeFqdn: webcon.contoso.com

  federation:
    # Which partners our Edge talks to:
    #   allow-all-except-blocked  open federation (Set-CsAccessEdgeConfiguration -AllowFederatedUsers $True;
    #                             Microsoft 365: "Allow all external domains")
    #   allow-listed-only         only the allowed domains (Microsoft 365: "Allow only specific external domains")
    #   disabled                  no federation (-AllowFederatedUsers $False; Microsoft 365: "Block all external domains")
    mode: allow-all-except-blocked
    # Find partners by their _sipfederationtls._tcp SRV record (Set-CsAccessEdgeConfiguration -EnablePartnerDiscovery).
    # Off, only the allowed domains are reached even in allow-all-except-blocked mode.
    partnerDiscovery: true
    # The allowed list (Get-CsAllowedDomain; New-CsAllowedDomain -Identity <domain>). A bare domain is an
    # allowed partner domain, found by its SRV record; with proxyFqdn it is an allowed partner server (direct
    # federation, Set-CsAllowedDomain <domain> -ProxyFqdn <edge>), reached with no SRV record at all.
    allowedDomains:
      - domain: fabrikam.com
        comment: found by its SRV record
      - domain: tailspintoys.com
        proxyFqdn: sip.tailspintoys.com
        comment: direct federation with their Access Edge
    # The blocked list (Get-CsBlockedDomain; New-CsBlockedDomain -Identity <domain>). Wins over every other rule.
    blockedDomains:
      - spam-example.com
    # Hosting and public IM providers (Get-CsHostingProvider / New-CsHostingProvider; Get-CsPublicProvider).
    # Partners hosted on Microsoft 365 are reached only through the LyncOnline provider below.
    hostingProviders:
      # -Identity
      - name: LyncOnline
        # -ProxyFqdn: where our Edge sends the hosted partners' traffic.
        proxyFqdn: sipfed.online.lync.com
        # -Enabled
        enabled: true
        # -VerificationLevel: UseSourceVerification, AlwaysVerifiable or AlwaysUnverifiable.
        verificationLevel: UseSourceVerification
        # true for a public IM provider (Set-CsPublicProvider) rather than a hosting provider.
        publicProvider: false
        # Partner domains known to be hosted here, for partners whose DNS is not looked up (optional).
        domains: []
    # XMPP federated partners (Get-CsXmppAllowedPartner; New-CsXmppAllowedPartner -Identity <domain>).
    # The XMPP gateway talks only to listed partners.
    xmppPartners:
      - domain: fabrikam.com
        # -ProxyFqdn, when the partner's XMPP server is not found by its _xmpp-server._tcp record (optional).
        # proxyFqdn: xmpp.fabrikam.com
        # dialback-and-tls (the default), dialback, or tls (SASL EXTERNAL with certificates).
        authentication: dialback-and-tls
    # External access policies (Get-CsExternalAccessPolicy): a user federates only with a policy that allows it
    # (Microsoft 365: the users' external access setting).
    externalAccessPolicies:
      # -Identity: Global, Site:<name> or a tag granted with Grant-CsExternalAccessPolicy.
      - name: Global
        # -EnableFederationAccess: talk to federated partner domains.
        enableFederationAccess: true
        # -EnablePublicCloudAccess: talk to public IM providers.
        enablePublicCloudAccess: false
        # -EnableXmppAccess: talk to XMPP partners.
        enableXmppAccess: true
        # Who the policy is granted to, for information.
        appliesTo: all users

  # Cisco Unified CM IM and Presence, when it federates through this Microsoft deployment. Remove the "# "
  # in front of each line of this block to use it. Settings are per cluster, made on the publisher node.
${CISCO_BLOCK_START}
  #   # Presence > Inter-Domain Federation > SIP Federation: one entry per remote domain.
  #   federationDomains:
  #     - domain: fabrikam.com
  #       # Integration Type: inter-domain-to-ocs-lync (Inter-domain to OCS/Lync), inter-domain-to-xmpp or other.
  #       integrationType: inter-domain-to-ocs-lync
  #       # The Direct Federation check box.
  #       directFederation: true
  #   # Presence > Routing > Static Routes: one route per remote domain, backups with higher priorities.
  #   staticRoutes:
  #     # Destination Pattern: the domain reversed with a leading dot (fabrikam.com -> .com.fabrikam).
  #     - destinationPattern: .com.fabrikam
  #       # Next Hop: the IP address of a specific Standard Edition server or Enterprise Edition Front End.
  #       nextHop: 10.0.0.21
  #       # Next Hop Port and Protocol Type: 5061 with TLS, or 5060 with TCP (unencrypted).
  #       nextHopPort: 5061
  #       protocol: TLS
  #       # Priority: 1 for the primary route, 2, 3... for backups.
  #       priority: 1
  #       # Route Type: domain.
  #       routeType: domain
  #   # Presence > Settings > Standard Configuration: "Enable use of Email Address for Interdomain Federation".
  #   # Not supported with Microsoft interdomain federation nor partitioned intradomain federation.
  #   emailAddressForFederation: false
  #   # Partitioned intradomain federation with the Microsoft server (Presence > Intradomain Federation).
  #   partitionedIntradomainFederation: false

# The partners to watch every night (fedcheck run) and to lint the policy against.
# A bare domain looks at both SIP and XMPP and requires neither: a service the partner does not publish is one
# information line, not a failure. Write services: to require them: then a missing one fails, with the DNS record.
partners:
  - domain: fabrikam.com
    # sip, xmpp or both: the services fabrikam.com must offer.
    services: [sip, xmpp]
    # Shown beside the partner's results in every report, Nagios long text included: whom to call, a ticket.
    note: our main supplier, NOC +1 555 0100
  - domain: tailspintoys.com
    services: [sip]
    # Their Access Edge FQDN: probed even without an SRV record (direct federation).
    edge: sip.tailspintoys.com

# When a certificate counts as expiring: a warning below the first, critical below the second.
thresholds:
  certificateWarningDays: 30
  certificateCriticalDays: 7

# Our domain in the XMPP stream "from" and the SIP From; defaults to the first own XMPP or SIP domain.
fromDomain: contoso.com

# How the checks run; each can also be given on the command line, which wins.
check:
  # DNS resolvers, as IP or IP:PORT (--resolver); empty means the system's (/etc/resolv.conf).
  resolvers: []
  # Private networks that may be connected to (--allow-private), such as 10.0.0.0/8 for Cisco next hops.
  allowPrivate: []
  # Time limit of each probe and of the whole run, in milliseconds (--timeout, --deadline).
  timeoutMs: 5000
  deadlineMs: 60000
  # Most probes at once (--concurrency).
  concurrency: 32
  # Extra CA certificates (PEM) to trust, relative to this file (--ca-file).
  caFiles: []
  # external (as a partner sees us) or internal (on the Edge: also its internal listeners) (--vantage).
  vantage: external
  # Also check whether each certificate is revoked, by OCSP or its CRL, as an Edge does (--revocation).
  revocation: false
  # Our Edge's certificate, presented to partners that ask for one (mutual TLS), and linted like theirs
  # (--client-cert, --client-key). One per run: fedcheck federates as one identity, as fromDomain is one domain.
  # PEM with its key inside or in keyFile, or a PFX; paths relative to this file. An encrypted key's or a PFX's
  # passphrase is never written here: the first line of passphraseFile (mode 0600), else the variable
  # passphraseEnv names (default FEDCHECK_CLIENT_PASSPHRASE), else a prompt on a terminal.
  # clientCertificate:
  #   certFile: /etc/fedcheck/edge.pem
  #   keyFile: /etc/fedcheck/edge.key
  #   passphraseFile: /etc/fedcheck/edge.passphrase

# Where fedcheck run writes its reports, relative to this file.
outputs:
  # report.json, report.html, junit.xml, fedcheck.prom and summary.md.
  dir: fedcheck-reports
  # Every run's JSON, to show what changed since the last run.
  historyDir: fedcheck-history
  # A Teams- or Slack-compatible webhook for the summary (optional).
  # webhookUrl: https://example.webhook.office.com/webhookb2/...

# How many runs historyDir keeps; older run files are deleted after each complete run.
history:
  keep: 30

# fedcheck serve: a probe endpoint for Prometheus (/probe?target=DOMAIN&module=MODULE) and a page to check a
# domain. It probes only the own and partner domains above and these targets (--allow-any-target: any).
serve:
  listen: 127.0.0.1:9469
  # This vantage point's name, a label on every series: one Prometheus compares what each instance sees.
  vantage: dmz
  targets: []                 # such as ["*.fabrikam.com", tailspintoys.com]
  # The first line of this file is the token every request must carry (Authorization: Bearer).
  # tokenFile: /etc/fedcheck/serve-token
  # Modules beside the built-in federation, sip and xmpp:
  # modules:
  #   federation-inside: { vantage: internal, clientCertificate: true, revocation: true }
  limits:
    probesInFlight: 32
    probesInFlightPerClient: 16
    probesPerMinute: 1200
    probesPerMinutePerClient: 600   # one Prometheus is one client: its domains x scrapes a minute must fit
    connections: 64
    headerTimeoutMs: 10000
`;
