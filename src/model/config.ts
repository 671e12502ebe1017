// The fedcheck config file, as the program sees it once validated (src/config/load.ts reads the YAML).
// Names follow the admin tools: Skype for Business / Lync Server cmdlets and the Cisco IM and Presence UI.

import type { Service } from './target.js';

/** How our own Edge decides which partners it talks to (Set-CsAccessEdgeConfiguration, Microsoft 365 admin). */
export type FederationMode =
  /** Allow all domains except blocked ones (AllowFederatedUsers, open federation). */
  | 'allow-all-except-blocked'
  /** Only the allowed domains (the allowed list). */
  | 'allow-listed-only'
  | 'disabled';

export interface AllowedDomain {
  domain: string;
  /** The partner's Access Edge FQDN: direct federation (an "allowed partner server"), no SRV needed. */
  proxyFqdn?: string;
  comment?: string;
}

export interface HostingProvider {
  /** -Identity, e.g. LyncOnline. */
  name: string;
  proxyFqdn: string;
  enabled: boolean;
  /** -VerificationLevel, e.g. UseSourceVerification / AlwaysVerifiable. */
  verificationLevel?: string;
  /** True for a public IM provider rather than a hosting provider. */
  publicProvider?: boolean;
  /** SIP domains known to be served by this provider, for partners whose DNS was not looked up. */
  domains?: string[];
}

export interface XmppPartner {
  domain: string;
  /** Set-CsXmppAllowedPartner -ProxyFqdn, when the partner's server is not found by SRV. */
  proxyFqdn?: string;
  /** DialbackAndTls (default) or Tls with SASL EXTERNAL. */
  authentication?: 'dialback' | 'tls' | 'dialback-and-tls';
}

export interface ExternalAccessPolicy {
  name: string;
  enableFederationAccess: boolean;
  enablePublicCloudAccess: boolean;
  enableXmppAccess: boolean;
  /** Users the policy is granted to, for information (Grant-CsExternalAccessPolicy). */
  appliesTo?: string;
}

export interface CiscoFederationDomain {
  domain: string;
  /** "Inter-domain to OCS/Lync" for Microsoft partners; "Inter-domain to XMPP" etc. */
  integrationType: 'inter-domain-to-ocs-lync' | 'inter-domain-to-xmpp' | 'other';
  directFederation: boolean;
}

export interface CiscoStaticRoute {
  /** The remote domain reversed with a leading dot: remote.com → .com.remote (a trailing .* is allowed). */
  destinationPattern: string;
  /** The IP address (or FQDN) of a specific Standard Edition server or Enterprise Edition front end. */
  nextHop: string;
  nextHopPort: number;
  protocol: 'TLS' | 'TCP' | 'UDP';
  /** 1 for the primary; backups greater than 1 and distinct. */
  priority: number;
  routeType?: 'domain' | 'user';
}

export interface CiscoImpConfig {
  federationDomains: CiscoFederationDomain[];
  staticRoutes: CiscoStaticRoute[];
  emailAddressForFederation: boolean;
  partitionedIntradomainFederation: boolean;
}

export interface OwnSide {
  sipDomains: string[];
  xmppDomains: string[];
  accessEdgeFqdn?: string;
  webConferencingEdgeFqdn?: string;
  federation: {
    mode: FederationMode;
    /** EnablePartnerDiscovery: find partners by their SRV record. */
    partnerDiscovery: boolean;
    allowedDomains: AllowedDomain[];
    blockedDomains: string[];
    hostingProviders: HostingProvider[];
    xmppPartners: XmppPartner[];
    externalAccessPolicies: ExternalAccessPolicy[];
  };
  cisco?: CiscoImpConfig;
}

export interface Partner {
  domain: string;
  /** The services expected of the partner, when written; absent, both are looked at and neither is required. */
  services?: Service[];
  /** Their Access Edge FQDN, probed even without SRV (direct federation). */
  edge?: string;
  note?: string;
}

export interface CheckSettingsFromConfig {
  resolvers: string[];
  /** CIDRs allowed although private (the lab and internal monitoring). */
  allowPrivate: string[];
  timeoutMs: number;
  deadlineMs: number;
  concurrency: number;
  caFiles: string[];
  vantage: 'external' | 'internal';
  /** Ask each certificate's OCSP responder, else fetch its CRL (--revocation). */
  revocation: boolean;
  /** Presented for mutual TLS (check --client-cert); paths resolved against the config file's folder. */
  clientCertificate?: ClientCertificateFromConfig;
}

/** One certificate for the whole run: fedcheck federates as one identity, as `fromDomain` is one domain. */
export interface ClientCertificateFromConfig {
  /** PEM (its key inside, or in keyFile) or a PKCS#12 / PFX bundle. */
  certFile: string;
  keyFile?: string;
  /** Its first line opens an encrypted key or the PFX. */
  passphraseFile?: string;
  /** The variable holding the passphrase, instead of FEDCHECK_CLIENT_PASSPHRASE. */
  passphraseEnv?: string;
}

export interface Outputs {
  /** Where `fedcheck run` writes report.json, report.html, junit.xml, fedcheck.prom, summary.md. */
  dir?: string;
  /** Keeps every run's JSON here, for "what changed since last night". */
  historyDir?: string;
  webhookUrl?: string;
}

/** One /probe module of `fedcheck serve`: what a scrape with `module=NAME` checks, and how. */
export interface ServeModule {
  /** The services the domain must offer; absent, both are looked at as the domain publishes them. */
  services?: Service[];
  /** internal: also the Edge's internal listeners (check --vantage internal). */
  vantage?: 'external' | 'internal';
  /** Present check.clientCertificate for mutual TLS, as our Edge does. */
  clientCertificate: boolean;
  revocation?: boolean;
  timeoutMs?: number;
}

export interface ServeLimits {
  /** Probes running at once, from every client together. */
  probesInFlight: number;
  probesInFlightPerClient: number;
  /** Probes started in any sliding minute. */
  probesPerMinute: number;
  probesPerMinutePerClient: number;
  /** Open connections at once: past it the server accepts no more until one closes. */
  connections: number;
  /** A client that has not sent its whole request head by then gets 408 and is disconnected (slowloris). */
  headerTimeoutMs: number;
}

export interface ServeSettingsFromConfig {
  /** HOST:PORT to listen on. */
  listen?: string;
  /** The vantage point's name, a label on every series (such as dmz-frankfurt or inside). */
  vantage?: string;
  /** Beside the own and partner domains: the other domains a probe may ask for, as names or *.domain patterns. */
  targets: string[];
  /** Its first line is the bearer token every request must carry; resolved against the config file's folder. */
  tokenFile?: string;
  modules: Record<string, ServeModule>;
  limits: ServeLimits;
}

export interface FedcheckConfig {
  /** The file it came from, for messages. */
  source: string;
  own: OwnSide;
  partners: Partner[];
  thresholds: { certificateWarningDays: number; certificateCriticalDays: number };
  /** Our domain for XMPP `from` and the SIP From. Defaults to the first own XMPP or SIP domain. */
  fromDomain?: string;
  check: CheckSettingsFromConfig;
  outputs: Outputs;
  /** How many runs the history folder (outputs.historyDir, --history) keeps; older run files are deleted. */
  history: { keep: number };
  /** `fedcheck serve`. */
  serve: ServeSettingsFromConfig;
}
