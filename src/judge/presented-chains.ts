// What the certificate checks judge: the chain each federation listener presented, or why it presented none. The
// engine derives it from a run's facts (the DNS answers and connections that lead to a listener, and the SIP or XMPP
// probe that met its TLS session); `fedcheck cert inspect` hands over a chain read from a file or a server instead,
// with no DNS or TCP facts at all. A check that reads only this (and the certificates fetched for it) judges both alike;
// the chain's `source` says which, so evidence tells a session from a file.

import type { CheckContext, FindingDraft } from '../model/check.js';
import type { FactKind } from '../model/fact-kinds.js';
import type { FactView } from '../model/facts.js';
import type { TlsSession } from '../model/protocol-facts.js';
import { endpoints } from './services.js';
import type { ListenerMode } from '../model/listener.js';
import type { Target } from '../model/target.js';
import { listenerOf, readListener, unprobedFinding } from './tls-evidence.js';
import type { CertificateChain, ChainState, Listener, PresentedChain } from '../model/listener.js';

/** The fact kind a check names in `meta.requires` to be given `context.certificates`. */
export const PRESENTED_CERTIFICATE: FactKind = 'presented-certificate';

/** Every listener of the target with the chain it presented in this run, in the order partners try them. */
export function presentedChains(target: Target, facts: FactView): PresentedChain[] {
  return endpoints(target, facts).map((endpoint) => {
    const listener = listenerOf(endpoint, target.domain);
    const state = readListener(listener, { facts, target });
    if (state.state === 'secured') return { listener, chain: { state: 'presented', ...sessionChain(state.session) } };
    if (state.state === 'no-session') return { listener, chain: { state: 'no-session', why: state.why } };
    return { listener, chain: state };
  });
}

/** The chain a TLS session was shown, with the verdict of its handshake. */
export function sessionChain(session: TlsSession): CertificateChain {
  const { peerChain, authorized, authorizationError } = session;
  return { peerChain, authorized, ...(authorizationError !== undefined ? { authorizationError } : {}), source: { kind: 'tls', session } };
}

/**
 * The presented chains of the given modes (and of the services judged in this run), each presented one judged by `judge`;
 * one without a session is a skip pointing at tls.handshake, one never probed the listener skip or error. Each draft
 * is located at its listener; a draft that sets `location` (a certificate's fingerprint) adds to that.
 */
export function judgePresentedChains(
  context: Pick<CheckContext, 'certificates' | 'target' | 'facts'>,
  modes: readonly ListenerMode[],
  judge: (listener: Listener, chain: CertificateChain) => FindingDraft[],
): FindingDraft[] {
  const { services } = context.target;
  context.facts.readHanded(PRESENTED_CERTIFICATE);
  return context.certificates
    .filter(({ listener }) => modes.includes(listener.endpoint.mode) && services.includes(listener.endpoint.service))
    .flatMap(({ listener, chain }) => drafts(listener, chain, judge).map((draft) => ({ ...draft, location: { ...listener.location, ...draft.location } })));
}

function drafts(listener: Listener, chain: ChainState, judge: (listener: Listener, chain: CertificateChain) => FindingDraft[]): FindingDraft[] {
  if (chain.state === 'presented') return judge(listener, chain);
  if (chain.state === 'no-session') {
    return [{ status: 'skip', subject: listener.subject, messageId: 'noSession', data: { ...listener.data, why: chain.why } }];
  }
  const finding = unprobedFinding(listener, chain);
  return finding ? [finding] : [];
}
