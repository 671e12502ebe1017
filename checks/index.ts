// The registry: every check fedcheck runs, in documentation order. Adding a check is one file plus one line here.

import type { Check } from '../src/model/check.js';
import sipFederationSrv from './dns/sip-federation-srv.js';
import xmppServerSrv from './dns/xmpp-server-srv.js';
import xmppsServerSrv from './dns/xmpps-server-srv.js';
import jabberLegacySrv from './dns/jabber-legacy-srv.js';
import srvTargetCname from './dns/srv-target-cname.js';
import srvTargetAddress from './dns/srv-target-address.js';
import srvTargetDomain from './dns/srv-target-domain.js';
import edgeDnsLoadBalancing from './dns/edge-dns-load-balancing.js';
import clientRecords from './dns/client-records.js';
import authoritativeConsistency from './dns/authoritative-consistency.js';
import federationPort from './net/federation-port.js';
import addressScope from './net/address-scope.js';
import internalListeners from './net/internal-listeners.js';
import tlsHandshake from './tls/handshake.js';
import tlsCertificateChain from './tls/certificate-chain.js';
import tlsCertificateExpiry from './tls/certificate-expiry.js';
import tlsSipCertificateNames from './tls/sip-certificate-names.js';
import tlsXmppCertificateNames from './tls/xmpp-certificate-names.js';
import tlsCertificateKeyUsage from './tls/certificate-key-usage.js';
import tlsCertificateKeyStrength from './tls/certificate-key-strength.js';
import tlsProtocolVersions from './tls/protocol-versions.js';
import tlsClientCertificateAccepted from './tls/client-certificate-accepted.js';
import sipOptionsResponse from './sip/options-response.js';
import sipMsDiagnostics from './sip/ms-diagnostics.js';
import xmppStarttls from './xmpp/starttls.js';
import xmppAuthenticationMethods from './xmpp/authentication-methods.js';
import xmppStreamNegotiation from './xmpp/stream-negotiation.js';
import tlsCertificateRevocation from './tls/certificate-revocation.js';

export const allChecks: Check[] = [
  sipFederationSrv,
  xmppServerSrv,
  xmppsServerSrv,
  jabberLegacySrv,
  srvTargetCname,
  srvTargetAddress,
  srvTargetDomain,
  edgeDnsLoadBalancing,
  clientRecords,
  authoritativeConsistency,
  federationPort,
  addressScope,
  internalListeners,
  tlsHandshake,
  tlsCertificateChain,
  tlsCertificateExpiry,
  tlsSipCertificateNames,
  tlsXmppCertificateNames,
  tlsCertificateKeyUsage,
  tlsCertificateKeyStrength,
  tlsProtocolVersions,
  tlsClientCertificateAccepted,
  sipOptionsResponse,
  sipMsDiagnostics,
  xmppStarttls,
  xmppAuthenticationMethods,
  xmppStreamNegotiation,
  tlsCertificateRevocation,
];
